"""Template overrides copied from Material stay in step with the installed Material version.

partials/header.html and partials/search.html are Material's files plus marked additions;
when Material is upgraded and its file changes, this test says which override to redo.
"""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from tests.support.project import REPO_ROOT

MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = REPO_ROOT / "overrides"


def _body(text: str) -> list[str]:
    """The template without its leading {#- … -#} comment."""
    if text.startswith("{#-"):
        text = text[text.index("-#}") + 3:]
    return [line for line in text.strip("\n").split("\n")]


@pytest.mark.parametrize("partial,additions", [
    ("partials/header.html", ["{#- mzpress: the skip link and the toolbar", "<a class=\"mz-skip\"",
                              "{% include \"partials/mzpress/toolbar.html\" %}"]),
    ("partials/search.html", []),
])
def test_copied_partials_differ_from_material_only_by_our_additions(partial, additions):
    ours = _body((OVERRIDES / partial).read_text(encoding="utf-8"))
    theirs = _body((MATERIAL / partial).read_text(encoding="utf-8"))
    kept = [line for line in ours if not any(line.strip().startswith(a) for a in additions)]
    if partial == "partials/search.html":  # one attribute added to the dialog element
        kept = [line.replace(' role="dialog" aria-label="{{ lang.t(\'search\') }}"', ' role="dialog"')
                for line in kept]
    assert kept == theirs, f"Material's {partial} changed: redo overrides/{partial} from it"
    for addition in additions:
        assert any(line.strip().startswith(addition) for line in ours)


def test_no_inline_script_in_our_templates():
    """The CSP forbids inline scripts: every <script> in overrides/ loads a file."""
    for template in OVERRIDES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for start in range(text.count("<script")):
            tag = text.split("<script")[start + 1].split(">", 1)[0]
            assert "src=" in tag, (template, tag)
