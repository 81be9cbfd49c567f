"""clean_text, validate, published dates and make_article."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.ingest.clean import clean_text, make_article, normalise_published, validate
from sitrep.model.article import Article, Reject
from sitrep.model.ids import article_id_for
from sitrep.settings import IngestSettings

S = IngestSettings()
BODY = "Officials said the bridge at Kessel was reopened on Friday after repairs."


def test_clean_text_normalises_lines_and_blank_runs() -> None:
    raw = "Title  \r\nLine two\t\rLine three\n\n\n\n\n\nLast line   \n"
    assert clean_text(raw) == "Title\nLine two\nLine three\n\n\nLast line"


def test_clean_text_keeps_one_and_two_blank_lines() -> None:
    assert clean_text("a\n\nb\n\n\nc") == "a\n\nb\n\n\nc"


@pytest.mark.parametrize(
    "footer",
    [
        "The post Bridge reopened appeared first on Example Frontline News.",
        "the post <Bridge> appeared first on Example",
        "This article originally appeared on Example Wire.",
        "This story was originally published on example.org",
    ],
)
def test_syndication_footers_are_removed_and_recorded(footer: str) -> None:
    made = make_article(f"{BODY}\n\n{footer}\n", origin="t", settings=IngestSettings())
    assert isinstance(made, Article)
    assert made.text == BODY
    assert [(r.rule, r.text) for r in made.boilerplate] == [("contributed-by", footer)]


def test_sentences_that_merely_mention_posts_are_kept() -> None:
    text = "The post office appeared intact, residents said, after the strike."
    made = make_article(text, origin="t", settings=IngestSettings())
    assert isinstance(made, Article)
    assert made.text == text
    assert made.boilerplate == []


def test_clean_text_drops_stray_controls_but_keeps_nul() -> None:
    assert clean_text("a\x07b\x0bc") == "ab\nc"
    assert "\x00" in clean_text("a\x00b")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "R003"),
        ("  \n\t ", "R003"),
        ("text with a NUL \x00 inside, long enough to count", "R004"),
        ("\x01\x02\x03\x04" * 10, "R004"),
        ("x" * (S.max_chars + 1), "R007"),
        ("Too short.", "R011"),
        (BODY, None),
    ],
)
def test_validate(text: str, code: str | None) -> None:
    assert validate(text, S) == code


def test_validate_respects_settings() -> None:
    assert validate(BODY, IngestSettings(max_chars=10)) == "R007"
    assert validate("tiny", IngestSettings(min_chars=1)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-25T09:00:00Z", "2022-01-25T09:00:00Z"),
        ("2023-02-24", "2023-02-24"),
        ("2023-02-24T10:00:00+02:00", "2023-02-24T10:00:00+02:00"),
        ("2023-02-24 10:00", "2023-02-24T10:00:00"),
        ("Fri, 24 Feb 2023 10:15:00 +0000", "2023-02-24T10:15:00Z"),
        ("Sat, 25 Feb 2023 07:00:00 GMT", "2023-02-25T07:00:00Z"),
        (time.struct_time((2023, 2, 24, 10, 0, 0, 4, 55, 0)), "2023-02-24T10:00:00Z"),
        ("2023-02-30", None),
        ("yesterday", None),
        ("", None),
        (20230224, None),
        (None, None),
    ],
)
def test_normalise_published(value: object, expected: str | None) -> None:
    assert normalise_published(value) == expected


def test_make_article_fields_and_ids() -> None:
    article = make_article(
        f"  {BODY}  \r\n",
        id=None,
        url=" https://example.org/a ",
        title="  A   title ",
        outlet="",
        published="not a date",
        origin="test",
        settings=S,
    )
    assert isinstance(article, Article)
    assert article.text == BODY
    assert article.id == article_id_for(BODY)
    assert article.url == "https://example.org/a"
    assert article.title == "A title"
    assert article.outlet is None
    assert article.published is None  # unparseable dates are dropped, not rejected
    assert article.origin == "test"


def test_make_article_given_id_is_stringified() -> None:
    article = make_article(BODY, id=17, origin="t", settings=S)
    assert isinstance(article, Article) and article.id == "17"
    blank = make_article(BODY, id="  ", origin="t", settings=S)
    assert isinstance(blank, Article) and blank.id == article_id_for(BODY)


def test_make_article_same_text_same_id() -> None:
    one = make_article(BODY, origin="a", settings=S)
    two = make_article(BODY + "\n\nThe post X appeared first on Y.", origin="b", settings=S)
    assert isinstance(one, Article) and isinstance(two, Article)
    assert one.id == two.id


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "R003"),
        ("The post X appeared first on Y.", "R003"),
        ("bin\x00ary" * 5, "R004"),
        ("short", "R011"),
    ],
)
def test_make_article_rejects(text: str, code: str) -> None:
    reject = make_article(text, origin="here", settings=S)
    assert isinstance(reject, Reject)
    assert (reject.code, reject.origin) == (code, "here")
    assert reject.reason
    assert "\x00" not in reject.snippet


def test_make_article_rejects_huge_text_without_cleaning() -> None:
    reject = make_article("word " * 100, origin="big", settings=IngestSettings(max_chars=100))
    assert isinstance(reject, Reject) and reject.code == "R007"
    assert "max_chars=100" in reject.reason
    assert len(reject.snippet) <= 80


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_property_clean_and_make_never_raise(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned  # idempotent
    result = make_article(text, origin="prop", settings=IngestSettings(min_chars=1))
    if isinstance(result, Article):
        assert result.text.strip()
        assert result.text == result.text.strip()
        assert result.id
    else:
        assert result.code in {"R003", "R004", "R007", "R011"}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_property_published_never_raises(value: str) -> None:
    result = normalise_published(value)
    assert result is None or result[:4].isdigit()
