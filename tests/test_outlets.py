"""Who published an article and whose report it carries: the examples of data/outlets.yaml,
the order of the evidence, and the attribution through ingest."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitrep.ingest import read_inputs
from sitrep.ingest.outlets import attribute, domain_of, outlet_rules
from sitrep.model.article import Article, RemovedLine
from sitrep.settings import load_settings


def _examples(kind: str) -> list[tuple[str, Any]]:
    text = resources.files("sitrep").joinpath("data", "outlets.yaml").read_text("utf-8")
    out: list[tuple[str, Any]] = []
    for outlet in yaml.safe_load(text)["outlets"]:
        for example in outlet.get("examples" if kind == "examples" else "not", []):
            out.append((outlet["name"], example))
    return out


@pytest.mark.parametrize(("name", "example"), _examples("examples"), ids=lambda v: str(v)[:30])
def test_each_outlet_rule_attributes_its_example(name: str, example: dict[str, Any]) -> None:
    found = attribute(Article(id="a", text=example["text"]), outlet_rules())
    if example.get("wire"):
        assert found.wire == name
    else:
        assert name in {found.outlet, found.wire}


@pytest.mark.parametrize(("name", "text"), _examples("not"), ids=lambda v: str(v)[:30])
def test_a_cited_outlet_is_not_the_publisher(name: str, text: str) -> None:
    found = attribute(Article(id="a", text=text), outlet_rules())
    assert name not in {found.outlet, found.wire}


def test_the_record_wins_then_the_url_then_the_text() -> None:
    rules = outlet_rules()
    text = "A senior official told CNN the package would be announced soon."
    given = attribute(Article(id="a", text=text, outlet="Daily Example"), rules)
    assert (given.outlet, given.outlet_from) == ("Daily Example", "record")
    by_url = attribute(Article(id="b", text=text, url="https://www.bbc.co.uk/news/1"), rules)
    assert (by_url.outlet, by_url.outlet_from) == ("BBC", "url")
    unknown = attribute(Article(id="c", text=text, url="https://news.example.org/x"), rules)
    assert (unknown.outlet, unknown.outlet_from) == ("news.example.org", "url")
    own = attribute(Article(id="d", text=text), rules)
    assert (own.outlet, own.outlet_from) == ("CNN", "self")
    nothing = attribute(Article(id="e", text="Troops moved north on Monday."), rules)
    assert (nothing.outlet, nothing.outlet_from, nothing.wire) == (None, None, None)


def test_wire_copy_keeps_its_publisher_and_names_the_agency() -> None:
    text = "KYIV, May 3 (Reuters) - Ukraine said on Friday it had shot down ten drones."
    found = attribute(Article(id="a", text=text, outlet="Daily Example"), outlet_rules())
    assert (found.outlet, found.wire) == ("Daily Example", "Reuters")
    own = attribute(Article(id="b", text=text, url="https://www.reuters.com/w"), outlet_rules())
    assert (own.outlet, own.wire) == ("Reuters", None)


def test_a_closing_credit_removed_as_boilerplate_still_counts() -> None:
    article = Article(
        id="a",
        text="The minister visited the base on Friday.",
        boilerplate=[RemovedLine(rule="repeated", text="Source: PAP")],
    )
    assert attribute(article, outlet_rules()).outlet == "PAP"


def test_domain_of() -> None:
    assert domain_of("https://www.Example.com/a?b=1") == "example.com"
    assert domain_of(None) is None
    assert domain_of("not a url") is None


def test_ingest_attributes_every_article(tmp_path: Path) -> None:
    records = [
        {"id": "w", "text": "MINSK, 5 May (BelTA) - The president met the governors on Friday."},
        {"id": "u", "text": "Rain fell on the capital.", "url": "https://www.cnn.com/a"},
        {"id": "n", "text": "Rain fell on the capital for the third day."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    got = {a.id: a for a in read_inputs([str(path)], load_settings().ingest)}
    assert (got["w"].outlet, got["w"].outlet_from) == ("BelTA", "dateline")
    assert (got["u"].outlet, got["u"].outlet_from) == ("CNN", "url")
    assert got["n"].outlet is None
