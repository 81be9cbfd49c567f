"""Ingest: files, directories, stdin and URLs in; a stream of `Article | Reject` out, in order.

Nothing here prints or reads the environment; settings come in explicitly.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

import httpx

from sitrep.ingest.boilerplate import strip_boilerplate
from sitrep.ingest.clean import clean_text, make_article, validate
from sitrep.ingest.files import read_path, read_stdin
from sitrep.ingest.http import Resolver, check_address, read_url
from sitrep.ingest.outlets import attribute_outlets
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

__all__ = ["check_address", "clean_text", "make_article", "read_inputs", "validate"]

_URL = re.compile(r"^https?://", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def read_inputs(
    inputs: Sequence[str],
    settings: IngestSettings,
    *,
    stdin: BinaryIO | None = None,
    client: httpx.Client | None = None,
    resolver: Resolver | None = None,
) -> Iterator[Article | Reject]:
    """Articles and rejects from `inputs` (paths, directories, "-" for stdin, http(s) URLs).

    `client` and `resolver` are for tests; by default an httpx client is built from settings
    (and closed again) and host names are resolved with the system resolver. Lines
    repeated across the input's articles are removed as boilerplate (ingest/boilerplate.py),
    then every article gets its outlet where its URL or text tells it (ingest/outlets.py).
    """
    read = _read_inputs(inputs, settings, stdin=stdin, client=client, resolver=resolver)
    return attribute_outlets(strip_boilerplate(read, settings))


def _read_inputs(
    inputs: Sequence[str],
    settings: IngestSettings,
    *,
    stdin: BinaryIO | None,
    client: httpx.Client | None,
    resolver: Resolver | None,
) -> Iterator[Article | Reject]:
    own: httpx.Client | None = None
    http = client
    try:
        for item in inputs:
            if item == "-":
                yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, settings)
            elif _URL.match(item):
                if http is None:
                    http = own = httpx.Client(
                        timeout=httpx.Timeout(settings.timeout),
                        headers={"User-Agent": settings.user_agent},
                        follow_redirects=False,
                        trust_env=False,
                    )
                yield from read_url(item, settings, http, resolver)
            elif _OTHER_SCHEME.match(item):
                reason = "refused: only http and https URLs are fetched"
                yield Reject(origin=item, code="R008", reason=reason)
            else:
                yield from read_path(item, settings)
    finally:
        if own is not None:
            own.close()
