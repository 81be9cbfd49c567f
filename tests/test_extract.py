"""Extractors on short synthetic news sentences (the parse is real spaCy, nothing mocked)."""

from __future__ import annotations

import pytest

from sitrep.extract.service import Extractor
from sitrep.model import Article, Extraction


def _extract(
    extractor: Extractor, text: str, published: str = "2023-02-24", outlet: str | None = "Wire"
) -> Extraction:
    article = Article(id="t", text=text, published=published, outlet=outlet)
    (result,) = extractor.extract([article])
    return result


def test_every_span_points_at_its_text(extractor: Extractor) -> None:
    text = (
        "KYIV, Ukraine (AP) — Russian forces shelled Kharkiv on Friday, the governor said.\n\n"
        "“We will not retreat,” said Ihor Terekhov, the mayor. Belarus denied the claims."
    )
    result = _extract(extractor, text)
    spans = [e.span for e in result.entities] + [p.span for p in result.places]
    spans += [t.span for t in result.times] + [q.content for q in result.quotes]
    spans += [e.trigger for e in result.events] + [e.sentence for e in result.events]
    assert spans
    for span in spans:
        assert span is not None and text[span.start : span.end] == span.text


def test_entities_resolve_to_actors(extractor: Extractor) -> None:
    result = _extract(extractor, "President Vladimir Putin met Alexander Lukashenko in Minsk.")
    by_text = {e.span.text: e for e in result.entities if e.span}
    assert by_text["Vladimir Putin"].country == "RUS"
    assert by_text["Vladimir Putin"].sector == "GOV"
    assert by_text["Alexander Lukashenko"].actor_id == "BLR.GOV.lukashenko"


def test_places_resolve_with_country_and_coordinates(extractor: Extractor) -> None:
    result = _extract(extractor, "Troops gathered near Minsk and in Belarus, not far from Kyiv.")
    by_text = {p.span.text: p for p in result.places if p.span}
    assert by_text["Minsk"].country == "BLR" and by_text["Minsk"].feature == "PPLC"
    assert by_text["Belarus"].feature == "PCLI" and by_text["Belarus"].lat is not None
    assert by_text["Kyiv"].country == "UKR"


def test_relative_times_use_the_publication_date(extractor: Extractor) -> None:
    result = _extract(
        extractor, "The unit moved on Friday. Last fall, drills began.", published="2023-02-24"
    )
    values = {t.span.text.lower(): t.value for t in result.times if t.span}
    assert values["friday"] == "2023-02-24"
    assert values["last fall"] == "2022-FA"


def test_direct_quote_with_speaker_and_state_media_chain(extractor: Extractor) -> None:
    text = (
        "“If they attack us, the answer will be harsh,” Lukashenko said, according to BelTA, "
        "the state news agency."
    )
    result = _extract(extractor, text)
    (quote,) = [q for q in result.quotes if q.kind == "direct"]
    assert quote.speaker is not None and quote.speaker.actor_id == "BLR.GOV.lukashenko"
    assert [v.source.name for v in quote.via] == ["BelTA"]
    assert quote.via[0].source_type == "state_media"
    assert quote.content.text.startswith("If they attack us")


def test_told_outlet_is_addressee_and_via(extractor: Extractor) -> None:
    text = "Oleh Nikolenko told Ukrainska Pravda that Kyiv had no plans to attack Belarus."
    result = _extract(extractor, text, outlet="Newsweek")
    (quote,) = result.quotes
    assert quote.kind == "indirect"
    assert quote.speaker is not None and quote.speaker.country == "UKR"
    assert quote.addressee is not None and quote.addressee.name == "Ukrainska Pravda"
    assert [v.source.name for v in quote.via] == ["Ukrainska Pravda"]


def test_scare_quotes_are_not_speech(extractor: Extractor) -> None:
    result = _extract(extractor, "Moscow calls the war a “special operation” in its statements.")
    assert [q for q in result.quotes if q.kind == "direct"] == []


@pytest.mark.parametrize(
    ("sentence", "etype", "factuality"),
    [
        ("Russian forces shelled Kharkiv overnight.", "ASSAULT", "asserted"),
        ("Belarus will deploy troops to the border next week.", "MOBILIZE", "future"),
        ("Belarus did not deploy troops to the border.", "MOBILIZE", "negated"),
        ("Russia might attack Ukraine from the north.", "ASSAULT", "hypothetical"),
        # The condition is supposed (hypothetical), the promised strike conditional.
        ("If Ukraine attacks, Belarus will strike Kyiv.", "ASSAULT", "hypothetical"),
        ("Belarus will strike Kyiv if Ukraine attacks.", "ASSAULT", "conditional"),
        (
            "It was not immediately clear whether Ukraine had attacked Belarus.",
            "ASSAULT",
            "uncertain",
        ),
        ("The ministry said Russian troops attacked Ukrainian positions.", "ASSAULT", "reported"),
        ("The European Union imposed sanctions on Belarus.", "SANCTION", "asserted"),
    ],
)
def test_event_type_and_factuality(
    extractor: Extractor, sentence: str, etype: str, factuality: str
) -> None:
    events = _extract(extractor, sentence).events
    assert [(e.type, e.factuality) for e in events if e.type == etype][:1] == [(etype, factuality)]


def test_event_roles_and_date(extractor: Extractor) -> None:
    (event,) = _extract(extractor, "On Tuesday, Russia attacked Ukraine.", "2023-02-24").events
    assert event.source is not None and event.source.country == "RUS"
    assert event.target is not None and event.target.country == "UKR"
    assert event.date is not None and event.date.value == "2023-02-21"
    assert event.cameo == "190" and event.intensity == -9.0


def test_reported_event_carries_attribution(extractor: Extractor) -> None:
    text = "“Russian troops shelled our villages,” Zelensky said, according to Ukrinform."
    (event,) = _extract(extractor, text).events
    assert event.factuality == "reported"
    assert event.attribution is not None and event.attribution.speaker is not None
    assert event.attribution.speaker.country == "UKR"
    assert [v.source.name for v in event.attribution.via] == ["Ukrinform"]


@pytest.mark.parametrize(
    ("sentence", "etype", "country"),
    [
        # a gerund after a preposition shares the subject of the verb it hangs on
        ("China condemned the test and followed up by agreeing to new sanctions.", "AGREE", "CHN"),
        # an infinitive after an adjective takes the subject of the copula
        ("Russia is ready to attack Moldova next spring.", "ASSAULT", "RUS"),
        # a purpose infinitive hanging on the object takes the verb's subject
        ("Poland used the summit to call on Germany to send more tanks.", "REQUEST", "POL"),
    ],
)
def test_subjectless_verbs_take_the_governing_subject(
    extractor: Extractor, sentence: str, etype: str, country: str
) -> None:
    events = [e for e in _extract(extractor, sentence).events if e.type == etype]
    assert events and events[0].source is not None
    assert events[0].source.country == country


@pytest.mark.parametrize(
    ("sentence", "etype", "country"),
    [
        # the object of "accuse … of" / "thank … for" does what the gerund says
        ("Kyiv accused Russia of attacking the grain port at Odesa.", "ASSAULT", "RUS"),
        # a purpose clause is the subject's act, not its object's
        ("Iranian police fired tear gas to disperse the crowd in Tehran.", "COERCE", "IRN"),
    ],
)
def test_gerund_and_purpose_clauses_take_the_right_doer(
    extractor: Extractor, sentence: str, etype: str, country: str
) -> None:
    events = [e for e in _extract(extractor, sentence).events if e.type == etype]
    assert events and events[0].source is not None
    assert events[0].source.country == country
