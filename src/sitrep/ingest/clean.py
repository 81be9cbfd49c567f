"""Text clean-up, validation and the one place an `Article` (or a `Reject`) is made."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from sitrep.errors import RejectCode
from sitrep.ingest.boilerplate import packaged_rules, strip_rule_lines
from sitrep.model.article import Article, Reject
from sitrep.model.ids import article_id_for
from sitrep.settings import IngestSettings

_TRAILING_SPACE = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_MANY_BLANKS = re.compile(r"\n{4,}")
# C0 controls except \t \n \v \f \r, plus DEL. NUL is tested separately (always binary).
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
_STRAY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Lone surrogates come from JSON escapes ("\\ud800"); no UTF-8 file or table can hold them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SNIPPET_LEN = 80


def snippet(text: str, length: int = _SNIPPET_LEN) -> str:
    """A short, single-line, printable excerpt for a `Reject`."""
    head = text[: length * 4]
    flat = _STRAY_CONTROL.sub("?", head.replace("\r", " ").replace("\n", " ")).strip()
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def clean_text(text: str) -> str:
    """Normalise line ends, blank lines and stray control characters (boilerplate lines go
    later, recorded: ingest/boilerplate.py).

    NUL is kept (so `validate` still sees binary input); other stray control characters go.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\x0b", "\n").replace("\x0c", "\n")
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANKS.sub("\n\n\n", text)
    return text.strip()


def check(text: str, settings: IngestSettings) -> tuple[RejectCode, str] | None:
    """`(code, reason)` when `text` cannot be an article, else None."""
    if not text.strip():
        return "R003", "no text: empty or whitespace only"
    if "\x00" in text:
        return "R004", "binary content: text contains NUL characters"
    surrogate = _SURROGATE.search(text)
    if surrogate:
        return "R005", f"invalid Unicode: lone surrogate at character {surrogate.start()}"
    controls = len(_CONTROL.findall(text))
    if controls and controls * 100 >= len(text):
        return "R004", f"binary content: {controls} control characters in {len(text)}"
    if len(text) > settings.max_chars:
        return "R007", (
            f"text has {len(text)} characters, more than ingest.max_chars={settings.max_chars}"
        )
    if len(text) < settings.min_chars:
        return "R011", (
            f"text has {len(text)} characters after clean-up, "
            f"fewer than ingest.min_chars={settings.min_chars}"
        )
    return None


def validate(text: str, settings: IngestSettings) -> str | None:
    """The reject code for `text` (R003, R004, R007, R011), or None when it is acceptable."""
    found = check(text, settings)
    return found[0] if found else None


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        return moment.isoformat()
    if moment.utcoffset() == UTC.utcoffset(None):
        return moment.replace(tzinfo=None).isoformat() + "Z"
    return moment.isoformat()


def normalise_published(value: object) -> str | None:
    """ISO "YYYY-MM-DD" or an ISO datetime from ISO, RFC 2822 or a struct_time; else None."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        try:
            return _iso(datetime(*value[:6], tzinfo=UTC))
        except (ValueError, OverflowError):
            return None
    if not isinstance(value, str):
        return None
    raw = value.strip()
    if not raw or len(raw) > 64:
        return None
    if _DATE_ONLY.match(raw):
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            return None
    try:
        return _iso(datetime.fromisoformat(raw))
    except ValueError:
        pass
    try:
        return _iso(parsedate_to_datetime(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _optional(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(_SURROGATE.sub("\ufffd", value).split())
    return value or None


def make_article(
    text: str,
    *,
    id: object = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: object = None,
    origin: str,
    settings: IngestSettings,
) -> Article | Reject:
    """Clean and validate `text`; an `Article` with a stable id, or a `Reject` saying why not."""
    found = check(text, settings)  # raw first: binary and huge texts are never cleaned
    if found is None:
        text = clean_text(text)
        found = check(text, settings)
    if found is not None:
        return Reject(origin=origin, code=found[0], reason=found[1], snippet=snippet(text))
    given = "" if id is None or isinstance(id, bool) else _SURROGATE.sub("\ufffd", str(id)).strip()
    article = Article(
        id=given,
        text=text,
        url=_optional(url),
        title=_optional(title),
        outlet=_optional(outlet),
        published=normalise_published(published),
        origin=origin,
    )
    if settings.boilerplate:
        article = strip_rule_lines(article, packaged_rules())
        left = check(article.text, settings)
        if left is not None:
            rules = ", ".join(sorted({r.rule for r in article.boilerplate}))
            reason = f"{left[1]} once boilerplate is removed ({rules})"
            return Reject(origin=origin, code=left[0], reason=reason, snippet=snippet(text))
    # Without an id of its own, the article is named by its text less boilerplate, so two
    # syndicated copies that differ only in their footers share one id.
    article.id = given or article_id_for(article.text)
    return article
