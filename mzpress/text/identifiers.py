"""Personal identifiers in text: resident ID numbers, mobile numbers, bank cards; and their masked forms.

Pure functions, no I/O. ``find_identifiers(text)`` returns every unmasked identifier with its
character offsets in ``text``; the privacy check, the attachment readers and ``mzpress mask``
all use it, so what the scanner reports is exactly what the masker masks.

Developer notes
---------------
* The text is read as a reader reads it (``normalise_digit_separators``): characters nobody
  sees (U+200B and the other zero-width and format characters, U+00AD soft hyphen, U+180E,
  bidirectional controls, variation selectors: ``INVISIBLE``) are removed; full-width digits,
  letters, ``＊``, ``＋`` and every space-like (``SPACE_LIKE``: U+00A0, U+2000-U+200A, U+202F,
  U+205F, U+3000 ...) or hyphen-like (``HYPHEN_LIKE``: U+2010-U+2015, U+2212, U+FE58, U+FE63,
  U+FF0D) separator read as ASCII. Each character of that reading keeps the index it came from,
  so an identifier's ``start``/``end`` always refer to the original text (the masker replaces
  ``text[start:end]``, the check reports its column) and ``original`` keeps the invisible
  characters inside it. A text without invisible characters is searched as it is.
* One compiled regex finds *candidates*; Python then validates each one. Full-width
  characters and separators are matched directly by the character classes and folded only
  inside a candidate (1:1 per character), so a story without long digit runs costs one regex
  scan. The pattern starts with a bare character class so ``re`` can skip quickly to the next
  digit (about 4x faster than a leading lookbehind).
* Boundaries: a candidate must not touch an ASCII or full-width letter/digit on either side,
  so an 18-digit run inside a 20-digit number, or the digits of a unified social credit code
  (``91360723MA35…``), are never read as an ID. CJK characters, punctuation and spaces are
  boundaries (``电话13812345678`` is found). An invisible character is no boundary: it is
  not there for the reader.
* Shapes found: contiguous runs (11 to 19 digits, an ID may end in X/x); groups with one
  separator character between them (space, hyphen, ``*``, any of those above, mixed or not): mobile
  ``138 1234 5678``, bank card ``6222 0212 3456 7890 123``, ID ``360723 19900101 1234``;
  ``+86``/``0086`` before a mobile. ``138*1234*5678`` shows every digit (in Markdown it is
  written with escaped stars, or the stars are emphasis and vanish); masked forms put ``*``
  where digits were, never between groups of digits, so they still never match. Dates
  (``2026-12-05``), times, document numbers (``〔2026〕12号``), amounts (``1,234,567``) and
  landlines with an area code (``0571-88888888``) have none of these shapes.
* Resident ID (GB 11643): 18 characters, the first two digits a province code (11-15, 21-23,
  31-37, 41-46, 50-54, 61-65, 71, 81-83: a stricter form of "first digit 1-8"), a real birth
  date from 1900 up to today. With a wrong check character (lower-case x accepted) it is still
  found, as a suspected ID (``check_digit_ok=False``): a mistyped ID still points at the person.
  Legacy 15-digit IDs: province code and a real ``19YYMMDD`` date (they carry no check digit).
* Mobile: 11 digits starting ``13``-``19``.
* Bank card: 16-19 digits, Luhn check, AND an issuer prefix from ``BANK_CARD_PREFIXES``:
  62 (UnionPay, nearly every card issued in China), 60 (older Bank of China / Discover), 4 (Visa),
  5 (Mastercard and many Chinese credit cards), 35 (JCB), 9 (pre-UnionPay domestic cards such
  as 9558/95599). Luhn alone passes one random number in ten; document and order numbers
  usually start with a year (19xx/20xx) or 1, which no listed prefix covers. An 18-digit run
  that has the shape of an ID (province code + real birth date) is always an ID, never a card,
  whatever its check character.
* File names (``find_identifiers_in_name``): ``_``, ``.`` and spaces separate groups of digits
  like hyphens, a letter next to the digits hides nothing (``zhangsan13912345678.jpg``), and a mobile or a
  (check-digit valid) ID split at other places (``139_12345678``) is found too.
* Masked forms (``360723********1234``, ``138****5678``, ``6222 **** **** 1234``) contain ``*``
  and never match. The masking functions replace characters one for one (length is kept),
  which lets ``mzpress mask`` rewrite Word runs and table cells in place.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    ID_NUMBER = "id-number"
    MOBILE = "mobile"
    BANK_CARD = "bank-card"


@dataclass(frozen=True, slots=True)
class Identifier:
    """One unmasked identifier: ``text[start:end]`` is ``original``; ``masked`` has the same length.

    ``check_digit_ok`` is False for a suspected ID: an 18-character number with a province code
    and a real birth date whose check character is wrong (still the person's ID to a reader).
    """

    kind: Kind
    start: int
    end: int
    original: str
    masked: str
    check_digit_ok: bool = True


# --- normalisation ------------------------------------------------------------------------------

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0xFF0D: 0x2D, 0xFF0B: 0x2B})  # spaces, －, ＋

# Separators a writer, a word processor or an attacker may put between groups of digits, read as
# an ASCII space or hyphen: the space characters of Unicode (Zs) and the hyphens and dashes.
SPACE_LIKE = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
HYPHEN_LIKE = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# What a reader does not see: format characters (zero-width space, joiners, word joiner, BOM,
# U+00AD soft hyphen, U+180E), bidirectional controls, the combining grapheme joiner, variation
# selectors and tags. They are removed before looking for identifiers.
INVISIBLE = ("\u00ad\u034f\u061c\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
             "\u2066-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\U000e0100-\U000e01ef")
_INVISIBLE_BMP, _INVISIBLE_ASTRAL = INVISIBLE.split("\U000e0000", 1)

_FOLD = dict(_FULLWIDTH)
_FOLD.update({ord(ch): 0x20 for ch in SPACE_LIKE})
_FOLD.update({ord(ch): 0x2D for ch in HYPHEN_LIKE})
_FOLD[0xFF0A] = 0x2A  # ＊
_INVISIBLE_RUN = re.compile(f"[{INVISIBLE}]+")
# ``re`` tests a class of BMP characters with a bitmap and one with astral ranges much more slowly:
# the astral characters are looked for only in a text that has astral characters at all.
_INVISIBLE_IN_BMP = re.compile(f"[{_INVISIBLE_BMP}]")
_INVISIBLE_ASTRAL_ONLY = re.compile(f"[\U000e0000{_INVISIBLE_ASTRAL}]")


def _has_invisible(text: str) -> bool:
    if text.isascii():
        return False
    if _INVISIBLE_IN_BMP.search(text) is not None:
        return True
    beyond_bmp = len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)
    return beyond_bmp and _INVISIBLE_ASTRAL_ONLY.search(text) is not None


def _visible(text: str) -> tuple[str, Sequence[int]]:
    """``text`` without its invisible characters, and where each remaining character came from."""
    if not _has_invisible(text):
        return text, range(len(text) + 1)
    return _deleting(text, _INVISIBLE_RUN)


def without_invisible(text: str) -> str:
    """``text`` without the characters a reader does not see (``INVISIBLE``)."""
    return _visible(text)[0]


def normalize(text: str) -> str:
    """Full-width digits, letters, ``＊``, ``＋`` and space- and hyphen-like separators to ASCII;
    same length as ``text``."""
    return text.translate(_FOLD)


def _deleting(text: str, pattern: re.Pattern) -> tuple[str, Sequence[int]]:
    """``text`` without the matches of ``pattern``, and where each remaining character came from
    (``offsets[len(result)] == len(text)``)."""
    if pattern.search(text) is None:
        return text, range(len(text) + 1)
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        pieces.append(text[pos:match.start()])
        offsets.extend(range(pos, match.start()))
        pos = match.end()
    pieces.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    return "".join(pieces), offsets


def normalise_digit_separators(text: str) -> tuple[str, Sequence[int]]:
    """``text`` as a reader reads its numbers, and where each of its characters comes from.

    Invisible characters (``INVISIBLE``) are removed; full-width characters and space- and
    hyphen-like separators become ASCII (:func:`normalize`). ``offsets[i]`` is the index in
    ``text`` of character ``i`` of the reading; ``offsets[len(reading)] == len(text)``.
    :func:`find_identifiers` reads text this way (it folds only its candidates, which is faster).
    """
    visible, offsets = _visible(text)
    return normalize(visible), offsets


# --- candidates ---------------------------------------------------------------------------------

_D = "[0-9\uff10-\uff19]"
_ONE = "[1\uff11]"
_X = "[Xx\uff38\uff58]"
_SEP_CHARS = " \\-*\uff0a" + SPACE_LIKE + HYPHEN_LIKE
_SEP = f"[{_SEP_CHARS}]"
_SEPARATOR = re.compile(f"[{_SEP_CHARS}]")
_ALNUM = "[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"

# Every shape starts with three digits; the lookbehind after them is the left boundary (not
# preceded by a letter or digit). Starting with a bare character class lets ``re`` skip fast.
# Separators: one character between groups, any of them (``138 1234-5678`` reads as one number).
_CANDIDATE = re.compile(
    rf"{_D}{{3}}(?<!{_ALNUM}{_D}{{3}})(?:"
    # bank card (or an ID) in groups of four: 6222 0212 3456 7890[ 123]
    rf"{_D}(?P<s1>{_SEP}){_D}{{4}}(?:{_SEP}{_D}{{4}}){{2}}(?:{_SEP}{_D}{{0,2}}(?:{_D}|{_X}))?"
    # mobile 3-4-4: 138 1234 5678, 138-1234-5678
    rf"|(?<={_ONE}{_D}{{2}})(?P<s2>{_SEP}){_D}{{4}}{_SEP}{_D}{{4}}"
    # ID 6-8-4: 360723 19900101 1234
    rf"|{_D}{{3}}(?P<s3>{_SEP}){_D}{{8}}{_SEP}{_D}{{3}}(?:{_D}|{_X})"
    # a contiguous run of 11 or more (possessive: no backtracking inside long numbers)
    rf"|{_D}{{8,}}+{_X}?"
    rf")(?!{_ALNUM})"
)

# --- resident ID --------------------------------------------------------------------------------

PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """The GB 11643 check character ('0'-'9' or 'X') for the first 17 digits of an ID."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _digits(value: str) -> bool:
    """ASCII digits only (``str.isdigit`` also accepts ０-９ and superscripts)."""
    return value.isascii() and value.isdigit()


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _id_shaped(digits: str, today: dt.date) -> bool:
    """Province code and a real birth date (1900..today) where an 18-character ID has them."""
    if digits[:2] not in PROVINCE_CODES or not _digits(digits[6:14]):
        return False
    born = _real_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    return born is not None and dt.date(1900, 1, 1) <= born <= today


def is_id18(value: str, today: dt.date | None = None) -> bool:
    """An 18-character resident ID (ASCII, normalised): shape, birth date and check character."""
    if len(value) != 18 or not _digits(value[:17]):
        return False
    if not _id_shaped(value, today or dt.date.today()):
        return False
    return id_check_char(value[:17]) == value[17].upper()


def is_suspected_id18(value: str, today: dt.date | None = None) -> bool:
    """An 18-character number (ASCII, normalised) with the shape of an ID (province code and a
    real birth date) whose check character is wrong: a mistyped ID, still the person's."""
    if len(value) != 18 or not _digits(value[:17]) or not (_digits(value[17]) or value[17] in "Xx"):
        return False
    if not _id_shaped(value, today or dt.date.today()):
        return False
    return id_check_char(value[:17]) != value[17].upper()


def is_id15(value: str) -> bool:
    """A legacy 15-digit ID: province code and a real 19YYMMDD birth date."""
    if len(value) != 15 or not _digits(value) or value[:2] not in PROVINCE_CODES:
        return False
    return _real_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12])) is not None


# --- mobile and bank card -----------------------------------------------------------------------

BANK_CARD_PREFIXES = ("62", "60", "4", "5", "35", "9")


def is_mobile(value: str) -> bool:
    return len(value) == 11 and _digits(value) and value[0] == "1" and value[1] in "3456789"


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def is_bank_card(value: str, today: dt.date | None = None) -> bool:
    if not (16 <= len(value) <= 19 and _digits(value)):
        return False
    if not value.startswith(BANK_CARD_PREFIXES) or not luhn_valid(value):
        return False
    return not (len(value) == 18 and _id_shaped(value, today or dt.date.today()))


# --- masking ------------------------------------------------------------------------------------


def _mask_keeping(value: str, head: int, tail: int) -> str:
    """Replace identifier characters by '*' except the first ``head`` and last ``tail``; keep separators."""
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    hidden = set(positions[head:len(positions) - tail] if tail else positions[head:])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def mask_id_number(value: str) -> str:
    """Keep the first 6 and the last 4: 360723********1234."""
    return _mask_keeping(value, 6, 4)


def mask_mobile(value: str) -> str:
    """Keep the first 3 and the last 4: 138****5678."""
    return _mask_keeping(value, 3, 4)


def mask_bank_card(value: str) -> str:
    """Keep only the last 4: ************1234 (group separators kept)."""
    return _mask_keeping(value, 0, 4)


COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "司徒", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "轩辕", "百里", "呼延", "澹台", "闻人", "万俟",
    "赫连", "申屠", "公羊", "太史", "钟离", "宗政", "濮阳", "淳于", "单于", "太叔", "仲孙", "司空",
})


def mask_name(name: str) -> str:
    """Keep the surname, mask the rest one '*' per character: 王小明 → 王**, 欧阳娜娜 → 欧阳**.

    Surrounding whitespace is kept; names already masked are returned unchanged.
    """
    stripped = name.strip()
    if len(stripped) < 2:
        return name
    lead = name[:len(name) - len(name.lstrip())]
    trail = name[len(name.rstrip()):]
    keep = 2 if stripped[:2] in COMPOUND_SURNAMES and len(stripped) > 2 else 1
    rest = "".join(ch if ch.isspace() else "*" for ch in stripped[keep:])
    return f"{lead}{stripped[:keep]}{rest}{trail}"


_MASKERS = {Kind.ID_NUMBER: mask_id_number, Kind.MOBILE: mask_mobile, Kind.BANK_CARD: mask_bank_card}


# --- finding ------------------------------------------------------------------------------------


def _classify(compact: str, today: dt.date, grouped_mobile: bool) -> tuple[Kind, int, bool] | None:
    """What a candidate's identifier characters are: its kind, where the identifier starts
    within ``compact`` (after a country code 86/0086 before a mobile) and whether its check
    character is right (False for a suspected ID)."""
    n = len(compact)
    if grouped_mobile:
        return (Kind.MOBILE, 0, True) if is_mobile(compact) else None
    if n == 18 and (compact[-1] in "Xx" or _digits(compact[-1])):
        if is_id18(compact, today):
            return Kind.ID_NUMBER, 0, True
        if is_suspected_id18(compact, today):  # never a card: an ID-shaped number is an ID
            return Kind.ID_NUMBER, 0, False
    if compact[-1] in "Xx":
        return None
    if n == 11:
        return (Kind.MOBILE, 0, True) if is_mobile(compact) else None
    if n == 13 and compact.startswith("86") and is_mobile(compact[2:]):
        return Kind.MOBILE, 2, True
    if n == 15:
        if is_id15(compact):
            return Kind.ID_NUMBER, 0, True
        if compact.startswith("0086") and is_mobile(compact[4:]):
            return Kind.MOBILE, 4, True
        return None
    if is_bank_card(compact, today):
        return Kind.BANK_CARD, 0, True
    return None


def _found_in_reading(reading: str, today: dt.date) -> list[tuple[Kind, int, int, bool]]:
    """(kind, start, end, check digit right) of every identifier in a reading (offsets into it)."""
    found = []
    for match in _CANDIDATE.finditer(reading):
        start, end = match.span()
        candidate = normalize(reading[start:end])
        separated = match.group("s1") or match.group("s2") or match.group("s3")
        compact = _SEPARATOR.sub("", candidate) if separated else candidate
        classified = _classify(compact, today, grouped_mobile=match.group("s2") is not None)
        if classified is None:
            continue
        kind, offset, check_digit_ok = classified
        # A country code before a mobile is never separated: report the number itself.
        found.append((kind, start + offset, end, check_digit_ok))
    return found


def identifier_characters(value: str) -> str:
    """The digits (and X) of an identifier as written, ASCII and upper-case, without separators or
    invisible characters: ``138\u200b-1234 5678`` and ``13812345678`` are the same number."""
    return "".join(ch for ch in normalize(value) if ch.isascii() and ch.isalnum()).upper()


def _identifier(text: str, kind: Kind, start: int, end: int, check_digit_ok: bool) -> Identifier:
    original = text[start:end]
    return Identifier(kind, start, end, original, _MASKERS[kind](original), check_digit_ok)


def public_number_keys(numbers: Iterable[str]) -> frozenset[str]:
    """The identifier characters (:func:`identifier_characters`) of published contact numbers, as
    :func:`find_identifiers` compares them: ``139-1234-5678`` and ``13912345678`` are one number. A
    mobile given with its country code (``+86 139…``) also matches the number without it."""
    keys = set()
    for number in numbers:
        key = identifier_characters(str(number))
        if not key:
            continue
        keys.add(key)
        for prefix in ("0086", "86"):
            if key.startswith(prefix) and is_mobile(key[len(prefix):]):
                keys.add(key[len(prefix):])
    return frozenset(keys)


_SHORTEST = 11  # characters of the shortest identifier (a mobile); separators only add to it


def find_identifiers(text: str, today: dt.date | None = None, *, public: Iterable[str] = ()) -> list[Identifier]:
    """Every unmasked ID number, mobile and bank card in ``text``, in order, with original offsets.

    The text is read as :func:`normalise_digit_separators` reads it: invisible characters inside
    a number hide nothing, and ``original`` (``text[start:end]``) keeps them.

    ``public``: contact numbers the site publishes on purpose (``site.yml`` ``public_numbers``, as
    written there or as :func:`public_number_keys`): a mobile among them is no finding and is never
    masked. ID numbers and bank cards are found whatever ``public`` says."""
    if len(text) < _SHORTEST:  # most front-matter values: no identifier fits
        return []
    today = today or dt.date.today()
    reading, offsets = _visible(text)
    found = [_identifier(text, kind, offsets[start], offsets[end - 1] + 1, ok)
             for kind, start, end, ok in _found_in_reading(reading, today)]
    if public and any(item.kind is Kind.MOBILE for item in found):
        keys = public_number_keys(public)  # idempotent: keys already made are taken as they are
        found = [item for item in found
                 if item.kind is not Kind.MOBILE or identifier_characters(item.original) not in keys]
    return found


# File names: ``_``, ``.`` and spaces separate groups of digits like a hyphen; letters are
# boundaries, except an X or x right after a digit (the check character of an ID) in one of the
# two readings; a single separator between digits is closed up in a third and fourth reading,
# for the kinds whose shape is strict (mobile; an 18-character ID with a right check character).
_NAME_SEPARATORS = {ord("_"): 0x2D, ord("."): 0x2D, ord(" "): 0x2D}
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_LETTER_NOT_CHECK = re.compile(r"(?<![0-9])[Xx]|[^\W\d_Xx]")
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])-(?=[0-9])")


def _decimal_digits(text: str) -> str:
    """Every decimal digit (Unicode Nd: ٣, 𝟑, ３ ...) as its ASCII digit; same length."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.decimal(ch, None) is not None
                   else ch for ch in text)


def find_identifiers_in_name(name: str, today: dt.date | None = None) -> list[Identifier]:
    """Every unmasked ID number, mobile and bank card in a file name or path (``/`` is a boundary),
    with offsets into ``name``: ``张三13912345678.jpg``, ``139_1234_5678.png``, ``zhangsan-139.1234.5678``."""
    if not name:
        return []
    today = today or dt.date.today()
    visible, seen_at = normalise_digit_separators(name)
    visible = _decimal_digits(visible).translate(_NAME_SEPARATORS)
    if sum(ch.isdigit() for ch in visible) < 11:
        return []
    found: list[Identifier] = []
    for letters in (_LETTER_NOT_CHECK, _LETTER):
        reading = letters.sub("/", visible)
        closed, closed_at = _deleting(reading, _BETWEEN_DIGITS)
        for text, at, strict in ((reading, range(len(reading) + 1), False), (closed, closed_at, True)):
            for kind, start, end, ok in _found_in_reading(text, today):
                if strict and not (kind is Kind.MOBILE or (kind is Kind.ID_NUMBER and ok and end - start == 18)):
                    continue
                first, last = seen_at[at[start]], seen_at[at[end - 1]] + 1
                if any(first < other.end and other.start < last for other in found):
                    continue
                found.append(_identifier(name, kind, first, last, ok))
    return sorted(found, key=lambda item: item.start)


def mask_identifiers(text: str, today: dt.date | None = None, *, public: Iterable[str] = ()) -> tuple[str, Counter]:
    """``text`` with every identifier masked (same length), and how many of each kind; the numbers in
    ``public`` (see :func:`find_identifiers`) are left as they are."""
    found = find_identifiers(text, today, public=public)
    if not found:
        return text, Counter()
    parts: list[str] = []
    pos = 0
    for item in found:
        parts.append(text[pos:item.start])
        parts.append(item.masked)
        pos = item.end
    parts.append(text[pos:])
    return "".join(parts), Counter(item.kind for item in found)
