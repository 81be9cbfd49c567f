"""Speakers on whole articles: which earlier person or description a pronoun, a role noun
or a relative stands for. Every sentence here is written for the test."""

from __future__ import annotations

from sitrep.extract.service import Extractor
from sitrep.model import Article, Participant, Quote


def _quotes(extractor: Extractor, text: str) -> list[Quote]:
    (result,) = extractor.extract([Article(id="t", text=text)])
    return result.quotes


def _speaker_of(extractor: Extractor, text: str, words: str) -> Participant:
    quotes = [q for q in _quotes(extractor, text) if words in q.content.text]
    assert quotes, f"no quote holds {words!r}"
    speaker = quotes[0].speaker
    assert speaker is not None
    return speaker


def test_a_subordinate_subject_does_not_take_the_pronoun(extractor: Extractor) -> None:
    """The protagonist of main clauses, not a person named in a "since …" clause."""
    text = (
        "Angela Merkel criticised the plan on Monday in Berlin.\n\n"
        "Her remarks were the sharpest since Vladimir Putin annexed Crimea in 2014.\n\n"
        "She said that the sanctions would stay in place for years."
    )
    speaker = _speaker_of(extractor, text, "sanctions would stay")
    assert "Merkel" in speaker.name


def test_the_owner_of_a_subject_is_who_the_sentence_is_about(extractor: Extractor) -> None:
    text = (
        "Tom Baker spoke at the station in the morning.\n\n"
        "Lisa Grant's plan was to leave the city before the winter.\n\n"
        '"Nothing is certain any more," she told reporters.'
    )
    speaker = _speaker_of(extractor, text, "Nothing is certain")
    assert speaker.name == "Lisa Grant"


def test_a_role_noun_is_the_person_named_with_the_same_noun_before(
    extractor: Extractor,
) -> None:
    """ "the spokeswoman" is the spokeswoman named before, not the last person named."""
    text = (
        "A spokeswoman for the ministry, Anna Berg, said the talks had failed. "
        "Olaf Scholz met Emmanuel Macron in Paris on Tuesday. "
        "The spokeswoman added that a new round was planned for May."
    )
    speaker = _speaker_of(extractor, text, "new round")
    assert speaker.name == "Anna Berg"
    assert speaker.span is not None and speaker.span.text == "spokeswoman"


def test_an_unnamed_official_speaking_again_keeps_the_first_description(
    extractor: Extractor,
) -> None:
    text = (
        "General John Reed visited the base in March. A senior official said the visit "
        "was routine. The official said that no orders had been changed."
    )
    speaker = _speaker_of(extractor, text, "no orders")
    assert speaker.name == "senior official"


def test_an_official_with_no_earlier_mention_stays_unnamed(extractor: Extractor) -> None:
    text = (
        "General John Reed visited the base in March. "
        "The defense official said that no orders had been changed."
    )
    speaker = _speaker_of(extractor, text, "no orders")
    assert speaker.name == "defense official"
