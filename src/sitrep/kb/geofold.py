"""The gazetteer's lookup key: shared by the index builder and the look-ups."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[\u2019`´]")
# Letters NFKD does not decompose, common in transliterated place names.
_TRANSLIT = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ı": "i",
        "ʼ": "'",
        "ʹ": "'",
    }
)


# Pure and called for every capitalised word of every article: worth remembering.
@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Lower case, accents removed, whitespace collapsed, a leading "the" dropped."""
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _PUNCT.sub("'", text).lower().replace("-", " ").replace(".", "").strip()
    if text.startswith("the "):
        text = text[4:]
    return _SPACES.sub(" ", text)
