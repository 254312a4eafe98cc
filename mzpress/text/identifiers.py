"""Personal identifiers in text: resident ID numbers, mobile numbers, bank cards; and their masked forms.

Pure functions, no I/O. ``find_identifiers(text)`` returns every unmasked identifier with its
character offsets in ``text``; the privacy check, the attachment readers and ``mzpress mask``
all use it, so what the scanner reports is exactly what the masker masks.

Developer notes
---------------
* One compiled regex finds *candidates*; Python then validates each one. Full-width digits
  (``０-９``), ``Ｘ``/``ｘ``, full-width letters and separators are matched directly by the
  character classes and normalised only inside a candidate (1:1 per character), so offsets and
  columns always refer to the original text and a story without long digit runs costs one
  regex scan. The pattern starts with a bare character class so ``re`` can skip quickly to
  the next digit (about 4x faster than a leading lookbehind).
* Boundaries: a candidate must not touch an ASCII or full-width letter/digit on either side,
  so an 18-digit run inside a 20-digit number, or the digits of a unified social credit code
  (``91360723MA35…``), are never read as an ID. CJK characters, punctuation and spaces are
  boundaries (``电话13812345678`` is found).
* Shapes found: contiguous runs (11 to 19 digits, an ID may end in X/x); groups written with
  one repeated separator (space, hyphen, full-width space, ``*``): mobile ``138 1234 5678``,
  bank card ``6222 0212 3456 7890 123``, ID ``360723 19900101 1234``; ``+86``/``0086`` before a
  mobile. ``138*1234*5678`` shows every digit (in Markdown it is written with escaped stars,
  or the stars are emphasis and vanish); masked forms put ``*`` where digits were, never
  between groups of digits, so they still never match.
* Resident ID (GB 11643): 18 characters with the check character (lower-case x accepted), the
  first two digits a province code (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81-83: a
  stricter form of "first digit 1-8"), a real birth date from 1900 up to today. Legacy 15-digit
  IDs: province code and a real ``19YYMMDD`` date (they carry no check digit).
* Mobile: 11 digits starting ``13``-``19``.
* Bank card: 16-19 digits, Luhn check, AND an issuer prefix from ``BANK_CARD_PREFIXES``:
  62 (UnionPay, nearly every card issued in China), 60 (older Bank of China / Discover), 4 (Visa),
  5 (Mastercard and many Chinese credit cards), 35 (JCB), 9 (pre-UnionPay domestic cards such
  as 9558/95599). Luhn alone passes one random number in ten; document and order numbers
  usually start with a year (19xx/20xx) or 1, which no listed prefix covers. An 18-digit run
  that has the shape of an ID (province code + real birth date) is never reported as a card,
  so an ID with a wrong check digit stays silent.
* Masked forms (``360723********1234``, ``138****5678``, ``6222 **** **** 1234``) contain ``*``
  and never match. The masking functions replace characters one for one (length is kept),
  which lets ``mzpress mask`` rewrite Word runs and table cells in place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    ID_NUMBER = "id-number"
    MOBILE = "mobile"
    BANK_CARD = "bank-card"


@dataclass(frozen=True, slots=True)
class Identifier:
    """One unmasked identifier: ``text[start:end]`` is ``original``; ``masked`` has the same length."""

    kind: Kind
    start: int
    end: int
    original: str
    masked: str


# --- normalisation (one character for one character) -------------------------------------------

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0xFF0D: 0x2D, 0xFF0B: 0x2B})  # spaces, －, ＋


def normalize(text: str) -> str:
    """Full-width digits, letters, spaces, hyphen and plus to ASCII; same length as ``text``."""
    return text.translate(_FULLWIDTH)


# --- candidates ---------------------------------------------------------------------------------

_D = "[0-9\uff10-\uff19]"
_ONE = "[1\uff11]"
_X = "[Xx\uff38\uff58]"
_SEP = "[ \\-\u00a0\u3000\uff0d*]"
_ALNUM = "[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"

# Every shape starts with three digits; the lookbehind after them is the left boundary (not
# preceded by a letter or digit). Starting with a bare character class lets ``re`` skip fast.
_CANDIDATE = re.compile(
    rf"{_D}{{3}}(?<!{_ALNUM}{_D}{{3}})(?:"
    # bank card (or an ID) in groups of four: 6222 0212 3456 7890[ 123]
    rf"{_D}(?P<s1>{_SEP}){_D}{{4}}(?:(?P=s1){_D}{{4}}){{2}}(?:(?P=s1){_D}{{0,2}}(?:{_D}|{_X}))?"
    # mobile 3-4-4: 138 1234 5678, 138-1234-5678
    rf"|(?<={_ONE}{_D}{{2}})(?P<s2>{_SEP}){_D}{{4}}(?P=s2){_D}{{4}}"
    # ID 6-8-4: 360723 19900101 1234
    rf"|{_D}{{3}}(?P<s3>{_SEP}){_D}{{8}}(?P=s3){_D}{{3}}(?:{_D}|{_X})"
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


def _classify(compact: str, today: dt.date, grouped_mobile: bool) -> tuple[Kind, int] | None:
    """What a candidate's identifier characters are: its kind and where the identifier starts
    within ``compact`` (after a country code 86/0086 before a mobile)."""
    n = len(compact)
    if grouped_mobile:
        return (Kind.MOBILE, 0) if is_mobile(compact) else None
    if compact[-1] in "Xx":
        return (Kind.ID_NUMBER, 0) if is_id18(compact, today) else None
    if n == 11:
        return (Kind.MOBILE, 0) if is_mobile(compact) else None
    if n == 13 and compact.startswith("86") and is_mobile(compact[2:]):
        return Kind.MOBILE, 2
    if n == 15:
        if is_id15(compact):
            return Kind.ID_NUMBER, 0
        if compact.startswith("0086") and is_mobile(compact[4:]):
            return Kind.MOBILE, 4
        return None
    if n == 18 and is_id18(compact, today):
        return Kind.ID_NUMBER, 0
    if is_bank_card(compact, today):
        return Kind.BANK_CARD, 0
    return None


def find_identifiers(text: str, today: dt.date | None = None) -> list[Identifier]:
    """Every unmasked ID number, mobile and bank card in ``text``, in order, with original offsets."""
    if not text:
        return []
    today = today or dt.date.today()
    found: list[Identifier] = []
    for match in _CANDIDATE.finditer(text):
        start, end = match.span()
        original = text[start:end]
        norm = normalize(original)
        separated = match.group("s1") or match.group("s2") or match.group("s3")
        compact = norm.replace(normalize(separated), "") if separated else norm
        kind_span = _classify(compact, today, grouped_mobile=match.group("s2") is not None)
        if kind_span is None:
            continue
        kind, offset = kind_span
        if offset:  # a country code before a mobile (never separated): report the number itself
            start += offset
            original = original[offset:]
        masked = _MASKERS[kind](original)
        found.append(Identifier(kind, start, end, original, masked))
    return found


def mask_identifiers(text: str, today: dt.date | None = None) -> tuple[str, Counter]:
    """``text`` with every identifier masked (same length), and how many of each kind."""
    found = find_identifiers(text, today)
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
