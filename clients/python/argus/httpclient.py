"""A small HTTP/1.1 client over ``http.client`` for the Argus API: keep-alive connections (a pool shared by the
threads of one client), a bearer token, and retries of 503 answers and connection errors with exponential backoff
that honours ``Retry-After``, up to the caller's deadline. 4xx answers are returned to the caller, never retried.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import socket
import threading
import time
import urllib.parse
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .errors import ArgusRequestError, ArgusUnavailableError

_LOG = logging.getLogger("argus")

MIN_BACKOFF = 0.1
MAX_BACKOFF = 5.0
REQUEST_TIMEOUT = 10.0
MAX_IDLE_CONNECTIONS = 8
_RETRIED_STATUSES = (502, 503, 504)
_CONNECTION_ERRORS = (OSError, http.client.HTTPException)
# What a keep-alive connection closed by the server while idle looks like on its next use (not a timeout).
_STALE_CONNECTION_ERRORS = (ConnectionError, http.client.BadStatusLine)


class Response:
    """A whole answer: status, headers (lower-case names) and body."""

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.headers = dict(headers)
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class HttpClient:
    """Thread-safe. ``base_url`` may carry a path prefix (``https://host/argus``)."""

    def __init__(self, base_url: str, token: Optional[str] = None, *,
                 request_timeout: float = REQUEST_TIMEOUT) -> None:
        parts = urllib.parse.urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the Argus URL must be http://host[:port] or https://..., got %r" % (base_url,))
        self.base_url = base_url.strip().rstrip("/")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._token = token
        self._timeout = request_timeout
        self._idle: List[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._closed = False

    def request(self, method: str, path: str, body: Optional[bytes] = None, *,
                headers: Optional[Mapping[str, str]] = None, deadline: Optional[float] = None,
                timeout: Optional[float] = None) -> Response:
        """Sends one request and returns its answer, whatever the status, except that 502/503/504 and connection
        errors are retried until ``deadline`` (a ``time.monotonic()`` value; None: one attempt). A keep-alive
        connection the server had closed is replaced at once, without counting as a retry.

        :raises ArgusUnavailableError: when no answer other than a retried one came before the deadline
        """
        all_headers: Dict[str, str] = {"Accept": "application/json"}
        if self._token:
            all_headers["Authorization"] = "Bearer " + self._token
        if headers:
            all_headers.update(headers)
        target = self._prefix + path
        backoff = MIN_BACKOFF
        while True:
            wait_budget = self._timeout if timeout is None else timeout
            if deadline is not None:
                wait_budget = max(0.05, min(wait_budget, deadline - time.monotonic()))
            try:
                response = self._attempt(method, target, body, all_headers, wait_budget)
            except _CONNECTION_ERRORS as e:
                problem = "cannot reach Argus at %s (%s %s): %s" % (self.base_url, method, path, _describe(e))
                retry_after = None
            else:
                if response.status not in _RETRIED_STATUSES:
                    return response
                problem = "%s %s%s answered %d: %s" % (method, self.base_url, path, response.status,
                                                       _short(response.body))
                retry_after = _retry_after(response.headers.get("retry-after"))
            left = 0.0 if deadline is None else deadline - time.monotonic()
            if left <= 0 or (retry_after is not None and retry_after >= left):
                raise ArgusUnavailableError(problem, retry_after)
            # Jittered backoff, the last pause cut to the deadline (one more try then); a Retry-After as asked.
            pause = retry_after if retry_after is not None else min(left, backoff * (0.5 + random.random() / 2))
            _LOG.debug("%s; retrying in %.2f s", problem, pause)
            time.sleep(pause)
            backoff = min(MAX_BACKOFF, backoff * 2)

    def get_json(self, path: str, *, deadline: float, timeout: Optional[float] = None) -> Optional[Any]:
        """The JSON answer of a GET; None on 404. Retries as :meth:`request` does until ``deadline``.

        :raises ArgusRequestError: on any other 4xx
        :raises ArgusUnavailableError: on no answer, a 5xx, or a body that is not JSON
        """
        response = self.request("GET", path, deadline=deadline, timeout=timeout)
        if response.status == 404:
            return None
        self.raise_for_status("GET", path, response)
        try:
            return response.json()
        except ValueError:
            raise ArgusUnavailableError("GET %s%s answered text that is not JSON: %s"
                                        % (self.base_url, path, _short(response.body))) from None

    def raise_for_status(self, method: str, path: str, response: Response) -> None:
        """Raises ArgusRequestError for a 4xx, ArgusUnavailableError for other non-2xx statuses."""
        if 200 <= response.status < 300:
            return
        if 400 <= response.status < 500:
            raise ArgusRequestError(method, self.base_url + path, response.status, response.body)
        raise ArgusUnavailableError("%s %s%s answered %d: %s" % (method, self.base_url, path, response.status,
                                                                _short(response.body)))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _attempt(self, method: str, target: str, body: Optional[bytes], headers: Mapping[str, str],
                 timeout: float) -> Response:
        connection, reused = self._checkout(timeout)
        try:
            return self._exchange(connection, method, target, body, headers)
        except _STALE_CONNECTION_ERRORS:
            connection.close()
            if not reused:
                raise
        except BaseException:
            connection.close()
            raise
        # The server had closed this idle keep-alive connection: once more on a new one, at once.
        fresh = self._new_connection(timeout)
        try:
            return self._exchange(fresh, method, target, body, headers)
        except BaseException:
            fresh.close()
            raise

    def _exchange(self, connection: http.client.HTTPConnection, method: str, target: str,
                  body: Optional[bytes], headers: Mapping[str, str]) -> Response:
        connection.request(method, target, body=body, headers=dict(headers))
        answer = connection.getresponse()
        payload = answer.read()
        response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, payload)
        if answer.will_close:
            connection.close()
        else:
            self._checkin(connection)
        return response

    def _checkout(self, timeout: float) -> Tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            if self._idle:
                connection = self._idle.pop()
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
                return connection, True
        return self._new_connection(timeout), False

    def _new_connection(self, timeout: float) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def _checkin(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < MAX_IDLE_CONNECTIONS:
                self._idle.append(connection)
                return
        connection.close()


def quote_segment(value: str) -> str:
    """A path segment: job ids may hold ``/`` (sent as ``%2F``) and spaces."""
    return urllib.parse.quote(value, safe="")


def _retry_after(value: Optional[str]) -> Optional[float]:
    if value is None:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


def _describe(error: BaseException) -> str:
    if isinstance(error, socket.timeout):
        return "no answer in time"
    return "%s: %s" % (type(error).__name__, error) if str(error) else type(error).__name__


def _short(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text if len(text) <= 300 else text[:300] + "..."
