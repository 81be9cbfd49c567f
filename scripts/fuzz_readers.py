"""Mutational fuzzer for the ingest readers (JSON Lines, .json, HTML, plain text clean-up).

    .venv/bin/python scripts/fuzz_readers.py --minutes 10 [--seed 1] [--target all]

A small fuzzer of our own (no coverage instrumentation): synthetic seed inputs written here
are mutated by byte flips, insertions of hostile tokens, deletions, duplications and
splices; an input whose outcome signature (result kinds, reject codes, reason shapes) is new
joins the corpus, so mutations build on inputs that reached new behaviour. Every input is
checked against an oracle:

* no exception escapes a reader: bad input must come back as a `Reject`;
* a `Reject` has a known code and a short single-line printable snippet;
* an `Article` is valid: non-empty text that passes `check`, is already clean, encodes
  as UTF-8 (so every span into it can be stored and printed), fields are UTF-8 too;
* JSON Lines: one result per non-blank line, origins `name:LINE` naming that line, in
  order; a line that is a well-formed record with acceptable text is never lost (it comes
  back as an Article with exactly the cleaned text).

Findings (inputs that break the oracle or take over `--slow` seconds) are written to
`--out` (default /tmp/sitrep-fuzz) and summarised at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from sitrep.errors import REJECT_CODES
from sitrep.ingest.clean import check, clean_text, make_article
from sitrep.ingest.html import article_from_html, strip_tags
from sitrep.ingest.jsonl import read_json_document, read_jsonl
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

# Small limits so the length-limit paths are reached by small inputs too.
SETTINGS = IngestSettings(max_chars=4000, min_chars=20, max_bytes=6000)
_FIELDS = ("id", "url", "title", "outlet", "published")

_BODY = (
    "Artillery shelled the outskirts of Kharkiv on Tuesday, regional officials said. "
    "\u201cWe will not retreat,\u201d the mayor told reporters, according to Reuters."
)
SEEDS_JSONL = [
    json.dumps({"id": "a1", "text": _BODY, "outlet": "Wire", "published": "2024-02-01"}),
    json.dumps({"text": _BODY + "\n\nSecond paragraph.\r\n", "title": "Shelling"})
    + "\n"
    + json.dumps({"id": 7, "text": "   "}),
    json.dumps({"html": f"<html><body><article><p>{_BODY}</p></article></body></html>"}),
    "\ufeff" + json.dumps({"text": _BODY, "source": {"name": "Agency"}}, ensure_ascii=False),
    json.dumps([1, 2]) + "\n" + json.dumps({"text": 5}) + "\n{bad json\n",
    json.dumps(
        {"text": "caf\u00e9 \u0416 \u4e2d\u6587 " * 4, "published": "Tue, 01 Feb 2022 10:00:00 GMT"}
    ),
]
SEEDS_HTML = [
    f"<html><head><title>T</title><script>x()</script></head><body><nav>menu</nav>"
    f"<article><h1>Shelling</h1><p>{_BODY}</p><p>{_BODY}</p></article>"
    f"<footer>(c)</footer></body></html>",
    f"<!DOCTYPE html><div><div><p>{_BODY}<br>more &amp; more &#x41; &bogus;</p></div></div>",
    f'<html><meta charset="latin-1"><body><table><tr><td>{_BODY}</td></tr></table></body>',
]
SEEDS_TEXT = [
    _BODY,
    "The post Shelling appeared first on Wire.\n" + _BODY + "\n\n\n\n\nEnd.",
    "\tIndented\u00a0line   \n\x0bvertical tab\x0cform feed " + _BODY,
]
TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"\\",
    b",",
    b":",
    b'"text":',
    b'"html":',
    b'"id":',
    b'"published":',
    b"null",
    b"true",
    b"1e999999",
    b"9" * 5000,
    b"-0",
    b"\\u0000",
    b"\\ud800",
    b"\\udfff",
    b"\\ud83d\\ude00",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",
    b"\xc3",
    b"\r",
    b"\n",
    b"\r\n",
    b"\x0b",
    b"\x1b[31m",
    b"\xe2\x80\xa8",
    b"[" * 2000,
    b"<div>" * 300,
    b"</",
    b"<script>",
    b"<![CDATA[",
    b"<!--",
    b"&#0;",
    b"&#x110000;",
    b"&amp;",
    b"<p>",
    b"<article>",
    b" " * 300,
    b"a" * 3000,
    b"The post X appeared first on Y",
]


@dataclass
class Finding:
    target: str
    problem: str
    data: bytes


@dataclass
class Stats:
    executions: int = 0
    by_target: dict[str, int] = field(default_factory=dict)
    signatures: set[tuple[str, ...]] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    slow: list[tuple[str, float, bytes]] = field(default_factory=list)


class OracleError(AssertionError):
    pass


def _expect(ok: bool, message: str) -> None:
    if not ok:
        raise OracleError(message)


def _check_utf8(value: str | None, what: str) -> None:
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise OracleError(f"{what} is not encodable as UTF-8: {exc}") from exc


def check_result(item: Article | Reject) -> str:
    """Oracle for one reader result; returns a short signature of the outcome."""
    if isinstance(item, Reject):
        _expect(item.code in REJECT_CODES, f"unknown reject code {item.code!r}")
        _expect(bool(item.reason), "reject without a reason")
        _expect(len(item.snippet) <= 80, f"snippet of {len(item.snippet)} chars")
        _expect("\n" not in item.snippet and "\x00" not in item.snippet, "snippet not one line")
        _check_utf8(item.snippet, "snippet")
        _check_utf8(item.reason, "reason")
        head = item.reason.split(":")[0][:30]
        return f"{item.code}:{head}"
    _expect(isinstance(item, Article), f"reader returned {type(item).__name__}")
    _expect(bool(item.text.strip()), "article with empty text")
    _expect(
        check(item.text, SETTINGS) is None,
        f"article text fails check: {check(item.text, SETTINGS)}",
    )
    _expect(
        clean_text(item.text) == item.text, "article text is not clean (cleaning not idempotent)"
    )
    _expect(bool(item.id), "article without id")
    _check_utf8(item.text, "article text")
    for name in (*_FIELDS, "origin"):
        _check_utf8(getattr(item, name), f"article {name}")
    return "article"


def _plain_record(line: bytes) -> str | None:
    """The cleaned text a line must give when it is a well-formed acceptable record, else None."""
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return None
    if any(k not in {"text", *_FIELDS} or not isinstance(v, str) for k, v in value.items()):
        return None
    text = value["text"]
    if value.get("published") is not None and len(value["published"]) > 64:
        return None
    if check(text, SETTINGS) is not None or check(clean_text(text), SETTINGS) is not None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None  # lone surrogates: must be rejected, so not "acceptable"
    return clean_text(text)


def run_jsonl(data: bytes) -> list[str]:
    results = list(read_jsonl(io.BytesIO(data), "f", SETTINGS))
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    wanted = [
        (n, raw) for n, raw in enumerate(lines, 1) if raw.strip() or len(raw) > SETTINGS.max_bytes
    ]
    signature = [check_result(r) for r in results]
    _expect(len(results) == len(wanted), f"{len(results)} results for {len(wanted)} lines")
    for (number, raw), item in zip(wanted, results, strict=True):
        _expect(item.origin == f"f:{number}", f"origin {item.origin!r} for line {number}")
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        expected = _plain_record(raw) if len(raw) < SETTINGS.max_bytes else None
        if expected is not None:
            _expect(isinstance(item, Article), f"line {number}: accepted record lost ({item})")
            assert isinstance(item, Article)
            _expect(item.text == expected, f"line {number}: text changed beyond clean-up")
    return signature


def run_json(data: bytes) -> list[str]:
    return [check_result(r) for r in read_json_document(data, "doc.json", SETTINGS)]


def run_html(data: bytes) -> list[str]:
    item = article_from_html(data, origin="page.html", settings=SETTINGS)
    text = strip_tags(data.decode("utf-8", "replace"))
    _expect(isinstance(text, str), "strip_tags did not return text")
    return [check_result(item)]


def run_text(data: bytes) -> list[str]:
    raw = data.decode("utf-8", "surrogateescape")
    item = make_article(raw, origin="t", settings=SETTINGS)
    return [check_result(item)]


TARGETS: dict[str, tuple[Callable[[bytes], list[str]], list[str]]] = {
    "jsonl": (run_jsonl, SEEDS_JSONL),
    "json": (run_json, SEEDS_JSONL[:1] + ["[" + ",".join(SEEDS_JSONL[:1] * 3) + "]"]),
    "html": (run_html, SEEDS_HTML),
    "text": (run_text, SEEDS_TEXT),
}


def mutate(data: bytes, rng: random.Random, corpus: list[bytes]) -> bytes:
    """One to eight stacked mutations; output capped at 20 kB."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.randrange(7)
        pos = rng.randint(0, len(buf))
        if choice == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif choice == 1:
            buf[pos:pos] = rng.choice(TOKENS)
        elif choice == 2 and buf:
            end = min(len(buf), pos + rng.randint(1, 64))
            del buf[pos:end]
        elif choice == 3 and buf:
            start = rng.randrange(len(buf))
            chunk = buf[start : start + rng.randint(1, 200)]
            buf[pos:pos] = chunk * rng.randint(1, 20)
        elif choice == 4 and corpus:
            other = rng.choice(corpus)
            cut = rng.randint(0, len(other))
            buf = buf[:pos] + bytearray(other[cut:])
        elif choice == 5:
            buf[pos:pos] = bytes([rng.randrange(256)])
        else:
            buf[pos:pos] = rng.choice(["\u2028", "\u00e9", "\U0001f600", "\ufffd"]).encode()
    return bytes(buf[:20_000])


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout()


def execute(target: str, data: bytes, stats: Stats, hang: float, slow: float) -> bool:
    """Run one input; True when it reached a new outcome signature."""
    run = TARGETS[target][0]
    stats.executions += 1
    stats.by_target[target] = stats.by_target.get(target, 0) + 1
    signal.setitimer(signal.ITIMER_REAL, hang)
    began = time.perf_counter()
    try:
        signature = (target, *run(data))
    except _Timeout:
        stats.findings.append(Finding(target, f"hang over {hang}s", data))
        return False
    except OracleError as exc:
        stats.findings.append(Finding(target, f"oracle: {exc}", data))
        return False
    except Exception as exc:  # the point of the fuzzer: anything escaping a reader
        stack = traceback.format_exception_only(type(exc), exc)[-1].strip()
        stats.findings.append(Finding(target, f"exception: {stack}", data))
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    took = time.perf_counter() - began
    if took > slow:
        stats.slow.append((target, took, data))
    if signature in stats.signatures:
        return False
    stats.signatures.add(signature)
    return True


def fuzz(
    targets: Iterable[str], seconds: float, seed: int, hang: float = 20.0, slow: float = 2.0
) -> Stats:
    rng = random.Random(seed)
    stats = Stats()
    signal.signal(signal.SIGALRM, _alarm)
    corpora = {t: [s.encode("utf-8") for s in TARGETS[t][1]] for t in targets}
    for target, corpus in corpora.items():
        for data in corpus:
            execute(target, data, stats, hang, slow)
    deadline = time.monotonic() + seconds
    names = list(corpora)
    while time.monotonic() < deadline:
        target = rng.choice(names)
        corpus = corpora[target]
        data = mutate(rng.choice(corpus), rng, corpus)
        if execute(target, data, stats, hang, slow) and len(corpus) < 2000:
            corpus.append(data)
    return stats


def _problem_key(finding: Finding) -> str:
    return f"{finding.target}: {re.sub(r'[0-9]+', 'N', finding.problem)[:120]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--slow", type=float, default=2.0, help="report inputs slower than this")
    parser.add_argument("--out", type=Path, default=Path("/tmp/sitrep-fuzz"))
    args = parser.parse_args(argv)
    targets = list(TARGETS) if args.target == "all" else [args.target]
    began = time.monotonic()
    stats = fuzz(targets, args.minutes * 60, args.seed, slow=args.slow)
    elapsed = time.monotonic() - began
    args.out.mkdir(parents=True, exist_ok=True)
    unique: dict[str, Finding] = {}
    for finding in stats.findings:
        unique.setdefault(_problem_key(finding), finding)
    for n, (key, finding) in enumerate(sorted(unique.items())):
        (args.out / f"finding-{n:03d}-{finding.target}.bin").write_bytes(finding.data)
        print(f"FINDING {n:03d} {key}")
    for target, took, data in sorted(stats.slow, key=lambda s: -s[1])[:10]:
        print(f"SLOW {target} {took:.2f}s {len(data)} bytes")
    per = ", ".join(f"{t}={n}" for t, n in sorted(stats.by_target.items()))
    print(
        f"{stats.executions} executions in {elapsed:.0f}s ({per}); "
        f"{len(stats.signatures)} outcome signatures; {len(stats.findings)} failing inputs, "
        f"{len(unique)} distinct; {len(stats.slow)} slow"
    )
    return 1 if stats.findings else 0


if __name__ == "__main__":
    sys.exit(main())
