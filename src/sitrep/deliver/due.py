"""Which alerts a channel still owes, and the JSON document each goes out as.

An alert is due on its first fire, and again once each time its episode grows: its
version is the number of reports behind it (`Alert.version`: a new day, event or witness
adds one), and a version above the largest one delivered is due. An alert whose evaluation
shrinks (a report found to be a copy) is not re-delivered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sitrep import __version__
from sitrep.analyze.alert_record import Alert
from sitrep.store.deliveries import ChannelState


@dataclass(frozen=True, slots=True)
class Due:
    alert: Alert
    version: int
    # True when an earlier (smaller) version of this alert was delivered on the channel.
    grown: bool
    # An earlier pass gave up on this very version (it goes after the fresh ones).
    retried: bool

    @property
    def key(self) -> str:
        """The delivery's idempotency key: receivers that see it twice may drop the copy."""
        return f"{self.alert.id}/{self.version}"


def due_alerts(alerts: Sequence[Alert], state: ChannelState) -> list[Due]:
    """The alerts `state`'s channel has not had in their current version: fresh ones first
    (oldest first fire first), then those an earlier pass gave up on."""
    out: list[Due] = []
    for alert in alerts:
        version = alert.version
        delivered = state.delivered.get(alert.id)
        if delivered is not None and version <= delivered:
            continue
        retried = (alert.id, version) in state.failed
        out.append(Due(alert, version, delivered is not None, retried))
    return sorted(
        out, key=lambda d: (d.retried, d.alert.first_fired or "", d.alert.day, d.alert.id)
    )


def document(due: Due) -> dict[str, Any]:
    """What a receiver gets: the alert with its evidence and outlets, and the delivery's
    key, version and whether it is an update of an alert delivered before."""
    return {
        "delivery": due.key,
        "version": due.version,
        "update": due.grown,
        "sitrep": __version__,
        "alert": due.alert.as_dict(),
    }
