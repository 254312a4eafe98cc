"""Slugs: the ascii file names of stories, notices and campaigns, made from Chinese titles.

A slug is lowercase ascii letters, digits and hyphens (``chengguan-zhen-kai-zhan``).
Chinese characters become toneless pinyin, one syllable per hyphen-separated part;
letters and digits are kept; punctuation, emoji and everything else is dropped.
The result is capped at :data:`MAX_SYLLABLES` parts and :data:`MAX_LENGTH` characters
and depends on nothing but the title (and the pinned pypinyin dictionary).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from pypinyin import Style, lazy_pinyin

MAX_SYLLABLES = 8
MAX_LENGTH = 60
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_ASCII_RUN = re.compile(r"[a-z0-9]+")


class SlugError(ValueError):
    """A title from which no slug can be made, or a slug written by hand that is not valid."""


def _ascii_parts(text: str) -> list[str]:
    """Letters and digits of a non-Chinese run, accents stripped (Café -> cafe)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _ASCII_RUN.findall(plain)


def slugify(title: str) -> str:
    """The slug of ``title``; raise :class:`SlugError` when the title has nothing to spell it with."""
    text = unicodedata.normalize("NFKC", str(title or ""))  # full-width ＡＢＣ１２３ -> ABC123
    parts: list[str] = []
    for piece in lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors="default"):
        parts.extend(_ascii_parts(piece))
    if not parts:
        raise SlugError(
            f"标题“{title}”里没有汉字、英文字母或数字，无法生成文件名（网址）。"
            "请修改标题，或用 --slug 指定文件名（只用小写英文字母、数字和连字符，例如 jingnao-huodong）。")
    slug = ""
    for part in parts[:MAX_SYLLABLES]:
        candidate = f"{slug}-{part}" if slug else part
        if len(candidate) > MAX_LENGTH:
            break
        slug = candidate
    return slug or parts[0][:MAX_LENGTH]


def check_slug(slug: str) -> str:
    """Return ``slug`` when it is a valid slug written by hand, else raise :class:`SlugError`."""
    if not SLUG_PATTERN.match(slug or "") or len(slug) > MAX_LENGTH:
        raise SlugError(
            f"文件名“{slug}”不符合要求：只能用小写英文字母、数字和单个连字符（-），"
            f"不能以连字符开头或结尾，最长{MAX_LENGTH}个字符，例如 jingnao-huodong。")
    return slug


def unique_slug(slug: str, existing: Collection[str]) -> str:
    """``slug`` itself when free, else the first free of ``slug-2``, ``slug-3`` ..."""
    if slug not in existing:
        return slug
    number = 2
    while f"{slug}-{number}" in existing:
        number += 1
    return f"{slug}-{number}"
