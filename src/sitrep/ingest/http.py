"""SSRF-safe fetching of http(s) URLs: every hop's addresses are checked, bodies are capped.

The connection goes to the address that was checked (Host header and TLS SNI keep the name),
so a second DNS answer cannot swap in a private address between check and connect.
"""

from __future__ import annotations

import gzip
import io
import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

import httpx

from sitrep.errors import FetchError
from sitrep.ingest.files import kind_of, read_document, sniff
from sitrep.ingest.jsonl import read_jsonl
from sitrep.model.article import Article, Reject
from sitrep.settings import IngestSettings

Resolver = Callable[[str], Iterable[str]]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_TYPES = frozenset({"application/xml", "text/xml"})
_JSONL_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/jsonl",
        "application/jsonlines",
        "application/x-jsonlines",
    }
)
_MEDIA_PREFIXES = ("image/", "audio/", "video/", "font/")


def system_resolver(host: str) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are IPv4


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries and that a network may route to: mapped
    (::ffff:a.b.c.d), compatible (::a.b.c.d), 6to4 (2002:AABB:CCDD::), Teredo (server and
    client) and NAT64. A 6to4 relay or NAT64 gateway delivers to the embedded address."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    low = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # ::a.b.c.d, not :: or ::1
        found.append(low)
    if ip in _NAT64:
        found.append(low)
    return found


def _non_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a non-public address"),
    )
    return next((label for flagged, label in checks if flagged), None)


def _non_public(address: str) -> str | None:
    """What makes `address` non-public ("a loopback address" …), or None when it is public.
    An IPv6 address that embeds a non-public IPv4 address is as non-public as that one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in _embedded_ipv4(ip):
            label = _non_public_ip(inner)
            if label is not None:
                return f"{label} ({inner}, inside the IPv6 address)"
        if ip.ipv4_mapped is not None:
            return None  # a mapped public IPv4 address is that address
    return _non_public_ip(ip)


def check_address(host: str, allow_private: bool, resolver: Resolver | None = None) -> list[str]:
    """The addresses `host` resolves to; FetchError when any of them is not public.

    With `allow_private` every address is accepted. An IP literal is checked as it is.
    """
    name = host.strip().strip("[]")
    if not name:
        raise FetchError("refused: URL has no host")
    try:
        addresses = [str(ipaddress.ip_address(name))]
        literal = True
    except ValueError:
        literal = False
        try:
            addresses = list((resolver or system_resolver)(name))
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {name}: {exc}") from exc
    if not addresses:
        raise FetchError(f"cannot resolve {name}: no addresses")
    if allow_private:
        return addresses
    for address in addresses:
        try:
            label = _non_public(address)
        except ValueError as exc:
            raise FetchError(f"refused: {name} resolves to unusable address {address!r}") from exc
        if label is not None:
            what = f"{address} is" if literal else f"{name} resolves to {address},"
            raise FetchError(f"refused: {what} {label} (use --allow-private)")
    return addresses


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched body; status 304 (conditional GET: unchanged) comes with an empty body."""

    url: str
    content_type: str
    charset: str | None
    body: bytes
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


def _read_body(response: httpx.Response, settings: IngestSettings, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_bytes:
        raise FetchError(
            f"response of {declared} bytes is larger than ingest.max_bytes={settings.max_bytes}"
        )
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > settings.max_bytes:
            raise FetchError(
                f"response larger than ingest.max_bytes={settings.max_bytes} bytes;"
                " download stopped"
            )
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {settings.timeout:g} s")
    return bytes(body)


def _hop(
    client: httpx.Client,
    target: httpx.URL,
    addresses: list[str],
    settings: IngestSettings,
    extra_headers: Mapping[str, str],
) -> httpx.URL | Fetched:
    """One request, pinned to the checked addresses: the next URL (redirect) or the body."""
    headers = {
        **extra_headers,
        "Host": target.netloc.decode("ascii"),
        "User-Agent": settings.user_agent,
    }
    sni = target.raw_host.decode("ascii")
    last: Exception | None = None
    for address in addresses:
        try:
            pinned = target.copy_with(host=address)
        except (httpx.InvalidURL, ValueError) as exc:
            last = exc
            continue
        try:
            with client.stream(
                "GET",
                pinned,
                headers=headers,
                extensions={"sni_hostname": sni},
                follow_redirects=False,
                timeout=settings.timeout,
            ) as response:
                status = response.status_code
                if status in _REDIRECTS and "location" in response.headers:
                    return target.join(response.headers["location"])
                etag = response.headers.get("etag")
                modified = response.headers.get("last-modified")
                if status == 304 and extra_headers:
                    return Fetched(str(target), "", None, b"", 304, etag, modified)
                if status >= 400:
                    raise FetchError(f"HTTP {status} {response.reason_phrase}".strip())
                if not 200 <= status < 300:
                    raise FetchError(f"unexpected HTTP status {status}")
                media = response.headers.get("content-type", "")
                content_type = media.split(";")[0].strip().lower()
                if content_type.startswith(_MEDIA_PREFIXES) or content_type == "application/pdf":
                    raise FetchError(f"unsupported content type {content_type}")
                body = _read_body(response, settings, time.monotonic() + settings.timeout)
                charset = response.charset_encoding
                return Fetched(str(target), content_type, charset, body, status, etag, modified)
        except httpx.ConnectError as exc:
            last = exc  # try the next checked address
    raise FetchError(f"cannot connect to {target.host}: {last}")


def fetch(
    url: str,
    settings: IngestSettings,
    client: httpx.Client,
    resolver: Resolver | None = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET `url`, following at most `settings.max_redirects` redirects, each hop checked.

    `headers` are sent as well (If-None-Match, If-Modified-Since: a 304 answer is then a
    `Fetched` with status 304 and no body)."""
    current = url
    try:
        for _ in range(settings.max_redirects + 1):
            target = httpx.URL(current)
            if target.scheme not in ("http", "https"):
                raise FetchError(f"refused: only http and https URLs are fetched, not {current}")
            addresses = check_address(target.host, settings.allow_private, resolver)
            result = _hop(client, target, addresses, settings, headers or {})
            if isinstance(result, Fetched):
                return result
            current = str(result)
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {settings.timeout:g} s") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL {current!r}: {exc}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}") from exc
    raise FetchError(
        f"too many redirects (more than ingest.max_redirects={settings.max_redirects})"
    )


def kind_for(fetched: Fetched) -> str:
    """Decide feed / html / json / jsonl / text from Content-Type, URL extension and the body."""
    content_type = fetched.content_type
    if content_type in _FEED_TYPES:
        return "feed"
    if content_type in _HTML_TYPES or content_type in _XML_TYPES:
        sniffed = sniff(fetched.body)
        return "feed" if sniffed == "feed" or content_type in _XML_TYPES else "html"
    if content_type in _JSONL_TYPES:
        return "jsonl"
    if content_type == "application/json":
        return "json"
    by_name = kind_of(PurePosixPath(httpx.URL(fetched.url).path).name)
    return by_name or sniff(fetched.body)


def read_url(
    url: str,
    settings: IngestSettings,
    client: httpx.Client,
    resolver: Resolver | None = None,
) -> Iterator[Article | Reject]:
    """Fetch `url` and read it as the kind it turns out to be; any failure is one R008."""
    try:
        fetched = fetch(url, settings, client, resolver)
    except FetchError as exc:
        yield Reject(origin=url, code="R008", reason=exc.message)
        return
    kind = kind_for(fetched)
    if kind == "jsonl.gz":
        yield from read_jsonl(gzip.GzipFile(fileobj=io.BytesIO(fetched.body)), url, settings)
        return
    yield from read_document(
        kind, fetched.body, url, settings, url=fetched.url, encoding=fetched.charset
    )
