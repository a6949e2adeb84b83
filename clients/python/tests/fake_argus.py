"""A stand-in for the Argus HTTP API in a thread, for fast tests of the client's own rules (keep-alive, retries,
refusals, the spool): it records the events posted to it and answers as a test scripts it."""

from __future__ import annotations

import collections
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Deque, Dict, List, Optional, Set, Tuple

Answer = Tuple[int, Dict[str, str], bytes]


class FakeArgus:
    def __init__(self) -> None:
        self.events: List[Dict[str, Any]] = []
        self.requests: List[Tuple[str, str]] = []
        self.client_ports: Set[int] = set()
        self.scripted: Deque[Answer] = collections.deque()
        self.refuse: Callable[[Dict[str, Any]], bool] = lambda event: False
        self.answer_all: Optional[Answer] = None
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._record(self)
                self._answer(fake._next() or fake._view(self.path))

            def do_POST(self) -> None:
                fake._record(self)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = fake._next()
                if answer is None:
                    answer = fake._ingest(body)
                self._answer(answer)

            def _answer(self, answer: Answer) -> None:
                status, headers, body = answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, status: int, body: Any = None, headers: Optional[Dict[str, str]] = None) -> None:
        """The next request gets this answer."""
        data = body if isinstance(body, bytes) else json.dumps(body or {}).encode("utf-8")
        with self.lock:
            self.scripted.append((status, headers or {}, data))

    def event_ids(self) -> List[str]:
        with self.lock:
            return [e["event_id"] for e in self.events]

    def _next(self) -> Optional[Answer]:
        with self.lock:
            if self.scripted:
                return self.scripted.popleft()
            return self.answer_all

    def _view(self, path: str) -> Answer:
        """A batch view that shows the batch_starts received (start_time, last_resumed_at); no jobs."""
        parts = path.split("?")[0].split("/")
        if len(parts) >= 4 and parts[1:3] == ["api", "batches"]:
            with self.lock:
                starts = [e["ts"] for e in self.events if e["type"] == "batch_start" and e["batch_id"] == parts[3]]
            if starts and len(parts) == 4:
                view = {"batch_id": parts[3], "start_time": starts[0],
                        "last_resumed_at": starts[-1] if len(starts) > 1 else None}
                return 200, {}, json.dumps(view).encode("utf-8")
            if starts and parts[4:] == ["jobs"]:
                return 200, {}, b"[]"
        return 404, {}, b'{"error":"not_found","detail":"fake"}'

    def _record(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((handler.command, handler.path))
            self.client_ports.add(handler.client_address[1])

    def _ingest(self, body: bytes) -> Answer:
        posted = [json.loads(line) for line in body.decode("utf-8").splitlines() if line.strip()]
        refused = [i for i, event in enumerate(posted) if self.refuse(event)]
        if refused:
            problems = [{"index": i, "field": "step", "reason": "refused by the test"} for i in refused]
            return 400, {}, json.dumps({"error": "invalid_events", "detail": "%d problem(s); nothing was published"
                                        % len(refused), "errors": problems}).encode("utf-8")
        with self.lock:
            self.events.extend(posted)
        return 200, {}, json.dumps({"accepted": [e.get("event_id") for e in posted]}).encode("utf-8")
