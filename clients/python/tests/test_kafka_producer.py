"""Events published straight to Kafka by a librdkafka client (examples/kafka_producer.py, shown in
docs/clients.md): with the example's murmur2_random partitioner they land where Argus reads them; with librdkafka's
default partitioner (CRC32) they land elsewhere, and Argus re-routes them, so the batch still answers 200."""

from __future__ import annotations

import os
import re
import sys
import zlib

import pytest

if os.environ.get("CI", "").lower() == "true":
    import confluent_kafka  # noqa: F401  # CI installs it (.ci/run): missing there is a broken setup, not a skip
else:
    pytest.importorskip("confluent_kafka", reason="confluent_kafka is not installed (Debian: python3-confluent-kafka)")

from argus_service import ArgusService, wait_until  # noqa: E402
from helpers import batch_when, history  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
from kafka_producer import TOPIC, ArgusEventEncoder, producer, publish, small_batch  # noqa: E402


def murmur2_partition(key: bytes, partitions: int) -> int:
    """Kafka's Java placement of a keyed record: Utils.toPositive(Utils.murmur2(key)) % partitions."""
    m, h = 0x5BD1E995, (0x9747B28C ^ len(key)) & 0xFFFFFFFF
    whole = len(key) & ~3
    for i in range(0, whole, 4):
        k = int.from_bytes(key[i:i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> 24
        k = (k * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
    rest = key[whole:]
    if len(rest) == 3:
        h ^= rest[2] << 16
    if len(rest) >= 2:
        h ^= rest[1] << 8
    if rest:
        h = ((h ^ rest[0]) * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return (h & 0x7FFFFFFF) % partitions


def test_murmur2_partition_matches_kafka() -> None:
    # Utils.murmur2 of these keys, as Kafka 4.3.1's kafka-clients computes them (and its UtilsTest checks).
    for key, murmur2 in ((b"21", -973932308), (b"foobar", -790332482), (b"a-little-bit-long-string", -985981536),
                         (b"abc", 479470107)):
        assert murmur2_partition(key, 1000) == (murmur2 & 0x7FFFFFFF) % 1000


def partitions_of(argus: ArgusService) -> int:
    metadata = producer(argus.bootstrap_servers).list_topics(TOPIC, timeout=10)
    return len(metadata.topics[TOPIC].partitions)


def test_the_example_places_a_batch_where_argus_reads_it(argus: ArgusService, batch_id: str) -> None:
    encoder = ArgusEventEncoder(argus.registry_url())
    owner = murmur2_partition(batch_id.encode("utf-8"), partitions_of(argus))

    placed = publish(producer(argus.bootstrap_servers), encoder, small_batch(batch_id))

    assert set(placed) == {owner}
    view = batch_when(argus, batch_id, "done")
    assert view["job_counts"]["done"] == 2


def test_librdkafka_defaults_misplace_a_batch_and_argus_re_routes_it(argus: ArgusService) -> None:
    partitions = partitions_of(argus)
    # librdkafka's default (consistent_random) puts a key on crc32(key) % partitions: pick one murmur2 puts elsewhere.
    batch_id = next(b for b in ("py-crc32-%d" % i for i in range(100))
                    if zlib.crc32(b.encode()) % partitions != murmur2_partition(b.encode(), partitions))
    encoder = ArgusEventEncoder(argus.registry_url())
    rerouted_before = rerouted(argus)

    placed = publish(producer(argus.bootstrap_servers, partitioner=None, **{"enable.idempotence": None,
                                                                             "acks": None}),
                     encoder, small_batch(batch_id))

    assert set(placed) == {zlib.crc32(batch_id.encode()) % partitions}
    view = batch_when(argus, batch_id, "done")
    assert view["job_counts"]["done"] == 2
    assert len(history(argus, batch_id)) == 6, "the history reads the re-routed copies back from the log"
    wait_until(lambda: rerouted(argus) >= rerouted_before + 6, 10, "argus_fold_rerouted_total to count 6 more")


def rerouted(argus: ArgusService) -> float:
    match = re.search(r"^argus_fold_rerouted_total(?:\{[^}]*\})? (\S+)$", argus.metrics(), re.MULTILINE)
    assert match, "no argus_fold_rerouted_total in /metrics"
    return float(match.group(1))
