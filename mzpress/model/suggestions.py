"""Did-you-mean suggestions for ids writers mistype (units, topics, fields)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(str(value), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(value: str, choices: dict[str, str], what: str) -> str:
    """Fix text for an unknown id. ``choices`` maps id -> display name."""
    value = str(value)
    by_name = {name: ident for ident, name in choices.items()}
    allowed = "、".join(f"{ident}（{name}）" for ident, name in choices.items())
    if value in by_name:
        return f"这里要写{what}的代号而不是名称：改成 {by_name[value]}。可选值：{allowed}"
    guess = closest(value, choices) or closest(value, by_name)
    if guess is not None:
        ident = by_name.get(guess, guess)
        return f"你是不是想写 {ident}（{choices[ident]}）？可选值：{allowed}"
    return f"请改成下列之一：{allowed}"
