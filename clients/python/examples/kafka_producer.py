"""Publishing Argus events straight to Kafka from a librdkafka-based client (confluent-kafka-python), as
docs/clients.md explains: keyed by batch_id, with ``partitioner=murmur2_random`` so every event of a batch lands on
the partition Argus reads it from, in the Confluent wire format (magic byte 0, the 4-byte schema id the registry
gives for ``argus.events-value``, Avro binary).

    python3 examples/kafka_producer.py --bootstrap 127.0.0.1:9092 --registry REGISTRY_URL [--batch-id ID]

The registry URL is the one ``java -jar argus.jar`` prints (``registry``). Needs ``confluent_kafka`` (Debian:
python3-confluent-kafka); the Avro encoder below is standard library only, driven by the schema the registry holds.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import struct
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, List, Mapping, Optional, Tuple

from confluent_kafka import Producer

TOPIC = "argus.events"
SUBJECT = TOPIC + "-value"
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "schemas", "src", "main",
                           "avro", "argus-event.avsc")


def producer(bootstrap: str, **overrides: Any) -> Producer:
    """A producer that places keys as Argus's Java side does: murmur2, not librdkafka's default CRC32."""
    config: Dict[str, Any] = {"bootstrap.servers": bootstrap, "partitioner": "murmur2_random",
                              "enable.idempotence": True, "acks": "all"}
    config.update(overrides)
    return Producer({key: value for key, value in config.items() if value is not None})


class ArgusEventEncoder:
    """Encodes an event as the registry's schema for ``argus.events-value`` says, framed for Argus's deserializer."""

    def __init__(self, registry_url: str, schema_file: str = SCHEMA_FILE) -> None:
        self.schema_id, self.schema = latest_schema(registry_url.rstrip("/"), schema_file)
        self.names: Dict[str, Any] = {}
        _collect_names(self.schema, self.names)

    def encode(self, event: Mapping[str, Any]) -> bytes:
        out = bytearray(b"\x00" + struct.pack(">I", self.schema_id))
        _write(self.schema, event, out, self.names)
        return bytes(out)


def latest_schema(registry_url: str, schema_file: str) -> Tuple[int, Any]:
    """The id and schema registered under ``argus.events-value``; registers the repository's schema if none is."""
    try:
        with urllib.request.urlopen("%s/subjects/%s/versions/latest" % (registry_url, SUBJECT), timeout=10) as r:
            answer = json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
        with open(schema_file, encoding="utf-8") as f:
            text = f.read()
        request = urllib.request.Request("%s/subjects/%s/versions" % (registry_url, SUBJECT), method="POST",
                                         data=json.dumps({"schema": text}).encode("utf-8"),
                                         headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
        with urllib.request.urlopen(request, timeout=10) as r:
            return int(json.loads(r.read().decode("utf-8"))["id"]), json.loads(text)
    return int(answer["id"]), json.loads(answer["schema"])


def event(batch_id: str, payload_type: str, payload: Mapping[str, Any]) -> Dict[str, Any]:
    """An ArgusEvent: a fresh event_id (kept if you re-send it), the time, who sent it, one typed payload."""
    return {"event_id": str(uuid.uuid4()), "batch_id": batch_id, "ts": int(time.time() * 1000),
            "producer": "%s/%d/kafka-example" % (socket.gethostname(), os.getpid()),
            "payload": (payload_type, dict(payload))}


def small_batch(batch_id: str, jobs: int = 2) -> List[Dict[str, Any]]:
    """A batch of ``jobs`` jobs, each started and done, then the batch done."""
    events = [event(batch_id, "BatchStart", {"source_project": "kafka-example", "experiment_type": "demo",
                                             "n_total": jobs, "command": "python3 examples/kafka_producer.py"})]
    for i in range(jobs):
        events.append(event(batch_id, "JobStart", {"job_id": "job-%d" % i, "attempt": 1}))
        events.append(event(batch_id, "JobDone", {"job_id": "job-%d" % i, "attempt": 1}))
    events.append(event(batch_id, "BatchDone", {"status": "done"}))
    return events


def publish(kafka: Producer, encoder: ArgusEventEncoder, events: List[Mapping[str, Any]]) -> List[int]:
    """Sends the events keyed by batch_id, in order; returns the partition Kafka put each on."""
    partitions: List[int] = []
    errors: List[str] = []

    def delivered(error: Any, message: Any) -> None:
        if error is not None:
            errors.append(str(error))
        else:
            partitions.append(message.partition())

    for e in events:
        kafka.produce(TOPIC, key=e["batch_id"].encode("utf-8"), value=encoder.encode(e), on_delivery=delivered)
    kafka.flush(30)
    if errors or len(partitions) != len(events):
        raise RuntimeError("not every event was delivered: %s" % (errors or "flush timed out"))
    return partitions


# A minimal Avro binary encoder (https://avro.apache.org/docs/current/specification/#binary-encoding) for the types
# ArgusEvent uses. A union of records takes its branch by name, (name, value), since several payload records would
# accept the same fields; ["null", T] takes null for None.

def _collect_names(schema: Any, names: Dict[str, Any], namespace: str = "") -> None:
    if isinstance(schema, list):
        for branch in schema:
            _collect_names(branch, names, namespace)
    elif isinstance(schema, dict):
        kind = schema["type"]
        if kind in ("record", "enum", "fixed"):
            namespace = schema.get("namespace", namespace)
            names[schema["name"]] = schema
            names[namespace + "." + schema["name"] if namespace else schema["name"]] = schema
        for field in schema.get("fields", []):
            _collect_names(field["type"], names, namespace)
        for key in ("items", "values"):
            if key in schema:
                _collect_names(schema[key], names, namespace)
        if isinstance(kind, (dict, list)):
            _collect_names(kind, names, namespace)


def _long(value: int, out: bytearray) -> None:
    value = (value << 1) ^ (value >> 63)
    while value & ~0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def _write(schema: Any, datum: Any, out: bytearray, names: Mapping[str, Any]) -> None:
    if isinstance(schema, str) and schema in names:
        schema = names[schema]
    if isinstance(schema, list):
        _write_union(schema, datum, out, names)
        return
    kind = schema["type"] if isinstance(schema, dict) else schema
    if isinstance(kind, (dict, list)):
        _write(kind, datum, out, names)
    elif kind == "null":
        pass
    elif kind == "boolean":
        out.append(1 if datum else 0)
    elif kind in ("int", "long"):
        _long(int(datum), out)
    elif kind == "double":
        out += struct.pack("<d", float(datum))
    elif kind == "float":
        out += struct.pack("<f", float(datum))
    elif kind in ("string", "bytes"):
        data = datum.encode("utf-8") if isinstance(datum, str) else bytes(datum)
        _long(len(data), out)
        out += data
    elif kind == "enum":
        _long(schema["symbols"].index(datum), out)
    elif kind == "map":
        if datum:
            _long(len(datum), out)
            for key, value in datum.items():
                _write("string", key, out, names)
                _write(schema["values"], value, out, names)
        _long(0, out)
    elif kind == "array":
        if datum:
            _long(len(datum), out)
            for item in datum:
                _write(schema["items"], item, out, names)
        _long(0, out)
    elif kind == "record":
        for field in schema["fields"]:
            value = datum.get(field["name"], field.get("default"))
            _write(field["type"], value, out, names)
    else:
        raise ValueError("no encoder for Avro type %r" % (kind,))


def _write_union(branches: List[Any], datum: Any, out: bytearray, names: Mapping[str, Any]) -> None:
    if datum is None:
        index = branches.index("null")
        _long(index, out)
        return
    if isinstance(datum, tuple):
        name, value = datum
        for index, branch in enumerate(branches):
            resolved = names.get(branch, branch) if isinstance(branch, str) else branch
            if isinstance(resolved, dict) and resolved.get("name") == name:
                _long(index, out)
                _write(resolved, value, out, names)
                return
        raise ValueError("no branch %r in the union" % name)
    index = next(i for i, branch in enumerate(branches) if branch != "null")
    _long(index, out)
    _write(branches[index], datum, out, names)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--registry", required=True, help="the registry's Confluent API URL")
    parser.add_argument("--batch-id", default="kafka-example-" + uuid.uuid4().hex[:12])
    args = parser.parse_args(argv)
    partitions = publish(producer(args.bootstrap), ArgusEventEncoder(args.registry), small_batch(args.batch_id))
    print("published batch %s to partition %s" % (args.batch_id, sorted(set(partitions))))


if __name__ == "__main__":
    main()
