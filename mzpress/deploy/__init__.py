"""Deployment: the release store on the web server, atomic switches, rollback, integrity and restore.

Between ``editing`` and ``cli`` in the layer map: it works on the server's files (releases, the
pristine object store, the `current` symlink), never on writers' files, and uses the integrity
manifest of :mod:`mzpress.publishing.manifest`.
"""
