"""Slugs: the ascii file names of stories, notices and campaigns, made from Chinese titles.

A slug is lowercase ascii letters, digits and hyphens, one part per word of the title
(``chengguanzhen-xingfu-shitang``): the title is cut into words by jieba's dictionary
(no guessing model, so the result is stable), each Chinese word becomes its toneless pinyin in
one piece (phrase readings for polyphonic characters: 重庆 -> chongqing), letters and digits are
kept, particles (的、了、和 …), punctuation and emoji are dropped. Whole words are taken from the
start until :data:`MAX_WORDS` words or :data:`MAX_LENGTH` characters: a slug never ends in the
middle of a word or a syllable. It depends on nothing but the title (and the pinned pypinyin and
jieba dictionaries).

A notice's slug (:func:`notice_slug`) leaves out the dates of its title (“2026年12月”, “2026年度”,
“十二月份”): notices of the same kind come every month, and a slug made of the date
(``2026-nian-12-yue``) would say nothing and collide with the next notice of that month.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from pypinyin import Style, lazy_pinyin

MAX_WORDS = 4  # words of the title in a slug made from it
MAX_LENGTH = 32  # characters of a slug made from a title
MAX_WRITTEN_LENGTH = 60  # characters of a slug written by hand (--slug)
_PARTICLES = frozenset("的了和与及在对为之把被将")
_LEADING = ("关于",)  # “关于……的通知”: the title's topic comes after it
_HAN_RUN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_ASCII_RUN = re.compile(r"[a-z0-9]+")


class SlugError(ValueError):
    """A title from which no slug can be made, or a slug written by hand that is not valid."""


def _ascii_parts(text: str) -> list[str]:
    """Letters and digits of a non-Chinese run, accents stripped (Café -> cafe)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _ASCII_RUN.findall(plain)


def _segment(run: str) -> list[str]:
    """The words of a run of Chinese characters, by jieba's dictionary (loaded on first use)."""
    import logging
    import warnings

    with warnings.catch_warnings():  # jieba imports pkg_resources, which warns (in English) on every start
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated as an API", category=UserWarning)
        import jieba
    jieba.setLogLevel(logging.WARNING)  # its start-up messages are English and not for writers
    return jieba.lcut(run, HMM=False)


def _word_parts(text: str) -> list[list[str]]:
    """Each word of ``text`` as its ascii syllables (a Chinese word) or one letter/digit run.

    Characters the dictionary does not join (a name, a slogan such as 孝老爱亲) are kept together
    as one word."""
    words: list[list[str]] = []
    position = 0
    for match in _HAN_RUN.finditer(text):
        words.extend([run] for run in _ascii_parts(text[position:match.start()]))
        position = match.end()
        pending: list[str] = []  # consecutive single characters
        segmented = _segment(match.group(0))
        if not words and segmented and segmented[0] in _LEADING:
            segmented = segmented[1:]
        for word in [*segmented, ""]:
            if len(word) == 1 and word not in _PARTICLES:
                pending.append(word)
                continue
            if pending:
                words.append(_syllables("".join(pending)))
                pending = []
            if word and word not in _PARTICLES:
                words.append(_syllables(word))
    words.extend([run] for run in _ascii_parts(text[position:]))
    return [word for word in words if word]


def _syllables(word: str) -> list[str]:
    return [part for piece in lazy_pinyin(word, style=Style.NORMAL, v_to_u=False, errors="default")
            for part in _ascii_parts(piece)]


def slugify(title: str) -> str:
    """The slug of ``title``; raise :class:`SlugError` when the title has nothing to spell it with."""
    text = unicodedata.normalize("NFKC", str(title or ""))  # full-width ＡＢＣ１２３ -> ABC123
    words = _word_parts(text)
    if not words:
        raise SlugError(
            f"标题“{title}”里没有汉字、英文字母或数字，无法生成文件名（网址）。"
            "请修改标题，或用 --slug 指定文件名（只用小写英文字母、数字和连字符，例如 jingnao-huodong）。")
    slug = ""
    for syllables in words[:MAX_WORDS]:
        candidate = f"{slug}-{''.join(syllables)}" if slug else "".join(syllables)
        if len(candidate) > MAX_LENGTH:
            break
        slug = candidate
    if not slug:  # the first word alone is too long: whole syllables of it
        for syllable in words[0]:
            if len(slug) + len(syllable) > MAX_LENGTH:
                break
            slug += syllable
    return slug or words[0][0][:MAX_LENGTH]


_NUMERAL = r"(?:\d+|[〇零一二三四五六七八九十两]+)"
_DATE_WORDS = re.compile(
    rf"{_NUMERAL}\s*年度?(?:\s*{_NUMERAL}\s*月份?(?:\s*{_NUMERAL}\s*[日号])?)?"
    rf"|{_NUMERAL}\s*月份?(?:\s*{_NUMERAL}\s*[日号])?"
    rf"|\d{{4}}[-./]\d{{1,2}}(?:[-./]\d{{1,2}})?"
    r"|第?[一二三四1-4]季度|[上下]半年|年度")


def notice_slug(title: str) -> str:
    """The slug of a notice's ``title`` from its words without its dates; the whole title's slug when
    nothing but a date is left."""
    text = unicodedata.normalize("NFKC", str(title or ""))
    words = _DATE_WORDS.sub(" ", text)
    try:
        return slugify(words)
    except SlugError:
        return slugify(title)


def check_slug(slug: str) -> str:
    """Return ``slug`` when it is a valid slug written by hand, else raise :class:`SlugError`."""
    if not SLUG_PATTERN.match(slug or "") or len(slug) > MAX_WRITTEN_LENGTH:
        raise SlugError(
            f"文件名“{slug}”不符合要求：只能用小写英文字母、数字和单个连字符（-），"
            f"不能以连字符开头或结尾，最长{MAX_WRITTEN_LENGTH}个字符，例如 jingnao-huodong。")
    return slug


def unique_slug(slug: str, existing: Collection[str]) -> str:
    """``slug`` itself when free, else the first free of ``slug-2``, ``slug-3`` ..."""
    if slug not in existing:
        return slug
    number = 2
    while f"{slug}-{number}" in existing:
        number += 1
    return f"{slug}-{number}"
