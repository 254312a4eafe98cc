"""One module per ``mzpress`` subcommand; each exposes ``register(subparsers)``."""
