"""The Python API end to end: `import sitrep`, extract, Pipeline.pipe and .run, sitrep.open
and every listing with its filters, Rows as dicts, DataFrames and Arrow tables. The
articles are invented for this file."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

import sitrep
from sitrep.cli import main
from sitrep.errors import InputRejected, MissingExtraError, StoreError, UsageError
from sitrep.model import Extraction, Reject
from sitrep.settings import Settings
from sitrep.store.db import connect

ROOT = Path(__file__).resolve().parents[1]

BORDER = (
    "Belarusian troops moved armoured vehicles to the border with Ukraine on Wednesday, "
    "the defence ministry in Minsk said.\n\n"
    '"Our units are ready to carry out any task," Defence Minister Viktor Khrenin said in a '
    "statement. Ukrainian border guards said they were watching the movements closely."
)
ARTICLES: list[dict[str, Any]] = [
    {
        "id": "pa-courier-1",
        "outlet": "Northern Courier",
        "published": "2024-05-02",
        "title": "Belarus moves armour toward Ukrainian border",
        "text": BORDER,
    },
    {
        "id": "pa-ledger-1",
        "outlet": "Baltic Ledger",
        "published": "2024-05-02",
        "title": "Belarusian armour heads for the Ukrainian border",
        "text": "Belarus sent armoured vehicles toward its border with Ukraine on Wednesday, "
        "according to the defence ministry in Minsk.\n\n"
        "Defence Minister Viktor Khrenin said the units were ready to carry out any task. "
        "Kyiv said it was watching the movements closely.",
    },
    {
        "id": "pa-courier-2",
        "outlet": "Northern Courier",
        "published": "2024-05-06",
        "title": "Shelling hits Vovchansk",
        "text": "Russian artillery shelled the town of Vovchansk in the Kharkiv region on Monday, "
        "killing two civilians, regional governor Oleh Syniehubov said.\n\n"
        '"The enemy is deliberately targeting homes," Syniehubov wrote on Telegram.',
    },
]
# Refused records, between the articles: an empty text and something that is no record.
BAD: list[Any] = [{"id": "pa-empty", "text": "   "}, 42]
RECORDS: list[Any] = [ARTICLES[0], BAD[0], ARTICLES[1], BAD[1], ARTICLES[2]]


@pytest.fixture(scope="module")
def pipeline(settings: Settings) -> sitrep.Pipeline:
    return sitrep.Pipeline(settings)


@pytest.fixture(scope="module")
def db(pipeline: sitrep.Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pyapi") / "news.duckdb"
    report = pipeline.run(RECORDS, path)
    assert (report.articles, [r.code for r in report.rejects]) == (3, ["R003", "R002"])
    return path


@pytest.fixture(scope="module")
def store(db: Path) -> sitrep.StoreReader:
    return sitrep.open(db)


def test_import_sitrep_loads_neither_spacy_nor_duckdb() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import sitrep; "
        "heavy = [m for m in ('spacy', 'duckdb', 'sitrep.run.local') if m in sys.modules]; "
        "print(heavy); sitrep.Rows; print('sitrep.views.rows' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "src")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "True"]


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'events'"):
        sitrep.events  # noqa: B018


def test_extract_text_reads_dates_against_published(pipeline: sitrep.Pipeline) -> None:
    result = pipeline.extract(BORDER, published="2024-05-02")
    assert isinstance(result, Extraction)
    mobilize = [e for e in result.events if e.type == "MOBILIZE"]
    assert mobilize and mobilize[0].date is not None
    assert mobilize[0].date.value == "2024-05-01"  # the Wednesday before Thursday 2 May
    later = pipeline.extract(BORDER, published="2024-05-10")
    assert [e.date.value for e in later.events if e.type == "MOBILIZE" and e.date] == ["2024-05-08"]
    assert result.article.published == "2024-05-02"
    assert {q.speaker.name for q in result.quotes if q.speaker} >= {"Viktor Khrenin"}


def test_extract_record_gives_the_contract_of_sitrep_extract(
    pipeline: sitrep.Pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The API and `sitrep extract` are the same calls: equal JSON for the same input."""
    from jsonschema import validate

    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in ARTICLES), "utf-8")
    assert main(["extract", str(source)]) == 0
    cli = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    api = [r.to_dict() for r in pipeline.pipe(ARTICLES) if isinstance(r, Extraction)]
    assert api == cli
    one = pipeline.extract(ARTICLES[2]).to_dict()
    assert one == cli[2]
    schema = json.loads((ROOT / "src" / "sitrep" / "data" / "output.schema.json").read_text())
    validate(one, schema)
    assert json.loads(json.dumps(one)) == one  # plain JSON types only


def test_module_extract_takes_published_as_a_date(settings: Settings) -> None:
    import datetime as dt

    result = sitrep.extract(
        {"text": BORDER, "published": "2024-01-01"}, published=dt.date(2024, 5, 2)
    )
    assert result.article.published == "2024-05-02"  # the keyword wins over the record's
    assert any(e.date and e.date.value == "2024-05-01" for e in result.events)


def test_extract_refuses_with_the_reject_code(pipeline: sitrep.Pipeline) -> None:
    with pytest.raises(InputRejected, match="no text") as refused:
        pipeline.extract("   \n ")
    assert refused.value.reject_code == "R003"
    with pytest.raises(InputRejected) as wrong:
        pipeline.extract({"text": 7})
    assert wrong.value.reject_code == "R002"
    with pytest.raises(UsageError, match="published: not a date"):
        pipeline.extract(BORDER, published="next Tuesday")


def test_pipe_keeps_order_and_reports_rejects_in_place(pipeline: sitrep.Pipeline) -> None:
    results = list(pipeline.pipe(RECORDS))
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Extraction", "Reject", "Extraction", "Reject", "Extraction"]
    ids = [r.article.id for r in results if isinstance(r, Extraction)]
    assert ids == ["pa-courier-1", "pa-ledger-1", "pa-courier-2"]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert [(r.origin, r.code) for r in rejects] == [("records[1]", "R003"), ("records[3]", "R002")]
    assert "int" in rejects[1].reason


def test_pipe_takes_plain_texts_and_input_files(pipeline: sitrep.Pipeline, tmp_path: Path) -> None:
    texts = [a["text"] for a in ARTICLES]
    plain = [r for r in pipeline.pipe(texts) if isinstance(r, Extraction)]
    assert [r.article.text for r in plain] == texts
    assert all(r.article.published is None for r in plain)
    (tmp_path / "a.txt").write_text(ARTICLES[2]["text"], "utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(ARTICLES[0]) + "\n", "utf-8")
    from_files = list(pipeline.pipe_inputs([tmp_path / "b.jsonl", tmp_path / "a.txt"]))
    assert [r.article.text for r in from_files if isinstance(r, Extraction)] == [
        ARTICLES[0]["text"],
        ARTICLES[2]["text"],
    ]


def test_pipeline_defaults_to_the_packaged_settings(settings: Settings) -> None:
    assert sitrep.Pipeline().settings == settings


def test_open_never_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.duckdb"
    with pytest.raises(StoreError, match="does not exist"):
        sitrep.open(missing)
    assert not missing.exists()
    with pytest.raises(StoreError, match="is a folder"):
        sitrep.open(tmp_path)
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database", "utf-8")
    with pytest.raises(StoreError, match="cannot open store"):
        sitrep.open(text)


def test_store_holds_no_connection_between_calls(db: Path, store: sitrep.StoreReader) -> None:
    """A writer can take the store between two listings (as `sitrep run` would)."""
    before = store.stats()
    writer = connect(db)  # read-write; DuckDB refuses it while a reader is open
    writer.close()
    assert store.stats() == before
    assert before["articles"] == 3 and before["rejects"] == 2


def test_events_listing_and_its_filters(store: sitrep.StoreReader, db: Path) -> None:
    events = store.events()
    # the shelling and the killing it caused are one event (a restating participle)
    assert len(events) == events.total == 3
    assert isinstance(next(iter(events)), dict)
    border = store.events(type="MOBILIZE")
    assert [e["type"] for e in border] == ["MOBILIZE"]
    # The two outlets' reports of the one movement are one canonical event.
    assert border[0]["reports"] == 2 and border[0]["outlets"] == [
        "Baltic Ledger",
        "Northern Courier",
    ]
    assert json.loads(border[0]["record"])["type"] == "MOBILIZE"
    assert len(store.events(type=["ASSAULT", "MOBILIZE"])) == 3
    assert {e["source_country"] for e in store.events(country="rus")} == {"RUS"}
    assert len(store.events(country="BLR")) == 1
    assert {e["type"] for e in store.events(actor="Russian Federation")} == {"ASSAULT"}
    assert [e["day"] for e in store.events(since="2024-05-02")] == ["2024-05-06"] * 2
    assert [e["day"] for e in store.events(until="2024-05-01")] == ["2024-05-01"]
    assert len(store.events(since="2024-05", until="2024-05")) == 3
    assert len(store.events(factuality="reported")) == 3
    assert len(store.events(factuality=["asserted", "negated"])) == 0
    story = border[0]["story_id"]
    assert [e["id"] for e in store.events(story=story)] == [border[0]["id"]]
    newest = store.events(order="newest")
    assert [e["day"] for e in newest] == sorted((e["day"] for e in events), reverse=True)
    page = store.events(limit=2, offset=1)
    assert (page.total, [e["id"] for e in page]) == (3, [e["id"] for e in events][1:3])
    mentions = store.events(mentions=True)
    assert len(mentions) == 4 and {m["article_id"] for m in mentions} == {
        "pa-courier-1",
        "pa-ledger-1",
        "pa-courier-2",
    }
    assert len(store.events(timing="background")) == 0
    with pytest.raises(UsageError, match="timing"):
        store.events(timing="soon")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="limit"):
        store.events(limit=-1)


def test_events_are_the_ones_the_cli_lists(
    store: sitrep.StoreReader, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "--db", str(db), "--format", "jsonl"]) == 0
    cli = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["canonical_id"] for r in cli] == [e["id"] for e in store.events()]


def test_quotes_listing_and_its_filters(store: sitrep.StoreReader) -> None:
    quotes = store.quotes()
    assert quotes.total == len(quotes) >= 6
    khrenin = store.quotes(actor="Khrenin")
    assert {q["speaker"] for q in khrenin} == {"Viktor Khrenin"}
    assert {q["article_id"] for q in khrenin} == {"pa-courier-1", "pa-ledger-1"}
    direct = store.quotes(kind="direct")
    assert direct and {q["kind"] for q in direct} == {"direct"}
    assert {q["speaker_country"] for q in store.quotes(country="UKR")} == {"UKR"}
    assert {q["published"] for q in store.quotes(since="2024-05-03")} == {"2024-05-06"}
    assert len(store.quotes(hedged=True)) == 0
    assert len(store.quotes(state_media=False)) == len(quotes)
    story = khrenin[0]["story_id"]
    assert {q["story_id"] for q in store.quotes(story=story)} == {story}
    assert len(store.quotes(limit=1, offset=len(quotes) - 1)) == 1


def test_stories_and_articles_listings(store: sitrep.StoreReader) -> None:
    stories = store.stories()
    assert [s["articles"] for s in stories] == [2, 1]  # the largest first
    assert stories[0]["outlets"] == ["Baltic Ledger", "Northern Courier"]
    assert [s["story_id"] for s in store.stories(since="2024-05-03")] == [stories[1]["story_id"]]
    assert len(store.stories(until="2024-05-02")) == 1
    assert len(store.stories(actor="Khrenin")) == 1
    assert store.stories(story=stories[1]["story_id"])[0]["title"] == "Shelling hits Vovchansk"
    articles = store.articles()
    assert [a["id"] for a in articles] == ["pa-courier-1", "pa-ledger-1", "pa-courier-2"]
    assert "text" not in articles[0]
    assert [a["id"] for a in store.articles(since="2024-05-06")] == ["pa-courier-2"]
    assert len(store.articles(story=stories[0]["story_id"])) == 2
    assert len(store.articles(limit=0)) == 0 and store.articles(limit=0).total == 3
    full = store.article("pa-courier-2")
    assert full is not None and full["text"] == ARTICLES[2]["text"]
    assert store.article("pa-nowhere") is None


def test_alerts_listing(store: sitrep.StoreReader) -> None:
    """The packaged watchlist on Belarusian MOBILIZE near Ukraine fires on the border story."""
    alerts = store.alerts()
    rule = "blr-mobilize-ukr-border"
    assert [(a["kind"], a["rule"], a["day"]) for a in alerts] == [("watchlist", rule, "2024-05-01")]
    assert alerts[0]["evidence"][0]["article_id"] == "pa-courier-1"
    assert len(store.alerts(kind="watchlist", rule=rule)) == 1
    assert len(store.alerts(kind="escalation")) == 0
    assert len(store.alerts(since="2024-05-02")) == 0
    assert store.alerts(offset=1).total == 1 and len(store.alerts(offset=1)) == 0


def test_rows_without_pandas_or_pyarrow_name_the_extra(
    store: sitrep.StoreReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = store.articles()
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'sitrep\[frames\]'"):
        rows.df()
    with pytest.raises(ImportError, match="pyarrow is not installed"):
        rows.arrow()


LISTINGS = ("events", "quotes", "stories", "articles", "alerts")


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_listing_as_a_dataframe(store: sitrep.StoreReader, listing: str) -> None:
    pytest.importorskip("pandas", reason="the frames extra (pandas) is not installed")
    rows = getattr(store, listing)()
    frame = rows.df()
    assert list(frame.columns) == list(rows.columns) and len(frame) == len(rows) > 0
    first = frame.iloc[0].to_dict()
    assert {k: first[k] for k in ("id", "story_id") if k in first} == {
        k: rows[0][k] for k in ("id", "story_id") if k in rows[0]
    }


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_listing_as_an_arrow_table(store: sitrep.StoreReader, listing: str) -> None:
    pytest.importorskip("pyarrow", reason="the frames extra (pyarrow) is not installed")
    rows = getattr(store, listing)()
    table = rows.arrow()
    assert table.column_names == list(rows.columns) and table.num_rows == len(rows)
    assert table.to_pylist() == list(rows)


def test_empty_rows_convert_too(store: sitrep.StoreReader) -> None:
    empty = store.events(type="PROTEST")
    assert (len(empty), empty.total, empty.columns, list(empty)) == (0, 0, (), [])
    assert "0 rows" in repr(empty)
    try:
        frame = empty.df()
    except MissingExtraError:
        return
    assert len(frame) == 0


def test_store_written_by_the_cli_reads_the_same(
    store: sitrep.StoreReader, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in ARTICLES), "utf-8")
    cli_db = tmp_path / "cli.duckdb"
    assert main(["run", str(source), "--db", str(cli_db), "--no-progress"]) == 0
    capsys.readouterr()
    other = sitrep.open(cli_db)
    drop = {"first_fired", "updated"}  # when the alert was stored or grew: each run's time
    assert [e["id"] for e in other.events()] == [e["id"] for e in store.events()]
    assert list(other.quotes()) == list(store.quotes())
    assert list(other.stories()) == list(store.stories())
    assert list(other.articles()) == list(store.articles())
    assert [{k: v for k, v in a.items() if k not in drop} for a in other.alerts()] == [
        {k: v for k, v in a.items() if k not in drop} for a in store.alerts()
    ]
    duckdb.connect(str(cli_db)).close()  # nothing holds it open


def _doc_blocks() -> list[tuple[str, list[str]]]:
    """docs/python.md's ```python blocks: (code, the comment lines closing the block)."""
    text = (ROOT / "docs" / "python.md").read_text("utf-8")
    blocks = []
    for code in re.findall(r"^```python\n(.*?)^```", text, re.M | re.S):
        lines = code.rstrip("\n").split("\n")
        expected: list[str] = []
        while lines and lines[-1].startswith("# "):
            expected.insert(0, lines.pop()[2:])
        blocks.append((code, expected))
    return blocks


def test_docs_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The notebook session of docs/python.md, block by block, with what each prints."""
    blocks = _doc_blocks()
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    have_frames = all(importlib.util.find_spec(m) for m in ("pandas", "pyarrow"))
    for code, expected in blocks:
        if code.startswith("# needs: pandas, pyarrow") and not have_frames:
            continue
        exec(compile(code, "docs/python.md", "exec"), namespace)
        printed = capsys.readouterr().out.splitlines()
        patterns = [re.compile(".*".join(map(re.escape, e.split("…"))) + "$") for e in expected]
        found = iter(printed)  # each expected line in order, later than the one before
        missing = [p.pattern for p in patterns if not any(p.match(line) for line in found)]
        assert not missing, f"docs/python.md block printed {printed}, expected {expected}"
