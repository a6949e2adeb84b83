"""derive_batch_id against the vectors every SDK shares (clients/batch-id-vectors.json, also read by the Java
BatchIdsTest)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any, Dict

import pytest

from argus import derive_batch_id
from argus.batch_ids import NO_GIT, git_sha_of, length_prefixed

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "batch-id-vectors.json")


def shared() -> Dict[str, Any]:
    with open(VECTORS, encoding="utf-8") as f:
        document: Dict[str, Any] = json.load(f)
    return document


@pytest.mark.parametrize("vector", shared()["vectors"], ids=lambda v: v["id"])
def test_the_shared_vectors_hold(vector: Dict[str, str]) -> None:
    assert derive_batch_id(vector["project"], vector["experiment_name"], vector["git_sha"],
                           prefix=vector["prefix"]) == vector["id"]


@pytest.mark.parametrize("encoding", shared()["encodings"], ids=lambda e: e["hex"][:16])
def test_the_length_prefixed_encoding_matches(encoding: Dict[str, Any]) -> None:
    assert length_prefixed(*encoding["fields"]).hex() == encoding["hex"]


def test_field_boundaries_are_unambiguous() -> None:
    assert derive_batch_id("ab", "c", NO_GIT) != derive_batch_id("a", "bc", NO_GIT)


def test_without_a_sha_the_working_directorys_commit_is_hashed(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))   # tmp_path may lie inside a repository
    assert git_sha_of() is None
    assert derive_batch_id("forecasting", "grid-v3") == derive_batch_id("forecasting", "grid-v3", NO_GIT)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], check=True)
    (tmp_path / "a.txt").write_text("a")
    subprocess.run(["git", "add", "a.txt"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "a"], check=True)
    sha = git_sha_of()
    assert sha is not None and len(sha) == 40
    assert derive_batch_id("forecasting", "grid-v3") == derive_batch_id("forecasting", "grid-v3", sha)


@pytest.mark.parametrize("args, prefix, message", [
    ((" ", "e", NO_GIT), "bench", "project"),
    (("p", "", NO_GIT), "bench", "experiment_name"),
    (("p", "e", NO_GIT), "a/b", "prefix"),
    (("p", "e", NO_GIT), "-x", "prefix"),
])
def test_bad_inputs_are_refused(args: Any, prefix: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        derive_batch_id(*args, prefix=prefix)
