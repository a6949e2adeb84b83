"""Event building: ids, times, metrics, results."""

from __future__ import annotations

import math
import os
import uuid

import pytest

from argus import events


def test_event_ids_are_random_uuids_and_a_forked_child_never_repeats_its_parents() -> None:
    ids = {events.new_event_id() for _ in range(5000)}
    assert len(ids) == 5000 and all(uuid.UUID(i).version == 4 for i in ids)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.write(write, events.new_event_id().encode("ascii"))
        os._exit(0)
    os.close(write)
    child = os.read(read, 64).decode("ascii")
    os.close(read)
    os.waitpid(pid, 0)
    assert child and child != events.new_event_id() and child not in ids


def test_times_are_utc_milliseconds_and_parse_back() -> None:
    text = events.now_ts()
    assert len(text) == len("2026-11-23T12:46:11.686Z") and text.endswith("Z")
    parsed = events.parse_ts(text)
    assert parsed is not None and events.format_ts(parsed) == text
    assert events.parse_ts("2026-11-23T12:46:11Z") == events.parse_ts("2026-11-23T12:46:11.000Z")
    assert events.parse_ts("2026-11-23T12:46:11.123456789Z") == events.parse_ts("2026-11-23T12:46:11.123456Z")
    assert events.parse_ts("yesterday") is None and events.parse_ts(None) is None


def test_metrics_are_finite_floats() -> None:
    assert events.metrics({"loss": 1, "acc": 0.5, "nan": math.nan, "inf": math.inf}) == {"loss": 1.0, "acc": 0.5}
    with pytest.raises(TypeError, match="loss"):
        events.metrics({"loss": "0.1"})
    with pytest.raises(TypeError):
        events.metrics({"flag": True})


def test_results_are_json() -> None:
    assert events.result_json({"mae": 0.12}) == '{"mae": 0.12}'
    assert events.result_json('{"already": "json"}') == '{"already": "json"}'
    with pytest.raises(ValueError, match="not JSON"):
        events.result_json("plain text")
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        events.result_json({"x": object()})


def test_error_types_are_qualified_class_names() -> None:
    class Local(Exception):
        pass

    assert events.error_type_of(ValueError("x")) == "ValueError"
    assert events.error_type_of(Local()).endswith("test_error_types_are_qualified_class_names.<locals>.Local")
    assert events.message_text("x" * 5000).endswith("...") and len(events.message_text("x" * 5000)) == 4003
