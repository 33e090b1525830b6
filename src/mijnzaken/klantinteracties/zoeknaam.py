"""The search key of a name: its words case-folded and without accents, so that "ölçer" finds
"Ölçer" and "emile" finds "Émile" on every database, whatever its own idea of case.

The words of a partij's name are stored as rows of their own (models.PartijZoekwoord, kept up
to date on every write), and a search matches each word of the query as the beginning of a
stored word: a range on an ordinary btree index, so a search reads the index, not the table.
A word inside another ("sen" in "Jansen") is not found; neither database could use an index
for that without an extension.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_WOORD = 100  # the longest stored word (a longer one is kept by its beginning)

# letters without a decomposition into a base letter and an accent
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
_WOORD = re.compile(r"[^\W_]+")


def _zonder_accenten(tekst: str) -> str:
    decomposed = unicodedata.normalize("NFKD", tekst)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sleutel(tekst: str) -> str:
    """`tekst` case-folded, without accents and compatibility forms ("Ölçer" → "olcer",
    "Straße" → "strasse")."""
    return _zonder_accenten(_zonder_accenten(tekst).casefold()).translate(_LETTERS)


def woorden(*delen: str | None) -> list[str]:
    """The distinct search words of the name parts `delen`, in order: letters and digits
    only (a hyphen or apostrophe separates words), each at most MAX_WOORD long."""
    found = _WOORD.findall(sleutel(" ".join(d for d in delen if d)))
    return list(dict.fromkeys(w[:MAX_WOORD] for w in found))


def volgende(woord: str) -> str:
    """The first string after every string that begins with `woord`, in code point order
    (which is byte order in UTF-8): `begint met woord` is `woord <= x < volgende(woord)`."""
    last = ord(woord[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates are no characters
        last = 0xE000
    if last > 0x10FFFF:
        return woord + "\U0010ffff"  # practically unreachable: no name ends in U+10FFFF
    return woord[:-1] + chr(last)


def past(naam_delen: Iterable[str | None], zoekterm: str) -> bool:
    """Every word of `zoekterm` begins a word of the name: the rule of the search, for names
    that come from elsewhere."""
    gezocht = woorden(zoekterm)
    naam = woorden(*naam_delen)
    return bool(gezocht) and all(any(w.startswith(g) for w in naam) for g in gezocht)
