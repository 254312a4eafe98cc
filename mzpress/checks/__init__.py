"""The checks: one module per check, the registry that lists them, the context they read, the runner.

``registry.py`` is the list that ``mzpress check``, ``mzpress scan`` and the MkDocs build all run;
``runner.py`` runs it over a project or any paths; ``exemptions.py`` applies inline exemptions.
"""
