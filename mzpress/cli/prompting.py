"""Asking the writer for values they did not give as flags (only when a person is at the keyboard).

Each :class:`Question` names the flag, a Chinese label and a function that turns the
typed text into a value or raises :class:`~mzpress.editing.scaffold.ScaffoldError`. On a terminal
a wrong answer is explained and asked again; without one (scripts, CI) every missing
required flag is listed in a single error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mzpress.editing.scaffold import (
    ScaffoldError,
    format_datetime,
    now,
    parse_date,
    resolve_campaign_kind,
    resolve_choice,
    resolve_topics,
)
from mzpress.model.schema import CAMPAIGN_KINDS
from mzpress.model.slugs import SlugError, slugify

if TYPE_CHECKING:
    from mzpress.model.config import SiteConfig


@dataclass(frozen=True)
class Question:
    name: str  # attribute in the answers
    flag: str
    label: str
    required: bool = True
    convert: Callable[[str], Any] = str
    hint: str = ""  # shown before asking (e.g. the list of units)
    default: str = ""  # used when the writer just presses Enter


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def choices_hint(choices: Mapping[str, str], what: str) -> str:
    lines = [f"可选的{what}（写代号、名称或序号）："]
    lines += [f"  {n}. {ident}（{name}）" for n, (ident, name) in enumerate(choices.items(), start=1)]
    return "\n".join(lines)


def by_number(choices: Mapping[str, str], convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """Let a writer answer with the number shown in :func:`choices_hint`."""
    idents = list(choices)

    def pick(text: str):
        text = text.strip()
        if text.isdigit() and 1 <= int(text) <= len(idents):
            return convert(idents[int(text) - 1])
        return convert(text)

    return pick


def fill(answers: dict[str, Any], questions: list[Question], interactive: bool,
         ask: Callable[[str], str] | None = None, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Convert the given values, then ask for (or report) the missing ones.

    ``answers`` maps question names to raw flag values (None when not given).
    """
    result: dict[str, Any] = {}
    missing: list[Question] = []
    for question in questions:
        raw = answers.get(question.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            missing.append(question)
            continue
        result[question.name] = question.convert(raw)  # a bad flag is an error even on a terminal
    absent = [q for q in missing if q.required]
    if absent and not interactive:
        listed = "、".join(f"{q.flag}（{q.label}）" for q in absent)
        raise ScaffoldError(f"缺少必填项：{listed}。请在命令中写上这些选项，或在终端窗口里直接运行本命令按提示填写。")
    if not interactive:
        return result
    ask = ask or input
    for question in missing:
        if question.hint:
            say(question.hint)
        while True:
            suffix = "" if question.required else "（可留空，直接回车跳过）"
            if question.default:
                suffix = f"（直接回车表示 {question.default}）"
            try:
                text = ask(f"{question.label}{suffix}：").strip()
            except EOFError:
                raise KeyboardInterrupt from None
            if not text and question.default:
                text = question.default
            if not text:
                if question.required:
                    say(f"{question.label}不能为空。")
                    continue
                break
            try:
                result[question.name] = question.convert(text)
                break
            except (ScaffoldError, SlugError) as exc:
                say(str(exc))
    return result


def _title(slug_given: bool) -> Callable[[str], str]:
    def convert(text: str) -> str:
        title = " ".join(str(text).split())
        if not slug_given:
            slugify(title)  # a title with nothing to spell a file name with is refused now
        return title

    return convert


def _person(label: str) -> Callable[[str], str]:
    def convert(text: str) -> str:
        name = " ".join(str(text).split())
        if not name:
            raise ScaffoldError(f"{label}不能为空。")
        return name

    return convert


def page_questions(config: SiteConfig, kind: str, slug_given: bool = False, title_required: bool = True,
                   ask_summary: bool = True) -> list[Question]:
    """The questions for a story, notice or campaign, in the order a writer thinks of them."""
    units, topics = config.unit_choices, config.topic_choices
    questions = [
        Question("title", "--title", "标题", title_required, _title(slug_given)),
        Question("unit", "--unit", "来源单位", True,
                 by_number(units, lambda v: resolve_choice(v, units, "单位", "--unit")),
                 choices_hint(units, "来源单位")),
        Question("author", "--author", "作者", True, _person("作者")),
        Question("editor", "--editor", "责任编辑", True, _person("责任编辑")),
    ]
    if kind == "story":
        questions.append(Question(
            "topics", "--topic", "文化专题（多个用逗号隔开）", False,
            lambda v: resolve_topics([v] if isinstance(v, str) else v, topics), choices_hint(topics, "文化专题")))
    if kind == "campaign":
        questions.append(Question("campaign_kind", "--kind", "活动类型", True,
                                  by_number(CAMPAIGN_KINDS, resolve_campaign_kind),
                                  choices_hint(CAMPAIGN_KINDS, "活动类型")))
    questions.append(Question("date", "--date", "发布时间", False, lambda v: parse_date(v, "发布时间"),
                              default=format_datetime(now())))
    if ask_summary:
        questions.append(Question("summary", "--summary", "摘要（一句话说明稿件内容）", False, str.strip))
    return questions
