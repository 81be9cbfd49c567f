"""Turn annotators' whole-article files into the project's picture gold (docs/annotation.md).

Annotators write one JSON file per article, `KEY.json`, with the text of every sentence,
trigger, quote content and cue so that they can check their work. KEY is `wnNNN` (war-news
record NNN) or `asNNNN` (AllSides record NNNN). This script reads the articles from the
corpora, finds every span and writes one JSONL line per article with record numbers, ids,
character offsets, labels and names: no article text goes into the project.

    python scripts/picture_gold.py ANNOTATIONS_DIR --corpora ../shared --out GOLD.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sitrep.eval.picture import raw_text, read_records

PREFIXES = {"wn": "war-news", "as": "allsides"}
RESERVED = "war-news records 400+ and odd AllSides lines are held out: never annotated"


def key_to_record(key: str) -> tuple[str, int]:
    corpus, record = PREFIXES[key[:2]], int(key[2:])
    if (corpus == "war-news" and record >= 400) or (corpus == "allsides" and record % 2):
        raise SystemExit(f"{key}: {RESERVED}")
    return corpus, record


def _find(text: str, needle: str, near: int = 0) -> tuple[int, int] | None:
    """The occurrence of `needle` nearest to `near`."""
    best = None
    start = text.find(needle)
    while start >= 0 and needle:
        if best is None or abs(start - near) < abs(best - near):
            best = start
        start = text.find(needle, start + 1)
    return None if best is None else (best, best + len(needle))


def _actor(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or not value.get("name"):
        return None
    return {"name": value["name"], "country": value.get("country")}


def convert(key: str, data: dict[str, Any], text: str, id_: str) -> dict[str, Any]:
    corpus, record = key_to_record(key)
    events = []
    for e in data.get("events", []):
        sentence = _find(text, e["sentence"])
        if sentence is None:
            raise SystemExit(f"{key}: sentence not found: {e['sentence'][:60]!r}")
        inner = e["sentence"].find(e["trigger"])
        if inner < 0 or not e["trigger"]:
            raise SystemExit(f"{key}: trigger {e['trigger']!r} not in its sentence")
        events.append(
            {
                "sentence": list(sentence),
                "trigger": [sentence[0] + inner, sentence[0] + inner + len(e["trigger"])],
                "type": e["type"],
                "source": _actor(e.get("source")),
                "target": _actor(e.get("target")),
                "factuality": e["factuality"],
                "date": e.get("date"),
                "current": bool(e.get("current", True)),
            }
        )
    quotes = []
    for q in data.get("quotes", []):
        content = _find(text, q["content"])
        if content is None:
            raise SystemExit(f"{key}: quote content not found: {q['content'][:60]!r}")
        cue = _find(text, q["cue"], content[0]) if q.get("cue") else None
        quotes.append(
            {
                "content": list(content),
                "kind": q["kind"],
                "cue": list(cue) if cue else None,
                "speaker": q.get("speaker"),
                "via": [v for v in q.get("via") or [] if isinstance(v, str)],
            }
        )
    return {
        "corpus": corpus,
        "record": record,
        "id": id_,
        "published": data.get("published"),
        "events": sorted(events, key=lambda e: (e["trigger"][0], e["type"])),
        "quotes": sorted(quotes, key=lambda q: q["content"][0]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("annotations", type=Path, help="folder of KEY.json files")
    parser.add_argument("--corpora", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    files = sorted(args.annotations.glob("*.json"))
    keys = [f.stem for f in files]
    records = read_records(args.corpora, [key_to_record(k) for k in keys])
    lines = []
    for path, key in zip(files, keys, strict=True):
        record = records[key_to_record(key)]
        corpus = key_to_record(key)[0]
        id_ = str(record.get("file") or record.get("ID"))
        data = json.loads(path.read_text("utf-8"))
        lines.append(json.dumps(convert(key, data, raw_text(corpus, record), id_), sort_keys=True))
    args.out.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{len(lines)} articles → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
