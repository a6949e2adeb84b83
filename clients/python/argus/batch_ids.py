"""Batch ids derived from what a run is, byte-identical to Java's ``io.argus.producer.BatchIds.derive``.

The id is ``<prefix>-<16 hex>``: the first 8 bytes of SHA-256 over project, experiment name and git sha, each
written as its UTF-8 length (4 bytes, big-endian) followed by its UTF-8 bytes, so field boundaries are unambiguous.
The prefix is a label and is not hashed. ``clients/batch-id-vectors.json`` holds the vectors every SDK is tested
against.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import struct
import subprocess
from typing import Optional

DEFAULT_PREFIX = "bench"
NO_GIT = "no-git"
GIT_TIMEOUT_SECONDS = 5.0

_PREFIX = re.compile(r"[A-Za-z0-9._]+(-[A-Za-z0-9._]+)*\Z")
_SHA = re.compile(r"([0-9a-f]{40}|[0-9a-f]{64})\Z")
_LOG = logging.getLogger("argus")


def derive_batch_id(project: str, experiment_name: str, git_sha: Optional[str] = None, *,
                    prefix: str = DEFAULT_PREFIX) -> str:
    """The batch id of this experiment of this project at this commit.

    ``git_sha=None`` asks ``git rev-parse HEAD`` in the working directory (5 s at most) and uses ``"no-git"``
    without git or a repository. ``prefix`` is letters, digits, ``.``, ``_`` and inner ``-``.
    """
    _require_text(project, "project")
    _require_text(experiment_name, "experiment_name")
    if not isinstance(prefix, str) or not _PREFIX.match(prefix):
        raise ValueError("prefix must be letters, digits, '.', '_' and inner '-', got %r" % (prefix,))
    sha = git_sha if git_sha is not None else (git_sha_of() or NO_GIT)
    digest = hashlib.sha256(length_prefixed(project, experiment_name, sha)).digest()
    return prefix + "-" + digest[:8].hex()


def length_prefixed(*fields: str) -> bytes:
    """Each field as its UTF-8 length (4 bytes, big-endian), then its UTF-8 bytes."""
    out = bytearray()
    for field in fields:
        encoded = field.encode("utf-8")
        out += struct.pack(">I", len(encoded))
        out += encoded
    return bytes(out)


def git_sha_of(directory: Optional[str] = None) -> Optional[str]:
    """``git rev-parse HEAD`` in ``directory`` (the working directory by default); None without git, outside a
    repository, or when git takes longer than 5 s."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=directory or os.getcwd(),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                              timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, ValueError):
        return None
    except subprocess.TimeoutExpired:
        _LOG.warning("git rev-parse HEAD took longer than %.0f s; using no git sha", GIT_TIMEOUT_SECONDS)
        return None
    text = done.stdout.decode("ascii", "replace").strip()
    return text if done.returncode == 0 and _SHA.match(text) else None


def _require_text(value: object, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError("%s must be a str, got %s" % (name, type(value).__name__))
    if not value.strip():
        raise ValueError("%s must not be blank" % name)
