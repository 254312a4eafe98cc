"""The layer map (issue 9): model <- text <- history <- checks <- publishing <- editing <- deploy <- cli, adapters.

The rules and the checker live in ``tests/support/layers.py``; the same functions read the real
package, the developer tools (``tools/``) and the synthetic trees below, so a test here proves the
checker would catch a wrong import.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.support.layers import (
    FUNCTION,
    TYPE_ONLY,
    import_cycles,
    layer_violations,
    read_imports,
    tool_violations,
)
from tests.support.project import REPO_ROOT

PACKAGE = REPO_ROOT / "mzpress"
TOOLS = REPO_ROOT / "tools"


def _tree(root: Path, files: dict[str, str]) -> Path:
    """Write a package tree (``{"mzpress/model/a.py": source}``); every folder gets an ``__init__.py``."""
    for relpath, source in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in [*reversed(path.relative_to(root).parents)][1:]:
            init = root / folder / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root / "mzpress"


# --- the real package ---------------------------------------------------------------------------


def test_every_import_of_the_package_follows_the_layer_map():
    violations = layer_violations(PACKAGE)
    assert not violations, "imports that break the layer map (docs/architecture.md):\n" + "\n".join(
        str(v) for v in violations)


def test_the_package_has_no_import_cycle():
    cycles = import_cycles(PACKAGE)
    assert not cycles, "modules that import each other (at import time or in a function):\n" + "\n".join(cycles)


def test_the_tools_import_no_test_and_have_no_import_cycle():
    violations = tool_violations(TOOLS)
    assert not violations, "imports the developer tools may not make:\n" + "\n".join(str(v) for v in violations)
    cycles = import_cycles(TOOLS)
    assert not cycles, "tools that import each other (at import time or in a function):\n" + "\n".join(cycles)


def test_the_checker_reads_the_real_package():
    # Guards against a checker that silently reads nothing (and so always passes).
    imports = read_imports(PACKAGE)
    seen = {(i.importer, i.target.split(".")[0]) for i in imports}
    assert ("mzpress.adapters.mkdocs.plugin", "mkdocs") in seen
    assert ("mzpress.history.ledger", "git") in seen
    preview = {(i.target.rpartition(".")[0], i.scope) for i in imports if i.importer == "mzpress.cli.commands.preview"}
    assert ("mzpress.adapters.mkdocs", FUNCTION) in preview
    assert any(i.importer == "mzpress.model.content" and i.target == "mzpress.model.config" for i in imports)
    tools = {(i.importer, i.target, i.scope) for i in read_imports(TOOLS)}
    assert ("tools.benchmark", "tools.bench_runs", "module") in tools
    assert ("tools.benchmark", "tools.search_benchmark", FUNCTION) in tools  # lazy: --search alone loads it


# --- the checker on synthetic trees -------------------------------------------------------------


ALLOWED_TREE = {
    "mzpress/model/config.py": "import yaml\n",
    "mzpress/text/words.py": "from ..model import config\nfrom mzpress import model\n",
    "mzpress/history/ledger.py": "import git\nfrom mzpress.text.words import x\n",
    "mzpress/checks/runner.py": "from .. import history\nfrom mzpress.model.config import load\n",
    "mzpress/adapters/mkdocs/plugin.py": """\
        import jinja2
        from mkdocs.plugins import BasePlugin
        from mzpress.checks.runner import run
        from . import fast_build
        """,
    "mzpress/adapters/mkdocs/fast_build.py": """\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from mzpress.adapters.mkdocs.plugin import MzpressPlugin
        def build():
            from mzpress.adapters.mkdocs import plugin
        """,
    "mzpress/cli/commands/preview.py": """\
        def run(args):
            from mzpress.adapters.mkdocs.fast_build import PreviewSite
        """,
}


def test_the_wrong_imports_and_only_those_are_reported(tmp_path):
    package = _tree(tmp_path, {
        **ALLOWED_TREE,
        "mzpress/model/bad.py": "from mzpress.model import config\nfrom mzpress.adapters.mkdocs.plugin import MzpressPlugin\n",
        "mzpress/model/templating.py": "import os\n\nimport jinja2\n",
    })
    assert [str(v) for v in layer_violations(package)] == [
        "mzpress/model/bad.py:2: mzpress.model.bad -> mzpress.adapters.mkdocs.plugin"
        " (layer model may not import layer adapters)",
        "mzpress/model/templating.py:3: mzpress.model.templating -> jinja2"
        " (layer model may not import jinja2; only layers adapters may)",
    ]
    assert layer_violations(_tree(tmp_path / "clean", ALLOWED_TREE)) == []


def test_every_kind_of_import_is_read(tmp_path):
    package = _tree(tmp_path, {
        **ALLOWED_TREE,
        # relative, resolved against the module's package
        "mzpress/model/relative.py": "from ..adapters.mkdocs import plugin\n",
        # inside a function, and only for type checking: still a dependency on the layer
        "mzpress/text/lazy.py": "def f():\n    import mzpress.publishing.feeds\n",
        "mzpress/history/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                    "    from mzpress.checks.runner import Finding\n",
        # a package's __init__ resolves ``from . import x`` against itself
        "mzpress/checks/__init__.py": "from . import runner\nfrom ..editing import scaffold\n",
        "mzpress/editing/scaffold.py": "",
        "mzpress/text/images.py": "from PIL import Image\n",
        "mzpress/model/picture.py": "from PIL import Image\nimport git\n",
        "mzpress/publishing/feeds.py": "import tools.benchmark\n",
        "mzpress/adapters/mkdocs/bad.py": "from mzpress.cli import main\n",
        "mzpress/cli/commands/check.py": "def run():\n    from mzpress.adapters.mkdocs import plugin\n",
        "mzpress/cli/commands/preview.py": "from mzpress.adapters.mkdocs.fast_build import PreviewSite\n",
        "mzpress/__init__.py": "from mzpress.model import config\n",
    })
    assert [str(v) for v in layer_violations(package)] == [
        "mzpress/__init__.py:1: mzpress -> mzpress.model.config (the package root may not import layer model)",
        "mzpress/adapters/mkdocs/bad.py:1: mzpress.adapters.mkdocs.bad -> mzpress.cli"
        " (layer adapters may not import layer cli)",
        "mzpress/checks/__init__.py:2: mzpress.checks -> mzpress.editing.scaffold"
        " (layer checks may not import layer editing)",
        "mzpress/cli/commands/check.py:2: mzpress.cli.commands.check -> mzpress.adapters.mkdocs.plugin"
        " (layer cli may not import layer adapters (only mzpress preview and cms-config may, inside a function of"
        " mzpress.cli.commands.cms_config, mzpress.cli.commands.preview))",
        "mzpress/cli/commands/preview.py:1: mzpress.cli.commands.preview -> mzpress.adapters.mkdocs.fast_build"
        " (layer cli may import layer adapters only inside a function of mzpress.cli.commands.preview)",
        "mzpress/history/typed.py:3: mzpress.history.typed -> mzpress.checks.runner"
        " (layer history may not import layer checks)",
        "mzpress/model/picture.py:1: mzpress.model.picture -> PIL"
        " (layer model may not import PIL; only layers text, history, checks, publishing, editing, deploy, cli, adapters may)",
        "mzpress/model/picture.py:2: mzpress.model.picture -> git"
        " (layer model may not import git; only layers history, checks, publishing, editing, deploy, cli, adapters may)",
        "mzpress/model/relative.py:1: mzpress.model.relative -> mzpress.adapters.mkdocs.plugin"
        " (layer model may not import layer adapters)",
        "mzpress/publishing/feeds.py:1: mzpress.publishing.feeds -> tools.benchmark"
        " (mzpress may not import tools (developer tools))",
        "mzpress/text/lazy.py:2: mzpress.text.lazy -> mzpress.publishing.feeds"
        " (layer text may not import layer publishing)",
    ]
    scopes = {(i.importer, i.scope) for i in read_imports(package)}
    assert ("mzpress.text.lazy", FUNCTION) in scopes and ("mzpress.history.typed", TYPE_ONLY) in scopes


def test_a_module_outside_the_layers_is_reported(tmp_path):
    package = _tree(tmp_path, {"mzpress/model/config.py": "", "mzpress/misc.py": "from mzpress.model import config\n",
                               "mzpress/model/uses_misc.py": "import mzpress.misc\n"})
    assert [str(v) for v in layer_violations(package)] == [
        "mzpress/misc.py:1: mzpress.misc -> mzpress.model.config"
        " (mzpress.misc is in no layer; put it in one of model, text, history, checks, publishing, editing,"
        " deploy, cli, adapters)",
        "mzpress/model/uses_misc.py:1: mzpress.model.uses_misc -> mzpress.misc (mzpress.misc is in no layer)",
    ]


def test_import_cycles_are_reported_one_line_per_group(tmp_path):
    package = _tree(tmp_path, {
        "mzpress/model/a.py": "from mzpress.model import b\n",
        "mzpress/model/b.py": "import mzpress.model.c\n",
        "mzpress/model/c.py": "from .a import thing\n",
        "mzpress/text/x.py": "from mzpress.text.y import f\n",
        "mzpress/text/y.py": "from . import x\n",
        # An import inside a function still makes a cycle (it runs when the function does) ...
        "mzpress/checks/p.py": "from mzpress.checks import q\n",
        "mzpress/checks/q.py": "def later():\n    from mzpress.checks import p\n",
        # ... an import only for type checking never runs and does not.
        "mzpress/publishing/r.py": "from mzpress.publishing import s\n",
        "mzpress/publishing/s.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                   "    from mzpress.publishing import r\n",
    })
    assert import_cycles(package) == [
        "mzpress.checks.p -> mzpress.checks.q -> mzpress.checks.p"
        " (modules in this cycle group: mzpress.checks.p, mzpress.checks.q)",
        "mzpress.model.a -> mzpress.model.b -> mzpress.model.c -> mzpress.model.a"
        " (modules in this cycle group: mzpress.model.a, mzpress.model.b, mzpress.model.c)",
        "mzpress.text.x -> mzpress.text.y -> mzpress.text.x (modules in this cycle group: mzpress.text.x, mzpress.text.y)",
    ]


def test_the_tools_checker_reports_a_test_import_and_a_lazy_cycle(tmp_path):
    _tree(tmp_path, {
        "tools/bench.py": "from tools.shared import measure\ndef search():\n    from tools import search\n",
        "tools/search.py": "import mzpress.publishing.full_text_index\ndef run():\n    from tools.bench import measure\n",
        "tools/shared.py": "from tests.support.project import REPO_ROOT\nimport yaml\n",
    })
    tools = tmp_path / "tools"
    assert [str(v) for v in tool_violations(tools)] == [
        "tools/shared.py:1: tools.shared -> tests.support.project"
        " (the tools may not import tests (the test suite, which imports the tools))",
    ]
    assert import_cycles(tools) == [
        "tools.bench -> tools.search -> tools.bench (modules in this cycle group: tools.bench, tools.search)"]
