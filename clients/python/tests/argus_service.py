"""The real Argus (``java -jar query-service/target/argus.jar``, the embedded default: Kafka, the registry, the fold
and HTTP in one process) on free loopback ports with a data directory of its own, for the integration tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import IO, Callable, Optional, TypeVar

T = TypeVar("T")
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_JAR = os.path.join(REPO, "query-service", "target", "argus.jar")
START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(condition: Callable[[], Optional[T]], timeout: float, what: str, interval: float = 0.05) -> T:
    """Polls ``condition`` until it returns something truthy, or fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


class ArgusService:
    """Started with :meth:`start`, stopped with SIGTERM by :meth:`stop`; a restart keeps the ports and the data."""

    def __init__(self, jar: str, work_dir: str) -> None:
        self.jar = jar
        self.work_dir = work_dir
        self.data_dir = os.path.join(work_dir, "argus-data")
        self.http_port = free_port()
        self.kafka_port = free_port()
        self.url = "http://127.0.0.1:%d" % self.http_port
        self.starts = 0
        self._process: Optional["subprocess.Popen[bytes]"] = None
        self._log: Optional[IO[bytes]] = None
        self.log_path = ""

    def start(self) -> None:
        assert self._process is None, "already running"
        self.starts += 1
        self.log_path = os.path.join(self.work_dir, "argus-%d.log" % self.starts)
        self._log = open(self.log_path, "wb")
        env = {k: v for k, v in os.environ.items()
               if k not in ("ARGUS_KAFKA_BOOTSTRAP", "ARGUS_REGISTRY_URL", "ARGUS_CONFIG_FILE", "ARGUS_API_TOKEN")}
        env.update(ARGUS_HTTP_PORT=str(self.http_port), ARGUS_EMBEDDED_KAFKA_PORT=str(self.kafka_port),
                   ARGUS_DATA_DIR=self.data_dir)
        self._process = subprocess.Popen(["java", "-jar", self.jar], cwd=self.work_dir, env=env,
                                         stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        wait_until(self._ready, START_TIMEOUT, "Argus to answer GET /readyz with 200 (log: %s)" % self.log_path,
                   interval=0.1)

    def stop(self) -> None:
        """SIGTERM, then waits for the process to end (SIGKILL only if it does not within a minute)."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def get(self, path: str) -> object:
        """A GET of the API, parsed; raises for anything but 200."""
        with urllib.request.urlopen(self.url + path, timeout=10) as answer:
            return json.loads(answer.read().decode("utf-8"))

    def post(self, path: str, body: object) -> object:
        data = json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read().decode("utf-8"))

    @property
    def bootstrap_servers(self) -> str:
        return "127.0.0.1:%d" % self.kafka_port

    def registry_url(self) -> str:
        """The registry's Confluent API URL, from the banner Argus prints once it runs."""
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip().startswith("registry "):
                    return line.split()[1]
        raise AssertionError("no registry line in the log of Argus:\n" + self.log_tail())

    def metrics(self) -> str:
        with urllib.request.urlopen(self.url + "/metrics", timeout=10) as answer:
            return str(answer.read().decode("utf-8"))

    def _ready(self) -> bool:
        assert self._process is not None
        if self._process.poll() is not None:
            raise AssertionError("Argus exited with %s while starting; its log:\n%s"
                                 % (self._process.returncode, self.log_tail()))
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=2) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, lines: int = 40) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return b"".join(f.readlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return "(no log)"
