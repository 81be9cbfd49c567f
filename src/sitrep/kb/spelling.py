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


# A surname this long (as a spelling key) may be one letter off and still name the person:
# shorter ones collide ("Kim"/"Kin").
NEAR_SURNAME_MIN = 6


def one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by at most one inserted, deleted or replaced letter."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
