"""``python -m mzpress.cli``: the same entry point as the ``mzpress`` command."""

import sys

from mzpress.cli import main

sys.exit(main())
