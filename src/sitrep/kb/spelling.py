"""One key for the spellings of a person's name across transliterations.

Machine-translated Polish news spells Russian and Ukrainian names the Polish way ("Maria
Zacharowa", "Wołodymyr Zełenski", "Borys Nadieżdin"); English news writes "Zakharova",
"Zelensky", "Nadezhdin". Both sides of a KB lookup go through `spelling_key`, which maps the
digraphs of Polish, English and German romanisations onto one letter each and collapses
vowel spellings that only transliteration tells apart. It is used for people only, after
every exact match has failed, so the extra collisions it makes cost little.
"""

from __future__ import annotations

import re

# Applied in order to a folded, lower-cased name (kb.countries.normalize).
_RULES: tuple[tuple[str, str], ...] = (
    ("szcz", "shch"),
    ("sch", "sh"),
    ("cz", "ch"),
    ("sz", "sh"),
    ("rz", "zh"),
    ("tsch", "ch"),
    ("kh", "h"),
    ("ch", "h"),
    ("zh", "z"),
    ("sh", "s"),
    ("ts", "c"),
    ("w", "v"),
    ("ie", "e"),
    ("ye", "e"),
    ("ij", "i"),
    ("yj", "i"),
    ("iy", "i"),
    ("j", "y"),
    ("y", "i"),
)
_DOUBLE = re.compile(r"([a-z])\1+")


def spelling_key(normalized: str) -> str:
    """'maria zacharowa' and 'maria zakharova' → 'maria zaharova'."""
    key = normalized
    for old, new in _RULES:
        key = key.replace(old, new)
    return _DOUBLE.sub(r"\1", key)
