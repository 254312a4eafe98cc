"""argparse in Chinese: its own words translated, and a did-you-mean for a mistyped command or option.

argparse looks its messages up through the module-level ``_`` and ``ngettext`` (gettext) at the
moment it prints them; :func:`install` points both at the table below, so ``--help``, usage lines
and errors read in Chinese. The table holds the messages of the pinned Python (3.11); a message
not in it stays as argparse wrote it.
"""

from __future__ import annotations

import argparse
import re

from mzpress.model.suggestions import closest

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "expected one argument": "后面需要写一个值",
    "expected at most one argument": "后面最多写一个值",
    "expected at least one argument": "后面至少写一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "one of the arguments %s is required": "需要写 %s 中的一个",
    "ignored explicit argument %r": "选项不接受值：%r",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
PLURALS = {
    "expected %s argument": "后面需要写%s个值",
    "expected %s arguments": "后面需要写%s个值",
}
_INVALID_CHOICE = re.compile(r"没有“(.+?)”这一项（可选：")
_UNRECOGNISED = "无法识别的参数："
_REQUIRED = "缺少必填参数："


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    chosen = singular if count == 1 else plural
    return PLURALS.get(chosen, chosen)


def install() -> None:
    """Make argparse speak Chinese (idempotent; affects only argparse's own messages)."""
    argparse._ = translate
    argparse.ngettext = translate_plural


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [option for action in parser._actions for option in action.option_strings]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def suggestion(parser: argparse.ArgumentParser, message: str, argv: list[str]) -> str:
    """“你是不是想写 …” for a mistyped command or option, or an empty string."""
    choice = _INVALID_CHOICE.search(message)
    if choice:
        guess = closest(choice.group(1), _subparsers(parser))
        return f"你是不是想写 {guess}？" if guess else ""
    if _UNRECOGNISED not in message and _REQUIRED not in message:
        return ""
    commands = _subparsers(parser)
    command = next((commands[word] for word in argv if word in commands), None)
    known = _option_strings(command or parser) + (_option_strings(parser) if command else [])
    guesses = []
    # every option word the parsers do not know (a missing required option is often a mistyped one)
    for word in argv:
        name = word.split("=", 1)[0]
        if not name.startswith("--") or name in known:
            continue
        guess = closest(name, known)
        if guess:
            guesses.append(f"{guess}（不是 {name}）")
    return f"你是不是想写 {'、'.join(guesses)}？" if guesses else ""
