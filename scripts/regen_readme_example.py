"""Regenerate the "What comes out" section of README.md from the golden files and a real
`sitrep run` + `sitrep summary` over the sample articles (run from the project root)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SITREP = str(ROOT / ".venv" / "bin" / "sitrep")


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def who(participant: dict[str, Any] | None) -> str:
    if not participant:
        return "null"
    return compact({k: participant[k] for k in ("name", "actor_id", "country", "sector")})


def example_json() -> str:
    record = json.loads((ROOT / "tests/golden/sample-02-threat.json").read_text("utf-8"))
    quote = next(q for q in record["quotes"] if q["via"])
    event = next(e for e in record["events"] if e["type"] == "THREATEN")
    via = quote["via"][0]
    place_keys = ("name", "geonameid", "country", "feature", "lat", "lon")
    place = compact({k: event["place"][k] for k in place_keys}) if event["place"] else "null"
    via_cue = compact({"text": via["cue"]["text"] if via["cue"] else ""})
    head = {"kind": quote["kind"], "hedged": quote["hedged"]}
    event_head = {k: event[k] for k in ("type", "cameo", "intensity", "factuality")}
    return "\n".join(
        [
            compact(head)[:-1] + ",",
            f' "content": {compact(quote["content"])},',
            f' "cue": {compact(quote["cue"])},',
            f' "speaker": {who(quote["speaker"])},',
            f' "via": [{{"cue": {via_cue}, "source": {who(via["source"])}, '
            f'"source_type": "{via["source_type"]}"}}]}}',
            "",
            compact(event_head)[:-1] + ",",
            f' "trigger": {compact(event["trigger"])},',
            f' "source": {who(event["source"])},',
            f' "date": {compact(event["date"])},',
            f' "place": {place}}}',
        ]
    )


def demo_summary() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "readme.duckdb")
        samples = str(ROOT / "samples/articles.jsonl")
        subprocess.run([SITREP, "run", samples, "--db", db, "--no-progress"], check=False)
        out = subprocess.run(
            [SITREP, "summary", "--db", db], capture_output=True, text=True, check=True
        ).stdout
    lines = out.splitlines()
    end = lines.index("Events by factuality")
    quotes = [line for line in lines if line.startswith("- ")][:4]
    return "\n".join([*lines[:end], "…", *quotes])


def main() -> None:
    section = f"""## What comes out

`sitrep extract samples/articles.jsonl` prints one JSON object per article (the full
contract is in [docs/schema.md](docs/schema.md)). From the sample article
`sample-02-threat` (published 2024-05-10), one quote and one event, abridged:

```json
{example_json()}
```

`make demo` stores the ten sample articles and prints a summary such as:

```
{demo_summary()}
```

"""
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8")
    start, end = text.index("## What comes out"), text.index("## Documentation")
    readme.write_text(text[:start] + section + text[end:], "utf-8")


if __name__ == "__main__":
    main()
