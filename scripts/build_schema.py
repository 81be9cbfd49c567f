"""Write src/sitrep/data/output.schema.json, the JSON Schema of `sitrep extract` output.

Run: .venv/bin/python scripts/build_schema.py   (tests fail when the file is out of date)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sitrep.model.vocab import (  # noqa: E402
    EVENT_TIMINGS,
    FACTUALITIES,
    PLOVER_TYPES,
    QUOTE_KINDS,
    TIME_TYPES,
)

TARGET = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "output.schema.json"


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": True,
    }


STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
ISO3 = {"type": "string", "pattern": "^[A-Z]{3}$"}


def build() -> dict[str, Any]:
    span = obj({"start": {**INT, "minimum": 0}, "end": {**INT, "minimum": 0}, "text": STR})
    participant_props = {
        "span": nullable({"$ref": "#/$defs/Span"}),
        "name": STR,
        "actor_id": nullable(STR),
        "country": nullable(ISO3),
        "sector": nullable(STR),
    }
    via = obj(
        {
            "cue": nullable({"$ref": "#/$defs/Span"}),
            "source": {"$ref": "#/$defs/Participant"},
            "source_type": nullable(STR),
        }
    )
    place = obj(
        {
            "span": nullable({"$ref": "#/$defs/Span"}),
            "name": STR,
            "geonameid": nullable(INT),
            "country": nullable(ISO3),
            "admin1": nullable(STR),
            "lat": nullable({**NUM, "minimum": -90, "maximum": 90}),
            "lon": nullable({**NUM, "minimum": -180, "maximum": 180}),
            "feature": nullable(STR),
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sitrep.invalid/schema/extract-output-1.json",
        "title": "sitrep extract output (one JSON object per article)",
        "$defs": {
            "Span": span,
            "Participant": obj(participant_props),
            "Entity": obj({**participant_props, "label": STR}),
            "Place": place,
            "Time": obj(
                {
                    "span": nullable({"$ref": "#/$defs/Span"}),
                    "type": {"enum": list(TIME_TYPES)},
                    "value": STR,
                }
            ),
            "Via": via,
            "Quote": obj(
                {
                    "id": STR,
                    "kind": {"enum": list(QUOTE_KINDS)},
                    "content": {"$ref": "#/$defs/Span"},
                    "cue": nullable({"$ref": "#/$defs/Span"}),
                    "speaker": nullable({"$ref": "#/$defs/Participant"}),
                    "addressee": nullable({"$ref": "#/$defs/Participant"}),
                    "via": {"type": "array", "items": {"$ref": "#/$defs/Via"}},
                    "hedged": {"type": "boolean"},
                    "denial": {"type": "boolean"},
                    "denies": nullable(STR),
                }
            ),
            "Event": obj(
                {
                    "id": STR,
                    "type": {"enum": list(PLOVER_TYPES)},
                    "mode": nullable(STR),
                    "context": {"type": "array", "items": STR},
                    "source": nullable({"$ref": "#/$defs/Participant"}),
                    "target": nullable({"$ref": "#/$defs/Participant"}),
                    "trigger": {"$ref": "#/$defs/Span"},
                    "sentence": {"$ref": "#/$defs/Span"},
                    "date": nullable(
                        obj({"value": STR, "span": nullable({"$ref": "#/$defs/Span"})})
                    ),
                    "place": nullable({"$ref": "#/$defs/Place"}),
                    "factuality": {"enum": list(FACTUALITIES)},
                    "attribution": nullable(
                        obj(
                            {
                                "speaker": nullable({"$ref": "#/$defs/Participant"}),
                                "via": {"type": "array", "items": {"$ref": "#/$defs/Via"}},
                            }
                        )
                    ),
                    "cameo": nullable(STR),
                    "intensity": {**NUM, "minimum": -10, "maximum": 10},
                    "confidence": {**NUM, "minimum": 0, "maximum": 1},
                    "sources": {"type": "array", "items": {"$ref": "#/$defs/Participant"}},
                    "targets": {"type": "array", "items": {"$ref": "#/$defs/Participant"}},
                    "timing": {"enum": list(EVENT_TIMINGS)},
                }
            ),
        },
        **obj(
            {
                "article": obj(
                    {
                        "id": STR,
                        "url": nullable(STR),
                        "title": nullable(STR),
                        "outlet": nullable(STR),
                        "outlet_from": nullable(
                            {"enum": ["record", "url", "dateline", "closing", "self"]}
                        ),
                        "wire": nullable(STR),
                        "published": nullable(STR),
                        "text": STR,
                        "boilerplate": {
                            "type": "array",
                            "items": obj({"rule": STR, "text": STR}),
                        },
                    }
                ),
                "entities": {"type": "array", "items": {"$ref": "#/$defs/Entity"}},
                "places": {"type": "array", "items": {"$ref": "#/$defs/Place"}},
                "times": {"type": "array", "items": {"$ref": "#/$defs/Time"}},
                "quotes": {"type": "array", "items": {"$ref": "#/$defs/Quote"}},
                "events": {"type": "array", "items": {"$ref": "#/$defs/Event"}},
            }
        ),
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
