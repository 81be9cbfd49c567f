from __future__ import annotations

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
