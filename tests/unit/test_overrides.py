"""Template overrides copied from Material stay in step with the installed Material version.

partials/header.html and partials/tabs-item.html are Material's files plus marked additions, and
partials/languages/zh.html is Material's with the language tag zh-CN;
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
    ("partials/tabs-item.html", ["{#- mzpress:", "{%- macro mz_current", "{%- set mz_trail", "{%- set mz_active",
                                 "{%- if mz_active"]),
    ("partials/header.html", ["{#- mzpress: the skip link and the toolbar", "<a class=\"mz-skip\"",
                              "{% include \"partials/mzpress/toolbar.html\" %}",
                              "{#- mzpress: the menu is a real button",
                              "{#- mzpress: search is a page of its own",
                              "<a class=\"md-header__button md-icon mz-search-link\""]),
])
def test_copied_partials_differ_from_material_only_by_our_additions(partial, additions):
    ours = _body((OVERRIDES / partial).read_text(encoding="utf-8"))
    theirs = _body((MATERIAL / partial).read_text(encoding="utf-8"))
    kept = [line for line in ours if not any(line.strip().startswith(a) for a in additions)]
    if partial == "partials/header.html":  # the menu <label for="__drawer"> is a <button> (mzpress.js)
        button = ('<button type="button" class="md-header__button md-icon mz-drawer-button" aria-label="导航菜单" '
                  'aria-expanded="false" aria-controls="mz-drawer" data-mz-drawer-button>')
        assert sum(line.strip() == button for line in kept) == 1
        at = next(i for i, line in enumerate(kept) if line.strip() == button)
        kept[at] = kept[at].replace(button, '<label class="md-header__button md-icon" for="__drawer">')
        end = next(i for i in range(at, len(kept)) if kept[i].strip() == "</button>")
        kept[end] = kept[end].replace("</button>", "</label>")
    if partial == "partials/tabs-item.html":  # aria-current on the current section's tab link
        kept = [line.replace('"{{ mz_current(first, mz_active) }}>', '">')
                .replace('"{{ mz_current(nav_item, mz_active) }}>', '">') for line in kept]
    assert kept == theirs, f"Material's {partial} changed: redo overrides/{partial} from it"
    for addition in additions:
        assert any(line.strip().startswith(addition) for line in ours)


def test_the_language_partial_is_materials_chinese_with_the_zh_cn_tag():
    """<html lang="zh-CN">: Material writes its language's "language" value; ours differs from its zh.html only there."""
    ours = _body((OVERRIDES / "partials/languages/zh.html").read_text(encoding="utf-8"))
    theirs = _body((MATERIAL / "partials/languages/zh.html").read_text(encoding="utf-8"))
    assert sum('"language": "zh-CN",' in line for line in ours) == 1
    assert [line.replace('"language": "zh-CN",', '"language": "zh",') for line in ours] == theirs, (
        "Material's partials/languages/zh.html changed: redo overrides/partials/languages/zh.html from it")


def test_no_inline_script_in_our_templates():
    """The CSP forbids inline scripts: every <script> in overrides/ loads a file."""
    for template in OVERRIDES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for start in range(text.count("<script")):
            tag = text.split("<script")[start + 1].split(">", 1)[0]
            assert "src=" in tag, (template, tag)
