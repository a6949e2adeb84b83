"""A heartbeat at a fixed interval while the Reporter is open, so a batch whose jobs run for hours still shows it
is alive (Argus calls a batch stalled after three silent minutes). A daemon thread: it never keeps a finished
launcher alive."""

from __future__ import annotations

import logging
import threading
from typing import Callable

_LOG = logging.getLogger("argus")


class Heartbeats:
    def __init__(self, interval: float, beat: Callable[[], None], name: str) -> None:
        if interval <= 0:
            raise ValueError("heartbeat_interval must be > 0, got %r" % (interval,))
        self._interval = interval
        self._beat = beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="argus-heartbeat-" + name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._beat()
            except Exception as e:  # a failed beat must not end the schedule
                _LOG.warning("Heartbeat not published: %s", e)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5.0)
