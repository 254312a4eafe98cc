""":class:`Refused`: a command stops with a message in Chinese and an exit code (the commands' ``run`` prints it)."""

from __future__ import annotations


class Refused(Exception):
    """The command stops; ``str(exc)`` is the Chinese message (what is wrong and what to do), ``code`` the exit
    code (1: refused or failed, 2: usage error)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code
