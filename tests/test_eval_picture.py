"""The whole-article scorer (`sitrep eval picture`) on hand-built gold and on a tiny corpus
written for these tests, end to end through the command line; the gold converter; and the
agreement figures of the project's double-annotated articles."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from sitrep.cli import main
from sitrep.errors import UsageError
from sitrep.eval import run_eval
from sitrep.eval.picture import (
    OffsetMap,
    PictureArticle,
    PictureEvent,
    PictureQuote,
    compare,
    load_gold,
    same_speaker,
)
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

TEXT = (
    "Russian forces shelled Kharkiv on Tuesday, the governor said.\n\n"
    "Analysts say the war will be long.\n\n"
    '"We will not give up," said Oleh Synehubov.'
)


def _event(
    sentence: tuple[int, int],
    trigger: tuple[int, int],
    type_: str = "ASSAULT",
    country: str | None = "RUS",
    factuality: str = "reported",
    date: str | None = "2024-05-14",
) -> PictureEvent:
    return PictureEvent(
        sentence=sentence,
        trigger=trigger,
        type=type_,
        source_name="Russian forces" if country else None,
        source_country=country,
        target_name=None,
        factuality=factuality,
        date=date,
        current=True,
    )


def _article(events: list[PictureEvent], quotes: list[PictureQuote]) -> PictureArticle:
    return PictureArticle("war-news", 1, "a1", events, quotes)


GOLD = _article(
    [_event((0, 61), (15, 22))],
    [PictureQuote((93, 110), "direct", "Oleh Synehubov")],
)


def test_a_perfect_prediction_scores_one() -> None:
    report = compare([GOLD], [GOLD], "self")
    for metric in ("event_p", "event_r", "event_f1", "quote_f1", "speaker_acc"):
        assert report.metrics[metric] == 1.0
    assert report.metrics["junk"] == 0.0


def test_junk_type_and_attribute_errors_are_counted() -> None:
    predicted = _article(
        [
            _event((0, 61), (15, 22), country="UKR", factuality="asserted", date="2024-05"),
            _event((0, 61), (15, 22), type_="COERCE"),  # wrong type in an event sentence
            _event((63, 97), (86, 90), type_="ASSAULT"),  # commentary: no gold event there
        ],
        [PictureQuote((93, 104), "direct", "the governor")],
    )
    report = compare([GOLD], [predicted], "errors")
    metrics = report.metrics
    assert metrics["event_p"] == pytest.approx(1 / 3)
    assert metrics["event_r"] == 1.0
    assert metrics["junk"] == pytest.approx(1 / 3)
    assert metrics["source_country_acc"] == 0.0
    assert metrics["factuality_acc"] == 0.0
    assert metrics["date_acc"] == 0.0  # a month is not the day
    assert metrics["quote_f1"] == 1.0  # 11 of 17 characters: over half of the content
    assert metrics["speaker_acc"] == 0.0
    assert any(e.startswith("junk war-news:1 ASSAULT") for e in report.errors)


def test_a_quote_covering_less_than_half_does_not_match() -> None:
    predicted = _article([], [PictureQuote((93, 99), "direct", "Oleh Synehubov")])
    assert compare([GOLD], [predicted], "short").metrics["quote_r"] == 0.0


def test_a_missing_article_counts_as_all_misses() -> None:
    report = compare([GOLD], [], "missing")
    assert report.metrics["event_r"] == 0.0 and report.metrics["quote_r"] == 0.0


@pytest.mark.parametrize(
    ("gold", "pred", "same"),
    [
        ("Joe Biden", "Biden", True),
        ("Joe Biden", "Hunter Biden", False),
        ("Aleksandr Lukashenko", "Alexander Lukashenko", True),
        ("Viktor Orban", "Viktor Orbán", True),
        ("World Food Programme", "WFP", True),
        ("U.S. State Department", "United States Department of State", True),
        ("Dmitry Peskov", None, False),
        (None, None, True),
    ],
)
def test_speaker_names(gold: str | None, pred: str | None, same: bool) -> None:
    assert same_speaker(gold, pred) is same


def test_offsets_map_back_through_cleaning() -> None:
    raw = "Troops crossed the river.\r\n\r\nRead more: our live page\r\n\r\nShelling went on."
    clean = "Troops crossed the river.\n\nShelling went on."
    mapping = OffsetMap(clean, raw)
    start = clean.index("Shelling")
    mapped = mapping.span(start, start + len("Shelling"))
    assert raw[mapped[0] : mapped[1]] == "Shelling"


def test_a_malformed_gold_line_is_a_usage_error(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"corpus": "war-news", "record": 1}\n', "utf-8")
    with pytest.raises(UsageError, match="gold.jsonl:1"):
        load_gold(gold)


def _converter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("picture_gold", ROOT / "scripts/picture_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _annotation() -> dict[str, object]:
    return {
        "published": "2024-05-14",
        "events": [
            {
                "sentence": "Russian forces shelled Kharkiv on Tuesday, the governor said.",
                "trigger": "shelled",
                "type": "ASSAULT",
                "source": {"name": "Russian military", "country": "RUS"},
                "target": None,
                "factuality": "reported",
                "date": "2024-05-14",
                "current": True,
            }
        ],
        "quotes": [
            {
                "content": "We will not give up",
                "kind": "direct",
                "cue": "said",
                "speaker": "Oleh Synehubov",
                "via": [],
            }
        ],
    }


def test_converter_keeps_offsets_and_labels_never_text() -> None:
    converted = _converter().convert("wn001", _annotation(), TEXT, "a1")
    (event,) = converted["events"]
    assert TEXT[slice(*event["trigger"])] == "shelled"
    assert TEXT[slice(*event["sentence"])].startswith("Russian forces")
    (quote,) = converted["quotes"]
    assert TEXT[slice(*quote["content"])] == "We will not give up"
    assert TEXT[slice(*quote["cue"])] == "said"
    assert "Kharkiv" not in json.dumps(converted)  # names and labels only, never the text


@pytest.mark.parametrize("key", ["wn400", "wn447", "as0001"])
def test_converter_refuses_reserved_records(key: str) -> None:
    with pytest.raises(SystemExit, match="held out"):
        _converter().key_to_record(key)


def test_eval_picture_end_to_end_on_a_corpus_of_our_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpora" / "corpus" / "war-news"
    corpus.mkdir(parents=True)
    records = [
        {"file": "a0", "gdelt_seen_utc": "2024-05-13T10:00:00Z", "text": "Filler record."},
        {"file": "a1", "gdelt_seen_utc": "2024-05-14T10:00:00Z", "text": TEXT},
    ]
    (corpus / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    converted = _converter().convert("wn001", _annotation(), TEXT, "a1")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(converted) + "\n", "utf-8")
    code = main(
        ["--set", f"eval.corpora={tmp_path / 'corpora'}"]
        + ["eval", "picture", "--gold", str(gold), "--json"]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    metrics = report["metrics"]
    assert metrics["articles"] == 1 and metrics["gold_events"] == 1
    assert metrics["event_r"] == 1.0 and metrics["junk"] == 0.0
    assert metrics["quote_r"] == 1.0 and metrics["speaker_acc"] == 1.0


def test_a_gold_id_that_does_not_match_the_corpus_is_refused(
    tmp_path: Path, settings: Settings
) -> None:
    corpus = tmp_path / "corpus" / "war-news"
    corpus.mkdir(parents=True)
    (corpus / "articles.jsonl").write_text(json.dumps({"file": "other", "text": TEXT}) + "\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"corpus": "war-news", "record": 0, "id": "a1"}) + "\n")
    with pytest.raises(UsageError, match="the gold says"):
        run_eval(
            "picture", gold, None, settings.with_overrides({"eval": {"corpora": str(tmp_path)}})
        )


def test_agreement_of_the_double_annotated_articles(settings: Settings) -> None:
    """Two annotators, eight articles, before adjudication (docs/evaluation.md)."""
    folder = ROOT / "src" / "sitrep" / "data" / "eval" / "picture_agreement"
    report = run_eval("picture", folder, "agreement", settings)
    assert report.metrics["articles"] == 8
    assert report.metrics["event_f1"] == pytest.approx(0.863, abs=0.001)
    assert report.metrics["quote_f1"] == pytest.approx(0.963, abs=0.001)
