"""Site check: no symbolic link under ``overrides/`` (the theme), where MkDocs would follow it.

A link in the theme folder would publish (or render as a template) whatever it points at, a file
no review saw. Links under ``content/`` are refused by the content model (``content.symlink``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from mzpress.checks.context import CheckContext
from mzpress.model.findings import Finding, error

THEME_DIR = "overrides"


def check_theme_symlinks(site, ctx: CheckContext) -> Iterable[Finding]:
    theme = ctx.root / THEME_DIR
    if not theme.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(theme):
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                relpath = os.path.relpath(path, ctx.root).replace(os.sep, "/")
                yield error("theme.symlink", relpath, None, "主题文件夹里有符号链接（快捷方式）：构建会跟随它，发布未经审核的文件。",
                            "把真正的文件复制到这里，或删除这个链接。")
