"""Shared fixtures: one real Argus per test session, started on free ports and stopped at the end."""

from __future__ import annotations

import os
import sys
import uuid
from typing import Iterator

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
if PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from argus_service import DEFAULT_JAR, ArgusService  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    """--basetemp=target/pytest (as Maven passes it) needs target/ to exist; pytest creates only the last part."""
    basetemp = config.getoption("basetemp", None)
    if basetemp:
        os.makedirs(os.path.dirname(os.path.abspath(str(basetemp))), exist_ok=True)


@pytest.fixture(scope="session")
def argus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArgusService]:
    """The real argus.jar (ARGUS_JAR, else query-service/target/argus.jar), started once per session."""
    jar = os.environ.get("ARGUS_JAR")
    if jar and not os.path.isfile(jar):
        pytest.fail("ARGUS_JAR=%s does not exist" % jar)
    if not jar:
        if not os.path.isfile(DEFAULT_JAR):
            missing = "no %s: build it with `mvn -B -q -ntp package -DskipTests`" % DEFAULT_JAR
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(missing + " (CI=true: the build makes it before these tests run)")
            pytest.skip(missing)
        jar = DEFAULT_JAR
    service = ArgusService(jar, str(tmp_path_factory.mktemp("argus")))
    service.start()
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def batch_id() -> str:
    """A batch id of its own for each test."""
    return "py-" + uuid.uuid4().hex[:16]


@pytest.fixture
def spool_dir(tmp_path: "os.PathLike[str]") -> str:
    return os.path.join(str(tmp_path), "spool")
