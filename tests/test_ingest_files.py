"""Files, directories, JSONL and stdin through read_inputs."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from sitrep.ingest import read_inputs
from sitrep.model.article import Article, Reject
from sitrep.model.ids import article_id_for
from sitrep.settings import IngestSettings, load_settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
S = load_settings().ingest  # packaged defaults, with the alias keys
BODY = "Residents of the border town said shelling continued through the night on Sunday."


def run(
    inputs: list[str], settings: IngestSettings = S, **kwargs: object
) -> list[Article | Reject]:
    return list(read_inputs(inputs, settings, **kwargs))  # type: ignore[arg-type]


def tag(result: Article | Reject) -> str:
    return result.code if isinstance(result, Reject) else result.id


def by_origin(results: list[Article | Reject]) -> dict[str, Article | Reject]:
    return {r.origin or "": r for r in results}


def test_jsonl_fixture_records_and_rejects_in_order() -> None:
    path = str(FIXTURES / "records.jsonl")
    results = run([path])
    summary = [(r.origin, r.code if isinstance(r, Reject) else "ok") for r in results]
    assert summary == [
        (f"{path}:1", "ok"),
        (f"{path}:2", "R001"),
        # line 3 is blank: skipped silently
        (f"{path}:4", "R002"),
        (f"{path}:5", "R004"),
        (f"{path}:6", "R005"),
        (f"{path}:7", "R003"),
        (f"{path}:8", "R002"),
        (f"{path}:9", "ok"),
        (f"{path}:10", "R011"),
    ]
    first = results[0]
    assert isinstance(first, Article)
    assert (first.id, first.title, first.outlet, first.published) == (
        "rec-1",
        "Shelter opened",
        "Example Wire",
        "2023-02-24",
    )
    assert first.url == "https://wire.example.org/shelter"
    malformed = results[1]
    assert isinstance(malformed, Reject)
    assert malformed.reason.startswith("malformed JSON: Unterminated string")
    assert "column" in malformed.reason
    assert "text' must be a string, got number" in results[6].reason  # type: ignore[union-attr]
    undecodable = results[4]
    assert isinstance(undecodable, Reject) and "invalid UTF-8 at byte" in undecodable.reason


def test_war_news_shaped_record_uses_alias_keys() -> None:
    results = run([str(FIXTURES / "records.jsonl")])
    article = by_origin(results)[f"{FIXTURES / 'records.jsonl'}:9"]
    assert isinstance(article, Article)
    assert article.id == "20220125T090000Z_XX_en_0123456789.txt"
    assert article.published == "2022-01-25T09:00:00Z"


def test_alias_order_and_types(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    records = [
        {"guid": "g-1", "id": None, "date": "", "pubDate": "Fri, 24 Feb 2023 10:15:00 +0000",
         "source": {"name": "Wire"}, "text": BODY},
        {"id": 7, "source_name": "Example", "text": BODY},
        {"id": [1], "text": BODY},
        {"published": 20230224, "text": BODY},
        {"title": {"x": 1}, "text": BODY},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    results = run([str(path)])
    one, two = results[0], results[1]
    assert isinstance(one, Article) and isinstance(two, Article)
    assert (one.id, one.published, one.outlet) == ("g-1", "2023-02-24T10:15:00Z", "Wire")
    assert (two.id, two.outlet) == ("7", "Example")
    assert [r.code for r in results[2:]] == ["R002", "R002", "R002"]  # type: ignore[union-attr]
    assert "'id' must be a string or an integer, got array" in results[2].reason  # type: ignore[union-attr]
    assert "'published' must be a string, got number" in results[3].reason  # type: ignore[union-attr]


def test_custom_alias_settings(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"ID": "x1", "when": "2023-01-02", "text": BODY}), encoding="utf-8")
    custom = IngestSettings(id_keys=("ID",), published_keys=("when",))
    [article] = run([str(path)], custom)
    assert isinstance(article, Article)
    assert (article.id, article.published) == ("x1", "2023-01-02")


def test_html_field_is_extracted(tmp_path: Path) -> None:
    html = (FIXTURES / "page.html").read_text(encoding="utf-8")
    path = tmp_path / "h.jsonl"
    record = {"id": "h1", "outlet": "Given Outlet", "html": html}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [article] = run([str(path)])
    assert isinstance(article, Article)
    assert article.id == "h1"
    assert article.outlet == "Given Outlet"  # given fields win over extracted ones
    assert article.title == "Ceasefire talks resume in Lakeside"
    assert "cautiously optimistic" in article.text


def test_same_text_gets_same_id_across_runs_and_formats(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": BODY + "  \r\n"}), encoding="utf-8")
    first = run([str(tmp_path)])
    second = run([str(tmp_path)])
    ids = {r.id for r in first + second if isinstance(r, Article)}
    assert ids == {article_id_for(BODY)}
    assert len(first) == 2


def test_gzip_jsonl_and_json_documents(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "gz1", "text": BODY}) + "\n")
    (tmp_path / "b.json").write_text(
        json.dumps([{"id": "l1", "text": BODY}, "nope", {"id": "l3", "text": ""}]), encoding="utf-8"
    )
    (tmp_path / "c.json").write_text(json.dumps({"id": "o1", "text": BODY}), encoding="utf-8")
    (tmp_path / "d.json").write_text("{not json", encoding="utf-8")
    results = run([str(tmp_path)])
    summary = [(Path(r.origin or "").name, tag(r)) for r in results]
    assert summary == [
        ("a.jsonl.gz:1", "gz1"),
        ("b.json[0]", "l1"),
        ("b.json[1]", "R002"),
        ("b.json[2]", "R003"),
        ("c.json", "o1"),
        ("d.json", "R001"),
    ]


def test_corrupt_gzip_is_r010(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl.gz").write_bytes(b"this is not gzip data at all")
    [reject] = run([str(tmp_path / "bad.jsonl.gz")])
    assert isinstance(reject, Reject) and reject.code == "R010"


def test_directory_recursion_sorted_and_filtered(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["z.txt", "b/deep/y.txt", "b/x.TXT", "a.txt", ".hidden/h.txt", ".dot.txt"]:
        (tmp_path / name).write_text(f"{name}\n{BODY}", encoding="utf-8")
    (tmp_path / "notes.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    results = run([str(tmp_path)])
    names = [Path(r.origin or "").relative_to(tmp_path).as_posix() for r in results]
    assert names == ["a.txt", "b/deep/y.txt", "b/x.TXT", "z.txt"]
    assert all(isinstance(r, Article) for r in results)
    assert results[0].title == "a.txt"  # type: ignore[union-attr]


def test_inputs_keep_their_order(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("One\n" + BODY, encoding="utf-8")
    (tmp_path / "two.txt").write_text("Two\n" + BODY, encoding="utf-8")
    results = run([str(tmp_path / "two.txt"), "missing.txt", str(tmp_path / "one.txt")])
    assert [getattr(r, "title", None) or getattr(r, "code", None) for r in results] == [
        "Two",
        "R010",
        "One",
    ]


def test_txt_fixture() -> None:
    [article] = run([str(FIXTURES / "article.txt")])
    assert isinstance(article, Article)
    assert article.title == "Drone strike reported near river port"
    assert "originally appeared" not in article.text
    assert "\n\n\n\n" not in article.text
    assert article.text.endswith("treated for smoke inhalation.")


def test_txt_rejects(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_bytes(b"some text\x00with a nul byte in the middle of it")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in the old town was damaged".encode("latin-1"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BODY.encode())
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    results = by_origin(run([str(tmp_path)]))
    assert results[str(tmp_path / "nul.txt")].code == "R004"  # type: ignore[union-attr]
    latin = results[str(tmp_path / "latin1.txt")]
    assert isinstance(latin, Reject) and latin.code == "R005" and "byte 3" in latin.reason
    bom = results[str(tmp_path / "bom.txt")]
    assert isinstance(bom, Article) and bom.text == BODY
    assert results[str(tmp_path / "empty.txt")].code == "R003"  # type: ignore[union-attr]


def test_size_cap_on_files(tmp_path: Path) -> None:
    small = IngestSettings(max_bytes=1000)
    (tmp_path / "big.txt").write_text("word " * 1000, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(BODY, encoding="utf-8")
    lines = [
        json.dumps({"text": BODY}),
        json.dumps({"text": "word " * 400}),
        json.dumps({"text": BODY}),
    ]
    (tmp_path / "lines.jsonl").write_text("\n".join(lines), encoding="utf-8")
    results = run([str(tmp_path)], small)
    summary = [(Path(r.origin or "").name, getattr(r, "code", "ok")) for r in results]
    assert summary == [
        ("big.txt", "R007"),
        ("lines.jsonl:1", "ok"),
        ("lines.jsonl:2", "R007"),  # an over-long line is skipped, the next one still read
        ("lines.jsonl:3", "ok"),
        ("ok.txt", "ok"),
    ]
    assert "max_bytes=1000" in results[0].reason  # type: ignore[union-attr]


def test_size_cap_reads_at_most_max_bytes_plus_one(tmp_path: Path) -> None:
    class Counting(io.BytesIO):
        total = 0

        def read(self, size: int | None = -1, /) -> bytes:
            data = super().read(size)
            Counting.total += len(data)
            return data

    stream = Counting(b"x" * 10_000)
    [reject] = run(["-"], IngestSettings(max_bytes=100), stdin=stream)
    assert isinstance(reject, Reject) and reject.code == "R007"
    assert Counting.total <= 4096 + 101


def test_unknown_and_unsupported_paths(tmp_path: Path) -> None:
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "empty").mkdir()
    results = run(
        [str(tmp_path / "nope.jsonl"), str(tmp_path / "doc.pdf"), str(tmp_path / "empty")]
    )
    assert [r.code for r in results] == ["R010", "R010", "R010"]  # type: ignore[union-attr]
    assert results[0].reason == "no such file or directory"  # type: ignore[union-attr]
    assert "unsupported file type" in results[1].reason  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\n\n  " + json.dumps({"id": "s1", "text": BODY}).encode() + b"\n{bad\n", ["s1", "R001"]),
        (b"  " + (FIXTURES / "page.html").read_bytes(), ["html"]),
        ((FIXTURES / "feed.rss").read_bytes(), ["feed", "feed"]),
        ((FIXTURES / "feed.atom").read_bytes(), ["feed"]),
        (BODY.encode(), ["text"]),
        (b"", ["R003"]),
        (b"   \n  ", ["R003"]),
        (b"\xff\xfe not utf-8 at all, sorry", ["R005"]),
    ],
)
def test_stdin_is_sniffed(data: bytes, expected: list[str]) -> None:
    results = run(["-"], stdin=io.BytesIO(data))
    kinds: list[str] = []
    for r in results:
        if isinstance(r, Reject):
            kinds.append(r.code)
        elif r.id == "s1":
            kinds.append("s1")
        elif r.origin and "#" in r.origin:
            kinds.append("feed")
        elif r.title == "Ceasefire talks resume in Lakeside":
            kinds.append("html")
        else:
            kinds.append("text")
    assert kinds == expected
    assert all((r.origin or "").startswith("<stdin>") for r in results)


def test_stdin_jsonl_line_numbers_and_streaming() -> None:
    lines = b"".join(json.dumps({"id": f"r{i}", "text": BODY}).encode() + b"\n" for i in range(500))
    results = run(["-"], stdin=io.BytesIO(b"\n" + lines))
    assert len(results) == 500
    assert results[0].origin == "<stdin>:2"
    assert results[-1].origin == "<stdin>:501"
    assert results[-1].id == "r499"  # type: ignore[union-attr]


def test_fixture_directory_whole() -> None:
    results = run([str(FIXTURES)])
    articles = [r for r in results if isinstance(r, Article)]
    assert {Path(a.origin or "").name.split(":")[0].split("#")[0] for a in articles} == {
        "article.txt",
        "feed.atom",
        "feed.rss",
        "page.html",
        "records.jsonl",
    }
    assert all(a.text.strip() for a in articles)
