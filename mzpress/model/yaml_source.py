"""YAML loading that remembers line numbers, so every message can say file:line.

Mappings load as :class:`LineDict` (``line_of(key)``), sequences as
:class:`LineList` (``line_of(index)``). Parse errors become a finding that names
the line and says in plain Chinese what to fix.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from mzpress.model.findings import Finding, FindingsError, error

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_FULLWIDTH_COLON_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*：")


class LineDict(dict):
    """A mapping that knows the 1-based line of itself and of each key."""

    line: int = 1
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 1
    item_lines: list

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    line_offset = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | dt.date) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "键必须是简单文字", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键：{key}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    """An impossible date such as 2025-02-30 stays text, so the schema can say which field is wrong."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _explain(exc: yaml.YAMLError) -> tuple[str, str]:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    text = f"{context} {problem}"
    if "重复的键" in text:
        return (f"同一个字段写了两次（{problem.split('：', 1)[-1]}）。", "删掉其中一行，只保留一个。")
    if "键必须是简单文字" in text:
        return ("字段名必须是简单的文字。", "把字段名改成不带括号和列表的普通文字。")
    if "mapping values are not allowed" in text:
        return ("这一行的冒号用法不对，YAML 无法理解。",
                "“字段名: 内容”里冒号后面要有一个空格；内容里如果含英文冒号，请把整个内容用英文双引号括起来。")
    if "tab" in text.lower():
        return ("这一行用了 Tab 制表符缩进。", "把 Tab 换成两个空格。")
    if "could not find expected ':'" in text or "simple key" in text:
        return ("这一行缺少“字段名: 内容”中的英文冒号和空格。",
                "检查是否把英文冒号写成了中文冒号“：”，或漏写了冒号后的空格。")
    if "found undefined alias" in text or "found character '@'" in text or "found character '`'" in text:
        return ("这一行以 YAML 不允许的符号开头。", "把整个内容用英文双引号括起来。")
    if "expected <block end>" in text or "did not find expected" in text or "bad indentation" in text:
        return ("缩进或列表格式不对。", "同一层的字段要左对齐；列表每项以“- ”开头并对齐。")
    if "while scanning a quoted scalar" in text or "found unexpected end of stream" in text:
        return ("引号没有成对出现。", "检查这一行的英文引号是否有开有合。")
    return (f"YAML 格式错误：{problem}", "对照示例文件检查这一行的格式（冒号、空格、缩进、引号）。")


def load_yaml(text: str, file: str, line_offset: int = 0, rule: str = "yaml.syntax"):
    """Parse ``text``; on bad YAML raise :class:`FindingsError` naming ``file`` and the line.

    ``line_offset`` is added to every line (front matter starts below the ``---``).
    """

    for number, raw in enumerate(text.splitlines(), start=1):
        match = _FULLWIDTH_COLON_KEY.match(raw)
        if match:
            key = match.group(1)
            raise FindingsError([error(
                rule, file, number + line_offset,
                f"字段“{key}”后面用了中文冒号“：”，YAML 只认英文冒号。",
                f"改成英文冒号加一个空格：“{key}: ”。", column=match.end(1) + 1)])

    class Loader(_LineLoader):
        pass

    Loader.line_offset = line_offset
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 + line_offset) if mark is not None else None
        column = (mark.column + 1) if mark is not None else None
        message, suggestion = _explain(exc)
        raise FindingsError([error(rule, file, line, message, suggestion, column=column)]) from None


def line_of(container, key, default: int | None = None) -> int | None:
    """The line of ``key`` in a loaded mapping or sequence, else ``default``."""
    if isinstance(container, LineDict | LineList):
        return container.line_of(key)
    return default


__all__ = ["LineDict", "LineList", "load_yaml", "line_of", "Finding"]
