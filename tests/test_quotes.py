"""Quotes: speakers, pronouns, parentheticals, continuations, chains, scare quotes."""

from __future__ import annotations

import pytest

from sitrep.extract.service import Extractor
from sitrep.model import Article, Extraction


def _extract(extractor: Extractor, text: str, outlet: str | None = None) -> Extraction:
    (result,) = extractor.extract([Article(id="t", text=text, outlet=outlet)])
    return result


def test_pronoun_speaker_keeps_its_span_and_takes_the_name(extractor: Extractor) -> None:
    text = "Oleh Nikolenko spoke on Monday. He said that Kyiv had no plans to attack Belarus."
    (quote,) = _extract(extractor, text).quotes
    assert quote.speaker is not None and quote.speaker.span is not None
    assert quote.speaker.span.text == "He"
    assert "Nikolenko" in quote.speaker.name
    assert quote.content.text.startswith("that Kyiv")


def test_parenthetical_attribution_splits_the_content(extractor: Extractor) -> None:
    text = "Two battlegroups, TASS says, have been conducting joint exercises near Brest."
    quotes = _extract(extractor, text).quotes
    assert quotes and all(q.cue is not None and q.cue.text == "says" for q in quotes)
    assert any(q.content.text.startswith("have been conducting") for q in quotes)
    assert all(q.speaker is not None and q.speaker.name == "TASS" for q in quotes)


def test_continuation_quote_shares_cue_and_speaker(extractor: Extractor) -> None:
    text = (
        "“We will not attack first,” Lukashenko said. “But if they attack us, the answer "
        "will be harsh and immediate.”"
    )
    quotes = [q for q in _extract(extractor, text).quotes if q.kind == "direct"]
    assert len(quotes) == 2
    assert quotes[0].cue == quotes[1].cue
    assert quotes[1].speaker is not None and quotes[1].speaker.actor_id == "BLR.GOV.lukashenko"


def test_dash_attribution(extractor: Extractor) -> None:
    text = "“Imagination is more important than knowledge.” — Albert Einstein"
    (quote,) = _extract(extractor, text).quotes
    assert quote.cue is not None and quote.cue.text == "—"
    assert quote.speaker is not None and quote.speaker.name.endswith("Einstein")


def test_told_outlet_without_known_outlet_is_addressee_only(extractor: Extractor) -> None:
    text = "Hanna Liubakova told Newsweek that the comments were an attempt to send a signal."
    (quote,) = _extract(extractor, text).quotes
    assert quote.addressee is not None and quote.addressee.name == "Newsweek"
    assert quote.via == []


def test_nested_attribution_keeps_the_outer_one(extractor: Extractor) -> None:
    text = "The minister said that Moscow claimed the bridge had been destroyed."
    quotes = _extract(extractor, text).quotes
    assert [q.cue.text for q in quotes if q.cue] == ["said"]
    assert quotes[0].hedged is False or quotes[0].cue is not None


def test_claim_is_hedged_and_scare_quote_is_not_speech(extractor: Extractor) -> None:
    claimed = _extract(extractor, "Russia claimed that Ukrainian drones hit the depot.").quotes
    assert claimed and claimed[0].hedged
    scare = _extract(extractor, "It was unclear whether Kyiv proposed a “non-aggression pact”.")
    assert scare.quotes == []


def test_object_of_an_evaluative_verb_is_attributed(cameo_extractor: Extractor) -> None:
    """PolNeAR's wide attributions (`extract.attributions = "all"`) count a criticised object;
    the default counts statements only."""
    text = "The foreign minister criticized the decision to close the border crossing."
    (quote,) = _extract(cameo_extractor, text).quotes
    assert quote.cue is not None and quote.cue.text == "criticized"
    assert quote.content.text == "the decision to close the border crossing"
    assert quote.speaker is not None and quote.speaker.span is not None
    assert quote.speaker.span.text.endswith("minister")


def test_statements_only_by_default(extractor: Extractor) -> None:
    text = "The foreign minister criticized the decision to close the border crossing."
    assert _extract(extractor, text).quotes == []
    planned = _extract(extractor, "The ministry plans to send more troops to the border.")
    assert planned.quotes == []
    said = _extract(extractor, "The ministry said that more troops would be sent.").quotes
    assert [q.content.text for q in said] == ["that more troops would be sent"]


def test_naming_verb_needs_a_predicate_or_for(extractor: Extractor) -> None:
    called_for = _extract(extractor, "The mayor called for a ceasefire in the region.").quotes
    assert [q.content.text for q in called_for] == ["for a ceasefire in the region"]
    assert _extract(extractor, "The mayor called a meeting on Monday.").quotes == []
    passive = _extract(extractor, "The plan was praised by several governments.").quotes
    assert passive == []


def test_doubled_single_marks_delimit_a_direct_quote(extractor: Extractor) -> None:
    text = "''We will hold the line no matter what,'' the commander said on Friday."
    quotes = _extract(extractor, text).quotes
    assert [q.kind for q in quotes] == ["direct"]
    assert quotes[0].content.text.startswith("We will hold the line")
    assert quotes[0].cue is not None and quotes[0].cue.text == "said"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            'Jaroslaw Kaczynski spoke at a rally in Warsaw on Saturday. "We must do everything'
            ' to avoid war," the PiS president said.',
            "Jarosław Kaczyński",  # the KB spelling of the person
        ),
        ('John Smith spoke on the radio. "Putin is weak," the politician said.', "John Smith"),
    ],
)
def test_a_role_description_is_the_person_named_before(
    extractor: Extractor, text: str, speaker: str
) -> None:
    """ "the politician", "the PiS president": the person named before, never a name inside
    the quote ("Putin")."""
    (quote,) = _extract(extractor, text).quotes
    assert quote.speaker is not None and quote.speaker.name == speaker


def test_unnamed_official_keeps_the_description_and_the_body_country(
    extractor: Extractor,
) -> None:
    text = "A senior Ukrainian defence official said the convoy was hit near the border."
    (quote,) = _extract(extractor, text).quotes
    assert quote.speaker is not None
    assert quote.speaker.name == "senior Ukrainian defence official"
    assert quote.speaker.country == "UKR"


def test_official_named_in_apposition_is_the_speaker(extractor: Extractor) -> None:
    text = "The Ukrainian army commander, Oleksandr Syrskyi, said the line was holding."
    (quote,) = _extract(extractor, text).quotes
    assert quote.speaker is not None and quote.speaker.name.endswith("Syrskyi")


def test_report_speaks_for_its_author(extractor: Extractor) -> None:
    text = (
        "The report published by the World Food Programme on Monday said that prices "
        "had doubled since the war began."
    )
    (quote,) = _extract(extractor, text).quotes
    assert quote.speaker is not None and "World Food Programme" in quote.speaker.name


def test_statement_speaks_for_the_body_that_issued_it(extractor: Extractor) -> None:
    text = (
        "The Foreign Ministry of Ukraine issued a statement on Monday. "
        '"Nothing will change," the statement reads.'
    )
    quotes = _extract(extractor, text).quotes
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.country == "UKR" and quotes[0].speaker.name != "statement"
    # The mention tied to the quote is still the document's word.
    assert quotes[0].speaker.span is not None and quotes[0].speaker.span.text == "statement"


def test_statement_with_no_body_in_sight_stays_the_source_mention(extractor: Extractor) -> None:
    text = 'Markets fell sharply in Kyiv. "Nothing will change," the statement reads.'
    quotes = _extract(extractor, text).quotes
    assert quotes and quotes[0].speaker is not None and quotes[0].speaker.actor_id is None


def test_former_leader_is_the_person_named_before_not_the_office_holder(
    extractor: Extractor,
) -> None:
    text = (
        "Vladimir Putin started the war in 2022. That is the view of the former Polish "
        "president Aleksander Kwasniewski, who spoke to reporters. The former Polish leader "
        "said that the war could last for years."
    )
    quotes = [q for q in _extract(extractor, text).quotes if "last for years" in q.content.text]
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.name.endswith("Kwasniewski")


def test_quoted_as_telling_names_the_passive_subject(extractor: Extractor) -> None:
    text = (
        "Oleksandr Kamyshin, the head of the state railway, was quoted as telling local media "
        "that two stations had been shelled."
    )
    quotes = _extract(extractor, text).quotes
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.name.endswith("Kamyshin")


def test_speech_verb_after_an_adjective_takes_the_subject(extractor: Extractor) -> None:
    text = "Lukashenko was quick to criticize the exercise and say that Minsk would respond."
    quotes = [q for q in _extract(extractor, text).quotes if "Minsk" in q.content.text]
    assert quotes and quotes[0].speaker is not None
    assert quotes[0].speaker.actor_id == "BLR.GOV.lukashenko"


def test_unnamed_people_keep_what_the_article_says_about_them(extractor: Extractor) -> None:
    text = "Officials familiar with the investigation said the files covered two years."
    (quote,) = _extract(extractor, text).quotes
    assert quote.speaker is not None
    assert quote.speaker.name == "Officials familiar with the investigation"
