"""The Reporter's delivery rules against a scripted stand-in server (the real service's paths are in the
integration tests): what is spooled when Argus is unreachable comes back in order with the same ids; a refused
event is dropped without holding up the rest; a 4xx that refuses everything raises with its reason and keeps the
events in the spool; a torn spool tail is recovered by the next Reporter."""

from __future__ import annotations

import os
import time
from typing import Any, Dict, Iterator, List

import pytest

from argus import ArgusRequestError, RejectedEventError, Reporter
from argus.spool import CORRUPT_PREFIX, EVENTS_FILE, frame
from argus_service import free_port, wait_until
from fake_argus import FakeArgus


@pytest.fixture
def fake() -> Iterator[FakeArgus]:
    server = FakeArgus()
    yield server
    server.close()


def reporter(url: str, spool_dir: str, batch_id: str, published: List[Dict[str, Any]], **options: Any) -> Reporter:
    return Reporter(source_project="tests", experiment_type="delivery", n_total=3, batch_id=batch_id, url=url,
                    spool_dir=spool_dir, git_sha="no-git", command="pytest", heartbeat_interval=3600,
                    on_event=published.append, **options)


def test_unreachable_argus_spools_and_the_next_reporter_delivers_in_order(fake: FakeArgus, spool_dir: str,
                                                                          batch_id: str) -> None:
    published: List[Dict[str, Any]] = []
    dead = "http://127.0.0.1:%d" % free_port()
    with reporter(dead, spool_dir, batch_id, published, close_timeout=0.5) as r:
        for name in ("a", "b", "c"):
            with r.job(name, model="m") as job:
                job.progress(1, loss=0.5)
                started = time.monotonic()
                job.done(mae=0.1, result={"mae": 0.1})
                assert time.monotonic() - started < 2.0      # spooled at once: the port refuses connections
        assert r.undelivered() == len(published)
    assert [e["type"] for e in published] == ["batch_start"] + ["job_start", "job_progress", "job_done"] * 3 + [
        "batch_done"]
    again: List[Dict[str, Any]] = []
    with reporter(fake.url, spool_dir, batch_id, again) as r:
        assert r.flush(10)
    assert fake.event_ids() == [e["event_id"] for e in published + again]
    assert [e["type"] for e in again] == ["batch_start"]      # it knows no jobs: the batch stays open


def test_an_event_refused_for_good_is_dropped_and_the_rest_delivered_in_order(fake: FakeArgus, spool_dir: str,
                                                                             batch_id: str) -> None:
    fake.refuse = lambda event: event.get("step") == 13
    published: List[Dict[str, Any]] = []
    with reporter(fake.url, spool_dir, batch_id, published) as r:
        with r.job("a") as job:
            for step in range(10, 17):
                job.progress(step, loss=1.0 / step)
            job.done(mae=0.2)
    expected = [e["event_id"] for e in published if e.get("step") != 13]
    assert fake.event_ids() == expected
    assert len(expected) == len(published) - 1


def test_a_done_refused_for_good_raises_the_servers_reason(fake: FakeArgus, spool_dir: str, batch_id: str) -> None:
    fake.refuse = lambda event: event["type"] == "job_done"
    with reporter(fake.url, spool_dir, batch_id, []) as r:
        with r.job("a") as job:
            with pytest.raises(RejectedEventError, match="refused by the test"):
                job.done(mae=0.2)
            job.failed("Refused", "Argus refused the result")


def test_a_4xx_refusing_every_request_raises_and_keeps_the_events(fake: FakeArgus, spool_dir: str,
                                                                 batch_id: str) -> None:
    fake.answer_all = (401, {}, b'{"error":"unauthorized","detail":"this endpoint needs Authorization: Bearer '
                                b'<ARGUS_API_TOKEN>"}')
    published: List[Dict[str, Any]] = []
    with pytest.raises(ArgusRequestError, match="401 unauthorized: this endpoint needs") as raised:
        reporter(fake.url, spool_dir, batch_id, published).open()
    assert raised.value.status == 401
    fake.answer_all = None
    again: List[Dict[str, Any]] = []
    with reporter(fake.url, spool_dir, batch_id, again) as r:
        assert r.flush(10)
    assert fake.event_ids()[:2] == [published[0]["event_id"], again[0]["event_id"]]


def test_the_next_reporter_recovers_a_torn_spool_tail(fake: FakeArgus, spool_dir: str, batch_id: str) -> None:
    published: List[Dict[str, Any]] = []
    with reporter("http://127.0.0.1:%d" % free_port(), spool_dir, batch_id, published, close_timeout=0) as r:
        with r.job("a") as job:
            job.done(mae=0.1)
    path = os.path.join(spool_dir, batch_id, EVENTS_FILE)
    with open(path, "ab") as f:
        f.write(frame(b'{"type":"heartbeat","batch_id":"%s","event_id":"torn"}' % batch_id.encode())[:-9])
    with reporter(fake.url, spool_dir, batch_id, []) as r:
        wait_until(lambda: r.undelivered() == 0, 10, "the spool to be delivered")
    assert fake.event_ids()[:len(published)] == [e["event_id"] for e in published]
    assert "torn" not in fake.event_ids()
    assert [n for n in os.listdir(os.path.join(spool_dir, batch_id)) if n.startswith(CORRUPT_PREFIX)]


def test_a_slow_argus_makes_done_spool_after_the_done_timeout(fake: FakeArgus, spool_dir: str,
                                                              batch_id: str) -> None:
    import threading

    release = threading.Event()
    original = fake._ingest

    def slow(body: bytes) -> Any:
        if b'"job_done"' in body and not release.is_set():
            release.wait(10)
        return original(body)

    fake._ingest = slow  # type: ignore[method-assign]
    published: List[Dict[str, Any]] = []
    with reporter(fake.url, spool_dir, batch_id, published, done_timeout=0.3) as r:
        with r.job("a") as job:
            started = time.monotonic()
            job.done(mae=0.1)
            assert 0.25 <= time.monotonic() - started < 3
            assert r.undelivered() > 0
        release.set()
        assert r.flush(10)
    ids = fake.event_ids()
    first = [i for n, i in enumerate(ids) if i not in ids[:n]]
    assert first == [e["event_id"] for e in published]


def test_a_503_on_events_spools_them_and_resends_after_its_retry_after(fake: FakeArgus, spool_dir: str,
                                                                      batch_id: str) -> None:
    fake.script(503, {"error": "unavailable", "detail": "rebalancing"}, {"Retry-After": "1"})
    published: List[Dict[str, Any]] = []
    with reporter(fake.url, spool_dir, batch_id, published) as r:
        spooled_at = time.monotonic()                              # batch_start met the 503 and went to the spool
        assert r.undelivered() == 1
        wait_until(lambda: fake.event_ids() == [published[0]["event_id"]], 10, "batch_start re-sent")
        assert time.monotonic() - spooled_at >= 0.9
    assert fake.requests[0] == ("POST", "/api/events") and len(fake.requests) >= 2
