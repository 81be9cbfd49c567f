"""Hedge and weasel cues read in context, and the CoNLL-2010 reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import KnowledgeBaseError
from sitrep.eval.hedges import read_conll
from sitrep.extract.cuelex import cue_lexicon, hedge_words
from sitrep.extract.hedges import sentence_hedged
from sitrep.extract.lexicons import load_lexicons
from sitrep.extract.service import Extractor


@pytest.mark.parametrize(
    ("sentence", "hedged"),
    [
        ("Many critics consider the film his finest work.", True),
        ("The bridge is widely believed to have been built by the Romans.", True),
        ("The treaty was allegedly signed in secret.", True),
        ("The treaty was signed by both ministers in May.", False),
        ("Some 20 people attended the meeting.", False),
        ("The village is known to have been settled by Norsemen, it is said.", True),
        ("Some historians suggest that the fort was never finished.", True),
        ("The painter is best known for his portraits of sailors.", True),
        ("Several scholars doubt the attribution of the poem.", True),
        ("The museum was opened in several cities in 1990.", False),
        ("It is unlikely that the road was paved before 1800.", True),
        ("She was one of the most influential painters of her generation.", True),
        ("Most historians date the chapel to the twelfth century.", True),
        ("Others view the treaty as a surrender.", True),
        ("The dish is traditionally served with rye bread.", True),
        ("The fort may have been built by the Romans.", True),
        ("The band toured numerous cities that year.", True),
        ("It became the most prestigious prize in the region.", True),
        ("The most recent census was held in 2001.", False),
        ("His supporters marched to the square on Sunday.", False),
        ("The committee may meet on Tuesday to approve the budget.", False),
    ],
)
def test_sentence_hedged(extractor: Extractor, sentence: str, hedged: bool) -> None:
    assert sentence_hedged(extractor.nlp(sentence)) is hedged


def test_read_conll_undoes_ptb_escapes(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text('text,label\n"A -LRB- b -RRB- c.\n",1\n"Plain.\n",0\n', "utf-8")
    assert read_conll(gold, None) == [("A ( b ) c.", True), ("Plain.", False)]


def test_the_hedge_words_are_one_list_in_reporting_yaml() -> None:
    """hedges.py, modality.py and the quotes read one `hedges` section: a word that hedges
    anywhere is also in the class that says how it is read in context."""
    words = cue_lexicon().hedges
    assert load_lexicons().hedges == words
    in_context = (
        words.modals | words.epistemic_adverbs | words.epistemic_adjectives | words.hedge_verbs
    )
    assert words.anywhere <= in_context
    assert words.reporting_verbs <= words.perception_verbs
    assert "could not be independently verified" in words.phrases


def test_a_hedge_section_missing_a_class_is_refused() -> None:
    with pytest.raises(KnowledgeBaseError, match="modals"):
        hedge_words({"hedges": {"anywhere": ["may"], "phrases": []}})
