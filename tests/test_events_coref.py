"""Event coreference scoring: the CoNLL metrics on hand-computed examples, the ECB+ reader
and alignment, and `sitrep eval events-coref` end to end on a synthetic ECB+ folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.eval import run_eval
from sitrep.eval.coref_metrics import bcubed, ceafe, conll, muc
from sitrep.eval.events_coref import align, load_gold, read_document
from sitrep.settings import Settings

# Pradhan et al. (2014), "Scoring coreference partitions of predicted mentions", fig. 1:
# key {a b c} {d e f g}; response {a b} {c d} {f g h i}.
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_by_hand() -> None:
    # Recall: {a b c} is cut in 2 parts (1 link of 2 kept), {d e f g} in 3 ({d} {e} {f g}):
    # (1 + 1) / (2 + 3). Precision: {a b} 1/1, {c d} 0/1, {f g h i} 1/3 -> 2/5.
    s = muc(KEY, RESPONSE)
    assert s.recall == pytest.approx(2 / 5)
    assert s.precision == pytest.approx(2 / 5)
    assert s.f1 == pytest.approx(0.4)


def test_bcubed_by_hand() -> None:
    # Recall: (2²+1²)/3 + (1²+2²)/4 over 7 key mentions; precision: 4/2 + 2/2 + 4/4 over 8.
    s = bcubed(KEY, RESPONSE)
    assert s.recall == pytest.approx((5 / 3 + 5 / 4) / 7)
    assert s.precision == pytest.approx(0.5)


def test_ceafe_by_hand() -> None:
    # phi4: {abc}~{ab} = 4/5, {defg}~{fghi} = 4/8; best alignment sums 1.3.
    s = ceafe(KEY, RESPONSE)
    assert s.recall == pytest.approx(1.3 / 2)
    assert s.precision == pytest.approx(1.3 / 3)
    assert s.f1 == pytest.approx(2 * 0.65 * (1.3 / 3) / (0.65 + 1.3 / 3))


def test_conll_is_the_mean_and_perfect_on_identity() -> None:
    scores = conll(KEY, RESPONSE)
    mean = (scores["muc"].f1 + scores["bcubed"].f1 + scores["ceafe"].f1) / 3
    assert scores["conll"].f1 == pytest.approx(mean)
    same = conll(KEY, KEY)
    assert all(s.f1 == pytest.approx(1.0) for s in same.values())


def test_singletons_and_one_big_cluster() -> None:
    key = [{1, 2}, {3}, {4}]
    alone = conll(key, [{1}, {2}, {3}, {4}])
    assert alone["muc"].f1 == 0.0  # no links predicted
    assert alone["bcubed"].precision == pytest.approx(1.0)
    assert alone["bcubed"].recall == pytest.approx((1 / 2 + 1 / 2 + 1 + 1) / 4)
    # CEAF-e: {1 2}~{1} = 2/3, {3}~{3} = 1, {4}~{4} = 1 -> 8/3 over 3 key and 4 response.
    assert alone["ceafe"].recall == pytest.approx((8 / 3) / 3)
    assert alone["ceafe"].precision == pytest.approx((8 / 3) / 4)
    lumped = conll(key, [{1, 2, 3, 4}])
    assert lumped["muc"].recall == pytest.approx(1.0)
    assert lumped["muc"].precision == pytest.approx(1 / 3)
    assert lumped["bcubed"].recall == pytest.approx(1.0)


def _ecb_xml(name: str, sentences: list[str], actions: list[tuple[int, int, str | None]]) -> str:
    """A small ECB+ document: `actions` are (sentence, word index, cross-doc instance)."""
    tokens: list[str] = []
    ids: dict[tuple[int, int], int] = {}
    t_id = 0
    for s, sentence in enumerate(sentences):
        for n, word in enumerate(sentence.split()):
            t_id += 1
            ids[(s, n)] = t_id
            tokens.append(f'<token t_id="{t_id}" sentence="{s}" number="{n}">{word}</token>')
    marks, rels = [], []
    for m, (s, n, instance) in enumerate(actions, start=1):
        anchor = f'<token_anchor t_id="{ids[(s, n)]}"/>'
        marks.append(f'<ACTION_OCCURRENCE m_id="{m}">{anchor}</ACTION_OCCURRENCE>')
        if instance:
            rels.append(
                f'<CROSS_DOC_COREF r_id="{m}" note="{instance}"><source m_id="{m}"/>'
                f'<target m_id="99"/></CROSS_DOC_COREF>'
            )
    marks.append('<ACTION_OCCURRENCE m_id="99" TAG_DESCRIPTOR="x" instance_id="x"/>')
    return (
        f'<Document doc_name="{name}">{"".join(tokens)}<Markables>{"".join(marks)}</Markables>'
        f"<Relations>{''.join(rels)}</Relations></Document>"
    )


STRIKE_A = [
    "Russian forces shelled Kharkiv on Tuesday , killing four civilians .",
    "Ukraine condemned the attack .",
]
STRIKE_B = [
    "Russian artillery shelled the city of Kharkiv , the governor said .",
    "Four people died in the shelling .",
]
QUAKE = ["Israeli troops arrested twelve protesters in Hebron on Friday ."]


def _folder(tmp_path: Path) -> Path:
    gold = tmp_path / "ecb"
    (gold / "1").mkdir(parents=True)
    (gold / "2").mkdir(parents=True)
    docs = {
        "1/1_1ecb.xml": _ecb_xml("1_1ecb.xml", STRIKE_A, [(0, 2, "S"), (0, 6, "K"), (1, 3, "S")]),
        "1/1_2ecb.xml": _ecb_xml("1_2ecb.xml", STRIKE_B, [(0, 2, "S"), (1, 5, "S")]),
        "2/2_1ecbplus.xml": _ecb_xml("2_1ecbplus.xml", QUAKE, [(0, 2, "A")]),
    }
    for path, text in docs.items():
        (gold / path).write_text(text, encoding="utf-8")
    return gold


def test_reader_builds_text_mentions_and_chains(tmp_path: Path) -> None:
    gold = _folder(tmp_path)
    doc = read_document(gold / "1" / "1_1ecb.xml", None)
    assert doc.text.splitlines()[0] == STRIKE_A[0]
    assert doc.subtopic == "1"
    shelled = next(m for m in doc.mentions if m.key == ("1_1ecb.xml", "1"))
    assert doc.text[shelled.start : shelled.end] == "shelled"
    assert shelled.chain == "x:S"
    assert len(doc.mentions) == 3  # the instance descriptor (no tokens) is not a mention
    # Alignment: a trigger overlapping "shelled" lands on it; one elsewhere stays out.
    start = doc.text.index("shelled")
    found = align(doc, [("e1", start, start + 7), ("e2", 0, 7)])
    assert found == {"e1": ("1_1ecb.xml", "1")}


def test_selected_sentences_restrict_the_gold(tmp_path: Path) -> None:
    gold = _folder(tmp_path)
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text(
        "Topic,File,Sentence Number\n1,1ecb,0\n", encoding="utf-8"
    )
    docs = {d.doc_id: d for d in load_gold(gold)}
    assert len(docs["1_1ecb.xml"].mentions) == 2  # sentence 1 is not selected
    assert docs["1_2ecb.xml"].mentions == []  # no sentence selected at all


def test_eval_events_coref_end_to_end(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _folder(tmp_path)
    report = run_eval("events-coref", gold, None, settings)
    m = report.metrics
    assert m["gold_mentions"] == 6
    assert m["predicted_mentions"] >= 2
    assert 0 < m["mention_r"] <= 1 and 0 < m["mention_p"] <= 1
    # The two shellings of Kharkiv (one chain in the gold) are found and merged into one
    # canonical event, and the arrest stays apart: the aligned score is perfect.
    assert m["aligned_gold_stories_conll_f1"] == pytest.approx(1.0)
    for name in ("conll_f1", "aligned_conll_f1", "baseline_singletons_aligned_conll_f1"):
        assert 0.0 <= m[name] <= 1.0
    assert main(["eval", "events-coref", "--gold", str(gold), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["stage"] == "events-coref"
    assert printed["metrics"]["gold_mentions"] == 6


def test_merge_joins_an_actor_named_more_or_less_precisely() -> None:
    from sitrep.model import EventMention
    from sitrep.resolve.merge import merge_events, same_actor
    from sitrep.settings import ResolveSettings

    assert same_actor("forces", "russian forces")
    assert same_actor("IND.MIL.navy", "IND")
    assert same_actor("microsoft 's", "microsoft")
    assert not same_actor("russian forces", "ukrainian forces")
    assert not same_actor("IND", "INDO.GOV")

    def strike(mid: str, article: str, source: str) -> EventMention:
        sentence = f"In the night {source} struck Kharkiv ({article})."
        return EventMention(
            mid,
            article,
            "ASSAULT",
            source,
            "kharkiv",
            None,
            None,
            "asserted",
            1,
            "struck",
            sentence,
        )

    mentions = [
        strike("m1", "a1", "russian forces"),
        strike("m2", "a2", "forces"),
        strike("m3", "a3", "ukrainian forces"),
    ]
    story = {"a1": "s", "a2": "s", "a3": "s"}
    none: dict[str, str | None] = dict.fromkeys(story)
    events = merge_events(mentions, story, {}, none, none, ResolveSettings())
    groups = sorted(sorted(e.mention_ids) for e in events)
    assert groups == [["m1", "m2"], ["m3"]]
