"""The domain core must not import MkDocs: only the adapters may (this keeps a move to Zensical open)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "mzpress"
# The MkDocs adapter: the plugin and the build-speed machinery that drives MkDocs' page pipeline.
ADAPTERS = "adapters/"
FORBIDDEN = ("mkdocs", "material")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_do_not_import_mkdocs():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).as_posix().startswith(ADAPTERS):
            continue
        bad = _imports(path) & set(FORBIDDEN)
        if bad:
            offenders[path.relative_to(PACKAGE).as_posix()] = sorted(bad)
    assert offenders == {}


def test_the_plugin_is_the_adapter_that_does():
    assert "mkdocs" in _imports(PACKAGE / "adapters" / "mkdocs" / "plugin.py")
