"""Every event passes here on its way to Argus, in the order it was handed over.

While the spool is empty, one sender thread posts queued events directly, up to 500 per request, and settles them
when Argus answers. The first failure (or a ``done()`` that waited ``done_timeout``) moves every unacknowledged
event, in order, into the spool; from then on new events are appended behind them, and the same thread re-sends
the spool in order, with backoff (honouring ``Retry-After``), until it is empty; then sending goes direct again.
Argus therefore receives the events in the order they were published, possibly some twice (same event id:
harmless).
"""

from __future__ import annotations

import collections
import enum
import logging
import random
import threading
import time
from typing import Any, Callable, Deque, List, Mapping, Optional

from . import events
from .delivery import Delivery, EventPoster
from .errors import ArgusError, ArgusRequestError, ReporterClosedError, SpoolError
from .spool import Spool

MAX_BATCH_EVENTS = 500
MAX_BATCH_BYTES = 512 * 1024
MAX_EVENT_BYTES = 1024 * 1024 - 1024
MAX_QUEUED = 100_000
MIN_BACKOFF = 0.1
MAX_BACKOFF = 5.0
# Background events wait this long for company before they are posted (a done() never waits: it is sent at once).
LINGER = 0.01

_LOG = logging.getLogger("argus")


class Outcome(enum.Enum):
    """What became of an event handed to :meth:`Outbox.publish_durably`."""
    DELIVERED = "delivered"
    SPOOLED = "spooled"


class _Item:
    __slots__ = ("line", "durable", "settled", "outcome", "error")

    def __init__(self, line: bytes, durable: bool) -> None:
        self.line = line
        self.durable = durable
        self.settled: Optional[threading.Event] = threading.Event() if durable else None
        self.outcome: Optional[Outcome] = None
        self.error: Optional[ArgusError] = None

    def settle(self, outcome: Optional[Outcome], error: Optional[ArgusError] = None) -> None:
        self.outcome = outcome
        self.error = error
        if self.settled is not None:
            self.settled.set()


class Outbox:
    """Thread-safe. ``close()`` tries to deliver what is left and keeps the rest in the spool."""

    def __init__(self, poster: EventPoster, spool: Spool, done_timeout: float, name: str,
                 on_event: Optional[Callable[[Mapping[str, Any]], None]] = None) -> None:
        self._poster = poster
        self._on_event = on_event
        self._spool = spool
        self._done_timeout = done_timeout
        self._cond = threading.Condition()
        self._queue: Deque[_Item] = collections.deque()
        self._inflight: List[_Item] = []
        self._fatal: Optional[ArgusRequestError] = None
        self._dropped = 0
        self._durable_queued = 0
        self._sender_idle = False
        self._lingering = False
        self._failing = False
        self._closed = False
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="argus-sender-" + name, daemon=True)
        self._thread.start()

    # -- publishing --------------------------------------------------------------------------------------------

    def publish(self, event: Mapping[str, Any]) -> None:
        """Sends in the background; never raises for a delivery problem (the event goes to the spool instead)."""
        self._hand_over(event, _Item(_encode(event), durable=False))

    def publish_durably(self, event: Mapping[str, Any]) -> Outcome:
        """Returns once Argus acknowledged the event, or once it is written and ``fsync``ed to the spool.

        :raises SpoolError: when neither happened (the spool is full or cannot be written)
        :raises RejectedEventError: when Argus refused the event for good
        """
        item = _Item(_encode(event), durable=True)
        self._hand_over(event, item)
        assert item.settled is not None
        if not item.settled.wait(self._done_timeout):
            with self._cond:
                if not item.settled.is_set():
                    _LOG.warning("Argus did not acknowledge event %s within %.1f s; spooling it and what follows it",
                                 event.get("event_id"), self._done_timeout)
                    self._failover_locked(sync=True)
            item.settled.wait()
        if item.error is not None:
            raise item.error
        assert item.outcome is not None
        return item.outcome

    @property
    def fatal(self) -> Optional[ArgusRequestError]:
        """The 4xx that stopped sending (a wrong token or URL), if any: everything since is kept in the spool."""
        return self._fatal

    @property
    def spooling(self) -> bool:
        """True while events go to the spool because Argus could not take them."""
        with self._cond:
            return self._fatal is not None or self._spool.has_pending()

    def undelivered(self) -> int:
        """Events handed over and not acknowledged yet: queued, in flight, or in the spool."""
        with self._cond:
            return len(self._queue) + len(self._inflight) + self._spool.pending_count()

    def dropped(self) -> int:
        """Background events lost because the spool could not take them (each one is also logged)."""
        with self._cond:
            return self._dropped

    def flush(self, timeout: float) -> bool:
        """Waits up to ``timeout`` seconds until everything handed over is acknowledged; True when it is."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._inflight or self._spool.has_pending():
                left = deadline - time.monotonic()
                if left <= 0 or self._fatal is not None or self._stopping.is_set():
                    return False
                self._cond.wait(min(left, 0.1))
            return True

    def close(self, timeout: float) -> None:
        """Tries for up to ``timeout`` seconds to deliver everything, keeps what is left in the spool (synced),
        and stops. The next Reporter on the same spool directory sends what is left."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
        delivered = self.flush(timeout)
        with self._cond:
            if not delivered:
                self._failover_locked(sync=True)
            self._stopping.set()
            self._cond.notify_all()
        self._thread.join(timeout=2.0)
        left = self._spool.pending_count()
        if left:
            _LOG.warning("%d events could not be delivered to Argus and stay in the spool %s; the next Reporter on "
                         "that spool directory re-sends them", left, self._spool.dir)
        self._spool.close()

    # -- hand-over and failover (called holding the condition) -------------------------------------------------

    def _hand_over(self, event: Mapping[str, Any], item: _Item) -> None:
        with self._cond:
            if self._closed:
                raise ReporterClosedError("the Reporter is closed")
            if self._on_event is not None:
                try:
                    self._on_event(event)  # here, so that the hook sees the events in the order they are sent
                except Exception:
                    _LOG.exception("The on_event hook failed on event %s", event.get("event_id"))
            if self._fatal is not None or self._spool.has_pending():
                self._spool_locked([item], sync=item.durable)
                return
            if len(self._queue) >= MAX_QUEUED:
                _LOG.warning("%d events wait for Argus; spooling them and what follows", len(self._queue))
                self._failover_locked(sync=False)
                self._spool_locked([item], sync=item.durable)
                return
            self._queue.append(item)
            if item.durable:
                self._durable_queued += 1
            # Wake the sender when it waits for work, or when a lingering batch should go now.
            if self._sender_idle or (self._lingering and (item.durable or len(self._queue) >= MAX_BATCH_EVENTS)):
                self._cond.notify_all()

    def _failover_locked(self, sync: bool) -> None:
        """Moves every unacknowledged event, oldest first, into the spool (synced when some caller waits)."""
        moved = self._inflight + list(self._queue)
        self._inflight = []
        self._queue.clear()
        self._durable_queued = 0
        if moved:
            self._spool_locked(moved, sync=sync or any(item.durable for item in moved))
        self._cond.notify_all()

    def _spool_locked(self, items: List[_Item], sync: bool) -> None:
        try:
            self._spool.append([item.line for item in items], sync)
        except SpoolError as e:
            lost = [item for item in items if not item.durable]
            self._dropped += len(lost)
            if lost:
                _LOG.error("Dropped %d events that Argus has not acknowledged and the spool cannot take (%d dropped "
                           "so far): %s", len(lost), self._dropped, e)
            for item in items:
                item.settle(None, e)
            return
        for item in items:
            item.settle(Outcome.SPOOLED)

    # -- the sender thread -------------------------------------------------------------------------------------

    def _run(self) -> None:
        backoff = MIN_BACKOFF
        while not self._stopping.is_set():
            try:
                pause = self._send_once()
            except Exception:  # the thread must live on: it is the spool's only sender
                _LOG.exception("Sending events to Argus failed; retrying in %.0f s", MAX_BACKOFF)
                with self._cond:
                    self._failover_locked(sync=False)
                pause = MAX_BACKOFF
            if pause is None:
                backoff = MIN_BACKOFF
            else:
                wait = pause if pause > 0 else backoff * (0.5 + random.random() / 2)
                backoff = min(MAX_BACKOFF, backoff * 2)
                self._stopping.wait(wait)

    def _send_once(self) -> Optional[float]:
        """Sends one batch (from the spool while it holds events, else from the queue). None when that went well,
        else how long to pause (0: the caller's backoff)."""
        with self._cond:
            self._sender_idle = True
            while not self._stopping.is_set() and (
                    self._fatal is not None or (not self._queue and not self._spool.has_pending())):
                self._cond.wait()
            self._sender_idle = False
            if self._stopping.is_set():
                return None
            if self._spool.has_pending():
                batch = None
            else:
                self._linger_locked()
                batch = self._take_batch_locked()
                self._inflight = batch
        if batch is None:
            return self._resend_once()
        delivery = self._poster.deliver([item.line for item in batch])
        with self._cond:
            if self._inflight is not batch:
                return None  # a failover moved the batch into the spool meanwhile: it is re-sent from there
            self._inflight = []
            for index, item in enumerate(batch[:delivery.settled]):
                refused = delivery.refused.get(index)
                if refused is not None:
                    _LOG.error("Argus refused event %s for good; dropping it: %s", _event_id(item.line), refused)
                item.settle(Outcome.DELIVERED if refused is None else None, refused)
            rest = batch[delivery.settled:]
            if rest:
                self._note_failure(delivery, len(rest) + len(self._queue))
                self._queue.extendleft(reversed(rest))
                self._durable_queued += sum(1 for item in rest if item.durable)
                self._failover_locked(sync=False)
            self._cond.notify_all()
        if not rest:
            return None
        return delivery.retry_after if delivery.retry_after is not None else 0.0

    def _resend_once(self) -> Optional[float]:
        pending = self._spool.read_pending(MAX_BATCH_EVENTS, MAX_BATCH_BYTES)
        if not pending.lines:
            return None
        delivery = self._poster.deliver(pending.lines)
        for index, refused in sorted(delivery.refused.items()):
            _LOG.error("Argus refused spooled event %s for good; dropping it: %s", _event_id(pending.lines[index]),
                       refused)
        if delivery.settled:
            self._spool.mark_delivered(pending.ends[delivery.settled - 1], delivery.settled)
        with self._cond:
            if delivery.failure is not None:
                self._note_failure(delivery, self._spool.pending_count())
            elif not self._spool.has_pending():
                self._failing = False
                _LOG.info("The spool %s is delivered to Argus; sending directly again", self._spool.dir)
            self._cond.notify_all()
        if delivery.failure is None:
            return None
        return delivery.retry_after if delivery.retry_after is not None else 0.0

    def _linger_locked(self) -> None:
        """Lets background events gather for up to LINGER, unless a durable one waits or the batch is full."""
        deadline = time.monotonic() + LINGER
        self._lingering = True
        try:
            while (self._queue and not self._durable_queued and len(self._queue) < MAX_BATCH_EVENTS
                   and not self._stopping.is_set() and not self._closed):
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._cond.wait(left)
        finally:
            self._lingering = False

    def _take_batch_locked(self) -> List[_Item]:
        batch: List[_Item] = []
        size = 0
        while self._queue and len(batch) < MAX_BATCH_EVENTS:
            line = self._queue[0].line
            if batch and size + len(line) > MAX_BATCH_BYTES:
                break
            item = self._queue.popleft()
            if item.durable:
                self._durable_queued -= 1
            batch.append(item)
            size += len(line) + 1
        return batch

    def _note_failure(self, delivery: Delivery, waiting: int) -> None:
        """Logs the first failure of a streak as a warning, the rest of it at debug level."""
        if delivery.fatal and isinstance(delivery.failure, ArgusRequestError):
            if self._fatal is None:
                _LOG.error("Argus refuses every event: %s. Stopped sending; %d events are kept in the spool %s and "
                           "are sent by the next Reporter on it", delivery.failure, waiting, self._spool.dir)
            self._fatal = delivery.failure
        elif not self._failing:
            _LOG.warning("%s; %d events wait in the spool %s and are re-sent in order", delivery.failure, waiting,
                         self._spool.dir)
        else:
            _LOG.debug("%s; %d events wait in the spool", delivery.failure, waiting)
        self._failing = True


def _encode(event: Mapping[str, Any]) -> bytes:
    line = events.encode(event)
    if len(line) > MAX_EVENT_BYTES:
        raise ValueError("the %s event is %d bytes as JSON; Argus takes at most %d" % (
            event.get("type"), len(line), MAX_EVENT_BYTES))
    return line


def _event_id(line: bytes) -> str:
    start = line.find(b'"event_id":"')
    return line[start + 12:start + 48].decode("ascii", "replace") if start >= 0 else "?"
