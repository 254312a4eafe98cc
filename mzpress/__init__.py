"""mzpress: git-based publishing for a county civil-affairs bureau.

The package is split into a pure domain core (content model, checks, listings,
reports, git ledger) that never imports MkDocs, and thin adapters around it:
``mzpress.adapters.mkdocs.plugin`` (MkDocs), ``mzpress.cli`` (the ``mzpress`` command).
"""

__version__ = "0.1.0"
