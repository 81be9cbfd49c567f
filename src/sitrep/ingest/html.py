"""HTML pages to articles (trafilatura), and a plain tag stripper for small fragments."""

from __future__ import annotations

import html as html_lib
from html.parser import HTMLParser
from typing import Any

import trafilatura

from sitrep.ingest.clean import make_article, snippet
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr"),
        "ul",
    }
)
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "iframe", "svg"})


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def strip_tags(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, blocks become paragraphs."""
    parser = _Stripper()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # HTMLParser is lenient; this is a last resort
        return html_lib.unescape(fragment)
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _extract(markup: str | bytes, url: str | None) -> dict[str, Any] | None:
    try:
        doc = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # trafilatura/lxml on hostile input: recursion, parser errors …
        return None
    if doc is None:
        return None
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return data if isinstance(data, dict) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def article_from_html(
    markup: str | bytes,
    *,
    origin: str,
    settings: IngestSettings,
    url: str | None = None,
    id: object = None,
    title: str | None = None,
    outlet: str | None = None,
    published: object = None,
) -> Article | Reject:
    """Main text and metadata of an HTML page; given fields win over extracted ones.

    A page without main text is `Reject` R006; extraction never raises.
    """
    data = _extract(markup, url)
    text = _str(data.get("text")) if data else None
    if data is None or text is None:
        shown = markup.decode("utf-8", "replace") if isinstance(markup, bytes) else markup
        return Reject(
            origin=origin,
            code="R006",
            reason="HTML page without article text",
            snippet=snippet(shown),
        )
    result = make_article(
        text,
        id=id,
        url=url or _str(data.get("url")),
        title=title or _str(data.get("title")),
        outlet=outlet or _str(data.get("sitename")),
        published=published if published is not None else _str(data.get("date")),
        origin=origin,
        settings=settings,
    )
    if isinstance(result, Reject) and result.code in ("R003", "R011"):
        # Only menu or footer scraps came out: no main text on this page.
        return Reject(
            origin=origin,
            code="R006",
            reason=f"HTML page without article text ({result.reason})",
            snippet=result.snippet,
        )
    return result
