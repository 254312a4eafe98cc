"""The layer map of the ``mzpress`` package, read from the source with ``ast`` (no module is imported).

Layers, lowest first (docs/architecture.md explains what lives in each)::

    model <- text <- history <- checks <- publishing <- editing <- deploy <- cli, adapters

A module may import ``mzpress`` modules of its own layer or of layers to its left. ``cli`` and
``adapters`` are both at the top and do not import each other, with two exceptions:
``mzpress.cli.commands.preview`` (``mzpress preview`` runs the MkDocs build) and
``mzpress.cli.commands.cms_config`` (``--admin-dir`` writes the editor's page and scripts, which the preview's
editor serves) may import ``mzpress.adapters`` inside a function. The ``mzpress`` command imports every command module at
start-up to register it, so a module-level import there would load MkDocs for every command.
The package root (``mzpress/__init__.py``) may be imported by every layer and imports none.

Third-party packages with a layer rule (``ALLOWED``); every other package may be imported anywhere:

* ``mkdocs``, ``material``, ``jinja2``, ``markupsafe``: only ``mzpress/adapters/**`` (the core stays
  free of MkDocs, which keeps a move to another site generator open);
* ``git`` (GitPython): ``history`` and the layers above it (the model and the text layer do not
  read git);
* the file-format readers ``PIL``, ``docx``, ``mammoth``, ``openpyxl``, ``pypdf``, ``lxml``:
  ``text`` and the layers above it (the model, which loads every page, stays cheap to import);
* ``boto3``, ``botocore`` (the S3 client): only ``deploy`` (``mzpress deploy --to s3://``);
* ``tools`` (developer tools), ``tests`` and ``moto`` (the S3 emulator the tests run): never.

Every import counts for the layer rules: module level, inside functions, under ``TYPE_CHECKING``,
absolute and relative. The import cycle check reads every import that can run: module level, class
bodies and inside functions (an import moved into a function hides a cycle, it does not break it);
not the imports under ``TYPE_CHECKING``. Imports made with ``importlib.import_module`` are not seen.

The developer tools (``tools/``, outside the package) are read the same way: they may import
``mzpress`` and each other, never the test suite (``tests`` imports them), and have no import cycle
(:func:`tool_violations`, :func:`import_cycles`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LAYERS = ("model", "text", "history", "checks", "publishing", "editing", "deploy", "cli", "adapters")
RANK = {"model": 0, "text": 1, "history": 2, "checks": 3, "publishing": 4, "editing": 5, "deploy": 6, "cli": 7,
        "adapters": 7}
ROOT = "package root"  # mzpress/__init__.py: importable from every layer, imports no layer

# mzpress modules of the cli layer that may import the adapters layer (inside a function only).
CLI_USING_ADAPTERS = frozenset({"cli.commands.preview", "cli.commands.cms_config"})


def _from(lowest: str) -> frozenset[str]:
    return frozenset(name for name in LAYERS if RANK[name] >= RANK[lowest])


ALLOWED: dict[str, frozenset[str]] = {
    "mkdocs": frozenset({"adapters"}),
    "material": frozenset({"adapters"}),
    "jinja2": frozenset({"adapters"}),
    "markupsafe": frozenset({"adapters"}),
    "git": _from("history"),
    "PIL": _from("text"),
    "docx": _from("text"),
    "mammoth": _from("text"),
    "openpyxl": _from("text"),
    "pypdf": _from("text"),
    "lxml": _from("text"),
    "boto3": frozenset({"deploy"}),
    "botocore": frozenset({"deploy"}),
    "moto": frozenset(),
    "tools": frozenset(),
    "tests": frozenset(),
}
_WHY_NOWHERE = {"tools": "developer tools", "tests": "the test suite", "moto": "a test-only S3 emulator"}

# What the developer tools (tools/) may never import, and why.
TOOLS_FORBIDDEN = {"tests": "the test suite, which imports the tools"}

MODULE, FUNCTION, TYPE_ONLY = "module", "function", "type-checking"


@dataclass(frozen=True, slots=True)
class Import:
    importer: str  # dotted module name, e.g. mzpress.model.content
    target: str  # dotted name of what is imported (the submodule when ``from pkg import submodule``)
    file: str  # path relative to the package's parent folder, e.g. mzpress/model/content.py
    line: int
    scope: str  # MODULE, FUNCTION or TYPE_ONLY


@dataclass(frozen=True, slots=True)
class Violation:
    importer: str
    target: str
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.importer} -> {self.target} ({self.reason})"


# --- reading imports ----------------------------------------------------------------------------


def module_names(package_root: Path) -> dict[str, Path]:
    """Dotted name -> file for every module of the package whose folder is ``package_root``."""
    package_root = Path(package_root)
    names = {}
    for path in sorted(package_root.rglob("*.py")):
        parts = path.relative_to(package_root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: set[str], file: str):
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.known = known
        self.file = file
        self.scope = MODULE
        self.found: list[Import] = []

    def _add(self, target: str, node: ast.stmt) -> None:
        self.found.append(Import(self.module, target, self.file, node.lineno, self.scope))

    def _visit_in(self, nodes: Iterable[ast.AST], scope: str) -> None:
        """Visit ``nodes`` in ``scope`` (an import inside a function under TYPE_CHECKING stays FUNCTION)."""
        outer = self.scope
        if outer == MODULE:
            self.scope = scope
        for node in nodes:
            self.visit(node)
        self.scope = outer

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._visit_in(ast.iter_child_nodes(node), FUNCTION)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._visit_in(ast.iter_child_nodes(node), FUNCTION)

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        self._visit_in(node.body, TYPE_ONLY)
        self._visit_in(node.orelse, MODULE)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            if node.level > 1:
                base = base[: -(node.level - 1)]
            base_name = ".".join(base + ([node.module] if node.module else []))
        else:
            base_name = node.module or ""
        targets = {}  # one Import per target: ``from pkg import a, b`` of one module is one import
        for alias in node.names:
            candidate = f"{base_name}.{alias.name}"
            targets[candidate if candidate in self.known else base_name] = None
        for target in targets:
            self._add(target, node)


def read_imports(package_root: Path) -> list[Import]:
    """Every import statement of every module under ``package_root``, relative imports resolved."""
    package_root = Path(package_root)
    modules = module_names(package_root)
    known = set(modules)
    found: list[Import] = []
    for name, path in modules.items():
        file = path.relative_to(package_root.parent).as_posix()
        collector = _Collector(name, path.name == "__init__.py", known, file)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found += collector.found
    return found


# --- the rules ----------------------------------------------------------------------------------


def layer_of(module: str, package: str) -> str | None:
    """The layer of a dotted name inside ``package``; ROOT for the package itself; None when in no layer."""
    parts = module.split(".")
    if parts == [package]:
        return ROOT
    return parts[1] if parts[1] in RANK else None


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _layer_violation(item: Import, package: str) -> str | None:
    own = layer_of(item.importer, package)
    if own is None:
        return f"{item.importer} is in no layer; put it in one of {', '.join(LAYERS)}"
    target = layer_of(item.target, package)
    if target is None:
        return f"{item.target} is in no layer"
    if target == ROOT or own == target:
        return None
    if own == ROOT:
        return f"the package root may not import layer {target}"
    if own == "cli" and target == "adapters":
        local = item.importer[len(package) + 1:]
        if local in CLI_USING_ADAPTERS and item.scope == FUNCTION:
            return None
        if local in CLI_USING_ADAPTERS:
            return f"layer cli may import layer adapters only inside a function of {item.importer}"
        return ("layer cli may not import layer adapters (only mzpress preview and cms-config may, inside a function of "
                + ", ".join(f"{package}.{name}" for name in sorted(CLI_USING_ADAPTERS)) + ")")
    if RANK[target] >= RANK[own]:
        return f"layer {own} may not import layer {target}"
    return None


def _third_party_violation(item: Import, package: str) -> str | None:
    top = item.target.split(".")[0]
    if top not in ALLOWED:
        return None
    own = layer_of(item.importer, package)
    if own in ALLOWED[top]:
        return None
    shown = own if own is not None else "(no layer)"
    if not ALLOWED[top]:
        return f"{package} may not import {top} ({_WHY_NOWHERE.get(top, 'not a runtime dependency')})"
    allowed = ", ".join(name for name in LAYERS if name in ALLOWED[top])
    return f"layer {shown} may not import {top}; only layers {allowed} may"


def layer_violations(package_root: Path, imports: Iterable[Import] | None = None) -> list[Violation]:
    """Every import that breaks the layer map or a third-party rule, in file and line order."""
    package = Path(package_root).name
    violations = []
    for item in imports if imports is not None else read_imports(package_root):
        if _inside(item.target, package):
            reason = _layer_violation(item, package)
        else:
            reason = _third_party_violation(item, package)
        if reason:
            violations.append(Violation(item.importer, item.target, item.file, item.line, reason))
    return sorted(violations, key=lambda v: (v.file, v.line, v.target))


def tool_violations(tools_root: Path, imports: Iterable[Import] | None = None) -> list[Violation]:
    """Every import of the developer tools (``tools/``) of a package they may not use (:data:`TOOLS_FORBIDDEN`)."""
    violations = []
    for item in imports if imports is not None else read_imports(tools_root):
        top = item.target.split(".")[0]
        if top in TOOLS_FORBIDDEN:
            violations.append(Violation(item.importer, item.target, item.file, item.line,
                                        f"the tools may not import {top} ({TOOLS_FORBIDDEN[top]})"))
    return sorted(violations, key=lambda v: (v.file, v.line, v.target))


# --- import cycles ------------------------------------------------------------------------------


def import_graph(package_root: Path, imports: Iterable[Import] | None = None) -> dict[str, set[str]]:
    """Module -> package modules it imports, at import time or inside its functions (not under TYPE_CHECKING)."""
    package_root = Path(package_root)
    modules = set(module_names(package_root))
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for item in imports if imports is not None else read_imports(package_root):
        if item.scope != TYPE_ONLY and item.target in modules and item.target != item.importer:
            graph[item.importer].add(item.target)
    return graph


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components with more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def _shortest_cycle(graph: dict[str, set[str]], members: list[str]) -> list[str]:
    """The shortest cycle through the first member, staying inside its component."""
    inside = set(members)
    start = members[0]
    previous: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for child in sorted(graph[node] & inside):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected component always has one


def import_cycles(package_root: Path, imports: Iterable[Import] | None = None) -> list[str]:
    """One line per group of modules that import each other (lazily or not): a cycle, then the group."""
    graph = import_graph(package_root, imports)
    lines = []
    for members in _strongly_connected(graph):
        cycle = " -> ".join(_shortest_cycle(graph, members))
        lines.append(f"{cycle} (modules in this cycle group: {', '.join(members)})")
    return lines
