"""The alerts as an Atom feed (RFC 4287) for any feed reader: GET /alerts.atom.

One entry per alert, newest change first; an episode that grows keeps its entry id and
gets a new <updated>, so readers show it as updated rather than new. The document is built
with ElementTree, which escapes every text and attribute; characters XML 1.0 cannot carry
at all (most control characters, lone surrogates) are dropped first, since article text
is hostile and one of them would make the whole feed unreadable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import urlencode

from sitrep import __version__
from sitrep.analyze.alert_record import Alert

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
# Not allowed anywhere in an XML 1.0 document, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EPOCH = "1970-01-01T00:00:00Z"


def xml_text(value: object) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _stamp(value: str | None) -> str | None:
    """An RFC 3339 time (UTC) from a stored timestamp or a day."""
    if not value:
        return None
    value = value[:19]
    return f"{value}Z" if "T" in value else f"{value[:10]}T00:00:00Z"


def _updated(alert: Alert) -> str:
    return _stamp(alert.updated) or _stamp(alert.first_fired) or _stamp(alert.last_day) or _EPOCH


def _sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def _summary(alert: Alert) -> str:
    lines = [alert.why, ""]
    for e in alert.evidence:
        lines.append(
            f"- {e.get('day')} {e.get('type')} ({e.get('factuality')}): {e.get('sentence')} "
            f"[{e.get('outlet')}, {e.get('published')}, article {e.get('article_id')}]"
        )
    return "\n".join(str(line) for line in lines)


def _entry_title(alert: Alert) -> str:
    pair = ""
    if alert.source_country or alert.target_country:
        pair = f" {alert.source_country or '?'} → {alert.target_country or '?'},"
    days = alert.day if alert.last_day == alert.day else f"{alert.day} to {alert.last_day}"
    return f"{alert.title}:{pair} {days} ({alert.events} events)"


def _entry(feed: ET.Element, alert: Alert, base_url: str) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"urn:sitrep:alert:{alert.id}")
    _sub(entry, "title", _entry_title(alert), type="text")
    _sub(entry, "updated", _updated(alert))
    published = _stamp(alert.first_fired)
    if published:
        _sub(entry, "published", published)
    query = urlencode({k: xml_text(v) for k, v in (("rule", alert.rule), ("since", alert.day))})
    link = f"{base_url}api/alerts?{query}"
    _sub(entry, "link", rel="alternate", type="application/json", href=link)
    _sub(entry, "category", term=alert.kind)
    _sub(entry, "category", term=alert.rule)
    _sub(entry, "summary", _summary(alert), type="text")


def atom_feed(alerts: Sequence[Alert], base_url: str, limit: int | None = None) -> bytes:
    """The feed of the `limit` most recently changed `alerts` under `base_url` (ending
    in /), as UTF-8 bytes with an XML declaration."""
    ordered = sorted(alerts, key=lambda a: (_updated(a), a.id), reverse=True)[:limit]
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "id", f"{base_url}alerts.atom")
    _sub(feed, "title", "sitrep alerts", type="text")
    _sub(feed, "subtitle", "Escalation and watchlist alerts, each with its evidence", type="text")
    _sub(feed, "updated", _updated(ordered[0]) if ordered else _EPOCH)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base_url}alerts.atom")
    _sub(feed, "link", rel="alternate", type="text/html", href=base_url)
    author = _sub(feed, "author")
    _sub(author, "name", "sitrep")
    _sub(feed, "generator", "sitrep", version=__version__)
    for alert in ordered:
        _entry(feed, alert, base_url)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
