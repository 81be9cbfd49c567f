from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitrep.extract.quotemarks import find_quoted


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in find_quoted(text)]


def test_curly_and_straight_quotes() -> None:
    text = 'He said “we will hold the line” and added "nothing more to say".'
    assert _texts(text) == ["we will hold the line", "nothing more to say"]


def test_multi_paragraph_quote_is_one_stretch_per_paragraph() -> None:
    """A long quote runs to the final closing mark, one stretch per paragraph (the
    annotation guide's one quote per paragraph)."""
    text = "“First paragraph of a long statement\n\n“and the second one,” she said.\nNext."
    assert _texts(text) == ["First paragraph of a long statement", "and the second one,"]


def test_unbalanced_quote_closes_at_paragraph_end() -> None:
    text = "The “pact was never offered\n\nMinsk said nothing else."
    assert _texts(text) == ["pact was never offered"]


def test_apostrophes_and_inch_marks_do_not_open_quotes() -> None:
    assert _texts("It's a 12\" gun, Russia's army said.") == []


@given(st.text(alphabet=st.sampled_from(list('ab “”"\n.,')), max_size=200))
def test_spans_are_inside_the_text_and_ordered(text: str) -> None:
    spans = find_quoted(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_dash_quotes_run_from_an_opening_dash_to_a_spaced_dash() -> None:
    from sitrep.extract.dashquotes import find_dash_quoted

    text = (
        "The minister spoke on Monday.- We will not give in to pressure - he said.\n"
        "- Nobody here is ready for a long war - said the deputy Anna Nowak.\n"
        "The anti -German mood is a well-known thing - in Poland."
    )
    found = [(text[s:e], text[a : a + 7]) for s, e, a in find_dash_quoted(text)]
    assert found == [
        ("We will not give in to pressure", "he said"),
        ("Nobody here is ready for a long war", "said th"),
    ]
