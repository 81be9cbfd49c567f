from __future__ import annotations

from pathlib import Path

from sitrep.model import Article, Extraction, Span, article_id_for, normalise_text, record_id
from sitrep.model.serialize import extraction_to_dict


def test_article_ids_ignore_layout_and_case() -> None:
    a = article_id_for("Troops moved  to the border.\n")
    b = article_id_for("troops moved to the border.")
    assert a == b and a.startswith("a") and len(a) == 17
    assert a != article_id_for("Troops moved to the river.")


def test_normalise_text_nfkc() -> None:
    assert normalise_text("ＡＢＣ\u00a0x") == "abc x"


def test_record_ids_are_stable_and_distinct() -> None:
    assert record_id("e", "a1", 5, "ASSAULT") == record_id("e", "a1", 5, "ASSAULT")
    assert record_id("e", "a1", 5, "ASSAULT") != record_id("e", "a1", 6, "ASSAULT")


def test_serialised_article_has_contract_fields_only() -> None:
    article = Article(id="x", text="Hello world.", origin="file.txt:1")
    data = extraction_to_dict(Extraction(article))
    assert list(data) == ["article", "entities", "places", "times", "quotes", "events"]
    fields = ["id", "url", "title", "outlet", "outlet_from", "wire", "published", "text"]
    fields.append("boilerplate")
    assert list(data["article"]) == fields
    assert Span(0, 5, "Hello") == Span(0, 5, "Hello")


def test_record_fields_are_typed_by_the_one_vocabulary() -> None:
    from typing import get_args, get_type_hints

    from sitrep.errors import RejectCode
    from sitrep.model import Event, Quote, Reject, Time, vocab

    event, quote = get_type_hints(Event), get_type_hints(Quote)
    assert (event["type"], event["factuality"], event["timing"]) == (
        vocab.EventType,
        vocab.Factuality,
        vocab.EventTiming,
    )
    assert quote["kind"] is vocab.QuoteKind and get_type_hints(Time)["type"] is vocab.TimeType
    assert get_type_hints(Reject)["code"] is RejectCode
    assert get_args(vocab.EventType) == vocab.PLOVER_TYPES and len(vocab.PLOVER_TYPES) == 16
    assert vocab.FACTUALITIES[0] == "asserted" and "negated" in vocab.FACTUALITIES
    assert vocab.is_event_type("ASSAULT") and not vocab.is_event_type("assault")
    assert vocab.is_factuality("future") and not vocab.is_factuality("FUTURE")
    assert vocab.is_quote_kind("mixed") and not vocab.is_quote_kind("partial")


def test_the_output_schema_enumerates_the_vocabulary() -> None:
    import json
    from importlib import resources

    from sitrep.model import vocab

    schema = json.loads(resources.files("sitrep.data").joinpath("output.schema.json").read_text())
    event, quote = schema["$defs"]["Event"]["properties"], schema["$defs"]["Quote"]["properties"]
    assert event["type"]["enum"] == list(vocab.PLOVER_TYPES)
    assert event["factuality"]["enum"] == list(vocab.FACTUALITIES)
    assert event["timing"]["enum"] == list(vocab.EVENT_TIMINGS)
    assert quote["kind"]["enum"] == list(vocab.QUOTE_KINDS)
    assert schema["$defs"]["Time"]["properties"]["type"]["enum"] == list(vocab.TIME_TYPES)


def test_a_trigger_lexicon_with_an_unknown_event_type_is_refused_by_name(tmp_path: Path) -> None:
    import pytest

    from sitrep.errors import KnowledgeBaseError
    from sitrep.extract.lexicons import load_lexicons

    path = tmp_path / "mine.yaml"
    path.write_text("verbs:\n  shell: {type: ATTACK}\n", "utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_lexicons((str(path),))
    assert "mine.yaml" in str(err.value) and "'shell'" in str(err.value)
    assert "not 'ATTACK'" in str(err.value) and "ASSAULT" in str(err.value)
    path.write_text("verbs:\n  shell: {type: ASSAULT, mode: artillery}\n", "utf-8")
    trigger = load_lexicons((str(path),)).verb_triggers["shell"]
    assert (trigger.type, trigger.mode) == ("ASSAULT", "artillery")
