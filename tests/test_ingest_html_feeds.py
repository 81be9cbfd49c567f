"""HTML pages (trafilatura) and RSS/Atom feeds (feedparser)."""

from __future__ import annotations

from pathlib import Path

from sitrep.ingest.feeds import read_feed
from sitrep.ingest.html import article_from_html, strip_tags
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
S = IngestSettings()


def test_html_page_main_text_and_metadata() -> None:
    article = article_from_html((FIXTURES / "page.html").read_bytes(), origin="page", settings=S)
    assert isinstance(article, Article)
    assert article.title == "Ceasefire talks resume in Lakeside"
    assert article.outlet == "The Daily Example"
    assert article.published == "2023-03-14"
    assert article.url == "https://daily.example.org/world/ceasefire-talks-lakeside"
    assert "Negotiators from both sides" in article.text
    assert "no casualties were recorded" in article.text
    for boilerplate in ("Privacy policy", "All rights reserved", "cookies", "Weather"):
        assert boilerplate not in article.text


def test_html_given_url_wins() -> None:
    markup = (FIXTURES / "page.html").read_text(encoding="utf-8")
    article = article_from_html(markup, origin="p", settings=S, url="https://fetched.example/x")
    assert isinstance(article, Article) and article.url == "https://fetched.example/x"


def test_html_without_article_text_is_r006() -> None:
    for markup in (
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "",
        b"\x00\x01\x02\xff" * 50,
        "<<<>>>&&&;;;</p></div>",
    ):
        reject = article_from_html(markup, origin="empty", settings=S)
        assert isinstance(reject, Reject)
        assert reject.code == "R006"
        assert reject.reason.startswith("HTML page without article text")


def test_hostile_html_never_raises() -> None:
    deep = (
        "<div>" * 50_000 + "<p>" + "Deep text about a ceasefire. " * 20 + "</p>" + "</div>" * 50_000
    )
    unclosed = "<table><tr><td>" * 5_000 + "text " * 100
    weird = "<p>" + "\ud7ff\ufffd\u202e" * 100 + "<script>alert(1)</script></p>"
    for markup in (deep, unclosed, weird, "<!--" * 1000, "<?xml ?>" + "<a " * 1000):
        result = article_from_html(markup, origin="hostile", settings=S)
        assert isinstance(result, (Article, Reject))
        if isinstance(result, Reject):
            assert result.code in {"R006", "R011"}


def test_strip_tags() -> None:
    fragment = (
        "<p>First &amp; foremost,<br>second line.</p><script>var x = 1;</script>"
        "<ul><li>one</li><li>two</li></ul><style>p{}</style>  <b>bold</b>   text"
    )
    assert strip_tags(fragment) == "First & foremost,\nsecond line.\n\none\n\ntwo\n\nbold text"


def test_rss_feed_entries() -> None:
    origin = "feed.rss"
    results = list(read_feed((FIXTURES / "feed.rss").read_bytes(), origin, S))
    assert len(results) == 2
    first, second = results
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.origin == "feed.rss#1" and second.origin == "feed.rss#2"
    assert first.title == "Bridge reopened after repairs"
    assert first.url == "https://frontline.example.com/bridge-reopened"
    assert first.outlet == "Example Frontline News"
    assert first.published == "2023-02-24T10:15:00Z"
    assert "appeared first" not in first.text
    assert first.text.endswith("according to a council spokesperson.")
    assert "<p>" not in first.text
    assert second.published == "2023-02-25T07:00:00Z"
    assert second.text.startswith("A convoy of twelve trucks")


def test_atom_feed_entry() -> None:
    [entry] = list(read_feed((FIXTURES / "feed.atom").read_bytes(), "feed.atom", S))
    assert isinstance(entry, Article)
    assert entry.title == "Port authority reports shelling"
    assert entry.url == "https://atom.example.net/port-shelling"
    assert entry.outlet == "Example Atom Desk"
    assert entry.published == "2023-02-24T11:45:00Z"
    assert entry.text.endswith("No injuries were reported.")


def test_broken_and_empty_feeds_are_r009() -> None:
    for data in (
        b"<rss><channel><title>unterminated",
        b"this is not xml at all",
        b"",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
    ):
        [reject] = list(read_feed(data, "bad.xml", S))
        assert isinstance(reject, Reject) and reject.code == "R009", data
    [broken] = list(read_feed(b"<rss><channel><title>x", "bad.xml", S))
    assert isinstance(broken, Reject) and broken.reason.startswith("feed could not be parsed")
    # A broken feed that still yielded entries: the entries are read (here: no text, R003).
    [entry] = list(read_feed(b"<rss><channel><item><title>cut off", "bad.xml", S))
    assert isinstance(entry, Reject) and (entry.code, entry.origin) == ("R003", "bad.xml#1")


def test_feed_entry_without_text_is_r003() -> None:
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Only a title</title><link>https://x.example/1</link></item>"
        b"</channel></rss>"
    )
    [reject] = list(read_feed(data, "f", S))
    assert isinstance(reject, Reject) and (reject.code, reject.origin) == ("R003", "f#1")


def test_feed_string_is_never_fetched(tmp_path: Path) -> None:
    # A feed body that happens to look like a URL or a path must be parsed as content.
    for data in (b"http://127.0.0.1:9/feed", str(tmp_path).encode()):
        [reject] = list(read_feed(data, "f", S))
        assert isinstance(reject, Reject) and reject.code == "R009"
