"""Reading values out of one ``site_config/*.yml`` file, each problem a finding at its line.

Every value of the configuration is checked here, once, when it is loaded; the
objects built from them (:mod:`mzpress.model.config`, :mod:`mzpress.model.site_settings`)
are then trusted by every command and by the build.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from mzpress.model.findings import Finding, error
from mzpress.model.plain_text import markup_problem
from mzpress.model.suggestions import closest
from mzpress.model.yaml_source import LineDict

INVALID = "config.invalid"


def shown(value: Any) -> str:
    """A value as the writer typed it, for “现在是……” in a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "一组“字段: 内容”"
    if isinstance(value, list):
        return "一个列表"
    if value is None:
        return "空"
    return str(value)


class ConfigReader:
    """Collects findings while reading one configuration file (``relpath``, e.g. ``site_config/site.yml``)."""

    def __init__(self, relpath: str, rule: str = INVALID, findings: list[Finding] | None = None):
        self.relpath = relpath
        self.rule = rule
        self.findings: list[Finding] = [] if findings is None else findings

    @property
    def name(self) -> str:
        return self.relpath.rsplit("/", 1)[-1]

    def with_rule(self, rule: str) -> ConfigReader:
        """The same file and findings, reported under another rule (``config.ledger``, ``config.search``)."""
        return ConfigReader(self.relpath, rule, self.findings)

    def fail(self, line: int | None, message: str, suggestion: str, rule: str | None = None) -> None:
        self.findings.append(error(rule or self.rule, self.relpath, line, message, suggestion))

    # -- shapes ----------------------------------------------------------------------------------

    def known_keys(self, mapping: LineDict, allowed: Iterable[str], where: str) -> None:
        """Report every key of ``mapping`` not in ``allowed`` (a typo would otherwise be ignored)."""
        allowed = list(allowed)
        for key in mapping:
            if key in allowed:
                continue
            guess = closest(str(key), allowed)
            hint = f"你是不是想写 {guess}？" if guess else ""
            self.fail(mapping.line_of(key), f"{where}里有不认识的字段“{key}”，这一行不会起作用。",
                      f"{hint}这里能写的字段：{'、'.join(allowed)}。字段名写错的请改正，不需要的请删掉这一行。")

    def section(self, data: LineDict, key: str, label: str, example: str) -> LineDict | None:
        """An optional nested mapping such as ``listing:``; None when absent or malformed (reported)."""
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.fail(data.line_of(key), f"{key}（{label}）应当写成若干行“字段: 内容”，现在是“{shown(value)}”。",
                      f"参照示例，{key}: 单独一行，下面每行缩进两个空格写一项，例如 {example}")
            return None
        return value

    # -- scalars ---------------------------------------------------------------------------------

    def text(self, mapping: LineDict, key: str, label: str, required: bool = True, path: str = "") -> str:
        """A piece of text; numbers and dates are taken as written."""
        name = path or key
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(mapping.line, f"缺少{label}（{name}）。", f"在这一项下补上一行 {key}: ……")
            return ""
        if isinstance(value, dict | list):
            self.fail(mapping.line_of(key), f"{label}（{name}）应当是一段文字，现在是{shown(value)}。",
                      f"写成一行 {key}: 文字")
            return ""
        text = str(value).strip()
        problem = markup_problem(label, name, text)
        if problem is not None:  # names and texts from site_config/ reach every page's header and footer
            self.fail(mapping.line_of(key), *problem)
            return ""
        return text

    def integer(self, mapping: LineDict, key: str, label: str, default: int, minimum: int,
                maximum: int | None = None, path: str = "") -> int:
        """A whole number within [minimum, maximum]; ``default`` when the key is absent."""
        name = path or key
        value = mapping.get(key)
        if key not in mapping or value is None:
            return default
        if isinstance(value, int) and not isinstance(value, bool) \
                and value >= minimum and (maximum is None or value <= maximum):
            return value
        bounds = f"{minimum}到{maximum}之间的整数" if maximum is not None else f"不小于{minimum}的整数"
        self.fail(mapping.line_of(key), f"{name}（{label}）应当是{bounds}，现在是“{shown(value)}”。",
                  f"用阿拉伯数字写，例如 {key}: {default}")
        return default

    def number(self, mapping: LineDict, key: str, label: str, default: float, minimum: float,
               maximum: float, unit: str = "", path: str = "") -> float:
        """A number (whole or decimal) within [minimum, maximum]; ``default`` when the key is absent."""
        name = path or key
        value = mapping.get(key)
        if key not in mapping or value is None:
            return default
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) \
                and minimum <= value <= maximum:
            return float(value)
        self.fail(mapping.line_of(key),
                  f"{name}（{label}）应当是{minimum:g}到{maximum:g}之间的数字{unit}，现在是“{shown(value)}”。",
                  f"用阿拉伯数字写，例如 {key}: {default:g}")
        return default

    def url(self, mapping: LineDict, key: str, label: str, required: bool = True, path: str = "",
            relative: bool = False) -> str:
        """An http(s) address with a host; with ``relative``, a path inside the site is fine too."""
        name = path or key
        value = self.text(mapping, key, label, required=required, path=path)
        if not value:
            return ""
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is not None and parts.scheme in ("http", "https") and host and " " not in value:
            return value
        if relative and parts is not None and not parts.scheme and not parts.netloc and " " not in value:
            return value
        also = "，或网站内的路径（如 /about/）" if relative else ""
        self.fail(mapping.line_of(key), f"{label}（{name}）“{value}”不是完整的网址。",
                  f"写成以 https:// 或 http:// 开头的完整网址{also}，例如 {key}: https://mz.example.gov.cn/")
        return ""
