"""Posts runs of events to ``POST /api/events`` as NDJSON, in order, and says what became of each one.

The service takes a request all or nothing and answers 200 only once Kafka acknowledged every event (acks=all), so
a 200 is as safe as the spool. A run refused with 400 or 413 is split in halves to find the events refused for good;
those are dropped (never retried) and everything else goes through.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from .errors import ArgusError, ArgusRequestError, ArgusUnavailableError, RejectedEventError
from .httpclient import HttpClient

EVENTS_PATH = "/api/events"
_HEADERS = {"Content-Type": "application/x-ndjson"}


class Delivery:
    """What became of a run of events posted in order.

    The first ``settled`` events are settled: delivered, or refused for good (``refused``, by index). The rest were
    not delivered because of ``failure``: Argus unreachable or unavailable (retry later), or, when ``fatal``, a
    4xx that refuses every request alike (a wrong token, a wrong URL): retrying would not help.
    """

    def __init__(self) -> None:
        self.settled = 0
        self.refused: Dict[int, RejectedEventError] = {}
        self.failure: Optional[ArgusError] = None
        self.fatal = False

    @property
    def retry_after(self) -> Optional[float]:
        return self.failure.retry_after if isinstance(self.failure, ArgusUnavailableError) else None


class EventPoster:
    def __init__(self, client: HttpClient) -> None:
        self._client = client

    def deliver(self, lines: Sequence[bytes]) -> Delivery:
        """Posts ``lines`` (encoded events) in order: one request unless some are refused."""
        delivery = Delivery()
        self._post(list(lines), 0, len(lines), delivery)
        return delivery

    def _post(self, lines: List[bytes], lo: int, hi: int, delivery: Delivery) -> bool:
        body = b"\n".join(lines[lo:hi]) + b"\n"
        try:
            response = self._client.request("POST", EVENTS_PATH, body, headers=_HEADERS)
        except ArgusUnavailableError as e:
            delivery.failure = e
            return False
        status = response.status
        if 200 <= status < 300:
            delivery.settled = hi
            return True
        if status in (400, 413):
            if hi - lo > 1:
                middle = (lo + hi) // 2
                return self._post(lines, lo, middle, delivery) and self._post(lines, middle, hi, delivery)
            delivery.refused[lo] = RejectedEventError("POST", self._client.base_url + EVENTS_PATH, status,
                                                      response.body)
            delivery.settled = hi
            return True
        if 400 <= status < 500:
            delivery.failure = ArgusRequestError("POST", self._client.base_url + EVENTS_PATH, status, response.body,
                                                 "events are kept in the spool; fix the setting and relaunch")
            delivery.fatal = True
            return False
        delivery.failure = ArgusUnavailableError("POST %s%s answered %d: %s" % (
            self._client.base_url, EVENTS_PATH, status, response.body[:300].decode("utf-8", "replace")))
        return False
