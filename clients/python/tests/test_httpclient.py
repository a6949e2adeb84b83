"""The HTTP client's rules, against a scripted stand-in server: keep-alive, retries of 503 honouring Retry-After,
and 4xx answers never retried, raised with the server's reason."""

from __future__ import annotations

import time
from typing import Iterator

import pytest

from argus.errors import ArgusRequestError, ArgusUnavailableError
from argus.httpclient import HttpClient
from argus_service import free_port
from fake_argus import FakeArgus


@pytest.fixture
def fake() -> Iterator[FakeArgus]:
    server = FakeArgus()
    yield server
    server.close()


def test_connections_are_kept_alive(fake: FakeArgus) -> None:
    client = HttpClient(fake.url)
    for _ in range(5):
        assert client.request("POST", "/api/events", b'{"type":"heartbeat","batch_id":"b"}\n').status == 200
    assert len(fake.requests) == 5
    assert len(fake.client_ports) == 1
    client.close()


def test_a_503_is_retried_after_its_retry_after(fake: FakeArgus) -> None:
    fake.script(503, {"error": "unavailable", "detail": "rebalancing"}, {"Retry-After": "1"})
    fake.script(200, {"batch_id": "b"})
    client = HttpClient(fake.url)
    started = time.monotonic()
    assert client.get_json("/api/batches/b", deadline=time.monotonic() + 10) == {"batch_id": "b"}
    assert time.monotonic() - started >= 0.95
    assert len(fake.requests) == 2


def test_a_503_past_the_deadline_is_unavailable_with_its_retry_after(fake: FakeArgus) -> None:
    fake.script(503, {"error": "unavailable", "detail": "Argus is starting"}, {"Retry-After": "7"})
    with pytest.raises(ArgusUnavailableError, match="Argus is starting") as raised:
        HttpClient(fake.url).get_json("/api/batches/b", deadline=time.monotonic() + 2)
    assert raised.value.retry_after == 7.0
    assert len(fake.requests) == 1


def test_a_4xx_is_raised_with_the_servers_reason_and_never_retried(fake: FakeArgus) -> None:
    fake.script(400, {"error": "bad_request", "detail": "limit must be between 1 and 500, got 0"})
    with pytest.raises(ArgusRequestError) as raised:
        HttpClient(fake.url).get_json("/api/batches?limit=0", deadline=time.monotonic() + 10)
    assert raised.value.status == 400
    assert raised.value.error == "bad_request"
    assert raised.value.detail == "limit must be between 1 and 500, got 0"
    assert "limit must be between 1 and 500" in str(raised.value)
    assert len(fake.requests) == 1


def test_a_404_is_none(fake: FakeArgus) -> None:
    assert HttpClient(fake.url).get_json("/api/batches/none", deadline=time.monotonic() + 5) is None


def test_connection_errors_are_retried_until_the_deadline() -> None:
    client = HttpClient("http://127.0.0.1:%d" % free_port())
    started = time.monotonic()
    with pytest.raises(ArgusUnavailableError, match="cannot reach Argus"):
        client.get_json("/api/batches/b", deadline=time.monotonic() + 1.0)
    assert 0.9 <= time.monotonic() - started < 3                  # retried up to the deadline, then given up


def test_the_token_is_sent_as_a_bearer(fake: FakeArgus) -> None:
    fake.script(401, {"error": "unauthorized", "detail": "this endpoint needs Authorization: Bearer <token>"})
    with pytest.raises(ArgusRequestError, match="401 unauthorized: this endpoint needs"):
        HttpClient(fake.url, "wrong").get_json("/api/batches", deadline=time.monotonic() + 5)


def test_a_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http://host"):
        HttpClient("127.0.0.1:8080")
