"""The local store of events Argus has not acknowledged yet, in the order they were handed over.

One directory per batch (``<spool_dir>/<batch_id>``) holds:

- ``events.jsonl``: append-only records, one per line: the CRC32 of the event's JSON (8 hex digits), a space, the
  event as ASCII JSON, a newline. ``done()`` and ``batch_done`` records are ``fsync``ed before their call returns.
- ``events.jsonl.delivered``: how far (in bytes) Argus has acknowledged; once everything is, the file is emptied.
- ``events.jsonl.lock``: an ``fcntl.flock`` lock (released by the kernel even after ``kill -9``) so that one process
  owns the directory; it holds the owner's pid for the error message.
- ``events.jsonl.corrupt-<millis>``: a torn or damaged tail set aside on open (a crash in the middle of a write).

A record sent twice (a crash between the acknowledgement and the position update) keeps its event id, so Argus
applies it once. Thread-safe.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
import weakref
import zlib
from typing import List, Optional, Sequence, Tuple

from .errors import SpoolError, SpoolFullError, SpoolLockedError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

EVENTS_FILE = "events.jsonl"
POSITION_FILE = EVENTS_FILE + ".delivered"
LOCK_FILE = EVENTS_FILE + ".lock"
CORRUPT_PREFIX = EVENTS_FILE + ".corrupt-"

_LOG = logging.getLogger("argus")


def frame(line: bytes) -> bytes:
    """One spool record: CRC32 of the line (8 hex digits), a space, the line, a newline."""
    return b"%08x %s\n" % (zlib.crc32(line) & 0xFFFFFFFF, line)


def unframe(record: bytes) -> Optional[bytes]:
    """The line of a whole record (with its newline), or None when the record is torn or damaged."""
    if len(record) < 11 or not record.endswith(b"\n") or record[8:9] != b" ":
        return None
    try:
        crc = int(record[:8], 16)
    except ValueError:
        return None
    line = record[9:-1]
    return line if zlib.crc32(line) & 0xFFFFFFFF == crc else None


class Pending:
    """Undelivered records read from the spool, oldest first, with the byte offset after each one."""

    def __init__(self, lines: List[bytes], ends: List[int]) -> None:
        self.lines = lines
        self.ends = ends


class Spool:
    """Open with :meth:`open`; close to release the directory."""

    def __init__(self, directory: str, max_bytes: int, lock_fd: int, append_fd: int, end: int, delivered: int,
                 pending: int) -> None:
        self.dir = directory
        self._max_bytes = max_bytes
        self._lock_fd = lock_fd
        self._append_fd = append_fd
        self._end = end
        self._delivered = delivered
        self._pending = pending
        self._mutex = threading.Lock()
        self._closed = False
        _OPEN.add(self)

    @classmethod
    def open(cls, directory: str, max_bytes: int) -> "Spool":
        """Opens (creating) the spool in ``directory``, recovering from a crash of its previous owner.

        :raises SpoolLockedError: when another process or Reporter owns the directory
        :raises SpoolError: when the directory cannot be used
        """
        if max_bytes <= 0:
            raise ValueError("spool_max_bytes must be > 0, got %d" % max_bytes)
        if fcntl is None:  # pragma: no cover
            raise SpoolError("the Argus spool needs a POSIX system (fcntl)")
        lock_fd = -1
        append_fd = -1
        try:
            os.makedirs(directory, exist_ok=True)
            lock_fd = _lock(directory)
            path = os.path.join(directory, EVENTS_FILE)
            created = not os.path.exists(path)
            append_fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            if created:
                _fsync_dir(directory)
            valid_end, file_end, boundaries = _scan(path)
            if valid_end < file_end:
                _set_aside(directory, path, append_fd, valid_end, file_end)
            delivered = _read_position(directory)
            if delivered and delivered not in boundaries:
                _LOG.warning("Spool %s: the delivered position %d is not a record boundary; re-sending everything "
                             "in it (harmless: events keep their ids)", directory, delivered)
                delivered = 0
            pending = sum(1 for b in boundaries if b > delivered)
            if pending:
                _LOG.info("Spool %s holds %d undelivered events from an earlier run; re-sending them in order",
                          directory, pending)
            return cls(directory, max_bytes, lock_fd, append_fd, valid_end, delivered, pending)
        except BaseException as e:
            for fd in (append_fd, lock_fd):
                if fd >= 0:
                    os.close(fd)
            if isinstance(e, OSError):
                raise SpoolError("cannot open the Argus spool %s: %s" % (directory, e)) from e
            raise

    def append(self, lines: Sequence[bytes], sync: bool) -> None:
        """Appends events in order; with ``sync`` they are on the disk when this returns.

        :raises SpoolFullError: when they would take the spool past its cap (nothing is appended)
        :raises SpoolError: when the disk refuses the write
        """
        data = b"".join(frame(line) for line in lines)
        with self._mutex:
            self._ensure_open()
            if self._end + len(data) > self._max_bytes:
                raise SpoolFullError(
                    "the Argus spool %s is full: %d bytes used, %d more needed, the cap is %d; raise spool_max_bytes "
                    "(ARGUS_SPOOL_MAX_BYTES) or let Argus take the events" % (self.dir, self._end, len(data),
                                                                             self._max_bytes))
            try:
                _write_all(self._append_fd, data)
                if sync:
                    os.fsync(self._append_fd)
            except OSError as e:
                self._cut_back()
                raise SpoolError("cannot write to the Argus spool %s: %s" % (self.dir, e)) from e
            self._end += len(data)
            self._pending += len(lines)

    def has_pending(self) -> bool:
        with self._mutex:
            return self._pending > 0

    def pending_count(self) -> int:
        with self._mutex:
            return self._pending

    def read_pending(self, max_events: int, max_bytes: int) -> Pending:
        """Up to ``max_events`` undelivered records (at least one, else at most ``max_bytes``), oldest first."""
        with self._mutex:
            self._ensure_open()
            lines: List[bytes] = []
            ends: List[int] = []
            position = self._delivered
            size = 0
            with open(os.path.join(self.dir, EVENTS_FILE), "rb") as f:
                f.seek(position)
                while position < self._end and len(lines) < max_events:
                    record = f.readline(self._end - position)
                    line = unframe(record)
                    if line is None:
                        raise SpoolError("the Argus spool %s changed under it at offset %d" % (self.dir, position))
                    if lines and size + len(line) > max_bytes:
                        break
                    position += len(record)
                    size += len(line) + 1
                    lines.append(line)
                    ends.append(position)
            return Pending(lines, ends)

    def mark_delivered(self, end: int, records: int) -> None:
        """Argus acknowledged the records up to byte ``end``; once everything is, the file starts over empty."""
        with self._mutex:
            if self._closed or records <= 0:
                return
            self._delivered = end
            self._pending -= records
            try:
                if self._delivered >= self._end:
                    os.ftruncate(self._append_fd, 0)
                    self._end = 0
                    self._delivered = 0
                    self._pending = 0
                    _remove(os.path.join(self.dir, POSITION_FILE))
                else:
                    _write_position(self.dir, self._delivered)
            except OSError as e:
                # Only progress is lost: the next open re-sends from the older position, and ids make that harmless.
                _LOG.warning("Spool %s: cannot record the delivered position %d: %s", self.dir, end, e)

    def close(self) -> None:
        """Syncs and releases the directory. Idempotent."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            try:
                os.fsync(self._append_fd)
            except OSError as e:
                _LOG.warning("Closing the Argus spool %s: %s", self.dir, e)
            finally:
                os.close(self._append_fd)
                os.close(self._lock_fd)

    def _forget_in_child(self) -> None:
        """In a forked child (a DataLoader worker, say): let go of the parent's files without touching them, so
        that the lock lives as long as the parent, not as long as its children."""
        self._closed = True
        self._mutex = threading.Lock()
        for fd in (self._append_fd, self._lock_fd):
            try:
                os.close(fd)
            except OSError:
                pass

    def _cut_back(self) -> None:
        """After a failed write: drop a partial record, so that records appended later stay readable."""
        try:
            os.ftruncate(self._append_fd, self._end)
        except OSError as e:
            _LOG.error("Spool %s: cannot cut a partial write back to %d: %s", self.dir, self._end, e)

    def _ensure_open(self) -> None:
        if self._closed:
            raise SpoolError("the Argus spool %s is closed" % self.dir)


_OPEN: "weakref.WeakSet[Spool]" = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for spool in list(_OPEN):
        if not spool._closed:
            spool._forget_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _lock(directory: str) -> int:
    path = os.path.join(directory, LOCK_FILE)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        owner = _read_owner(fd)
        os.close(fd)
        if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise SpoolLockedError(
                "the Argus spool %s is in use by %s: one Reporter per batch and spool directory (use another "
                "spool_dir to run a second one)" % (directory, "pid " + owner if owner else "another process")
            ) from None
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
    return fd


def _read_owner(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""


def _scan(path: str) -> Tuple[int, int, List[int]]:
    """(end of the whole records, file size, the offset after each whole record)."""
    boundaries: List[int] = []
    position = 0
    with open(path, "rb") as f:
        for record in f:
            if unframe(record) is None:
                break
            position += len(record)
            boundaries.append(position)
        size = os.fstat(f.fileno()).st_size
    return position, size, boundaries


def _set_aside(directory: str, path: str, append_fd: int, valid_end: int, file_end: int) -> None:
    """Moves the torn tail to its own file for inspection and cuts the spool back to its whole records."""
    aside = os.path.join(directory, "%s%d" % (CORRUPT_PREFIX, int(time.time() * 1000)))
    with open(path, "rb") as f:
        f.seek(valid_end)
        tail = f.read()
    with open(aside, "wb") as out:
        out.write(tail)
        out.flush()
        os.fsync(out.fileno())
    os.ftruncate(append_fd, valid_end)
    os.fsync(append_fd)
    _LOG.warning("Spool %s: the last %d bytes (from offset %d) are not a whole record, probably a crash during a "
                 "write; moved them to %s and kept the whole records before them", directory, file_end - valid_end,
                 valid_end, os.path.basename(aside))


def _read_position(directory: str) -> int:
    path = os.path.join(directory, POSITION_FILE)
    try:
        with open(path, "rb") as f:
            return max(0, int(f.read().strip() or b"0"))
    except FileNotFoundError:
        return 0
    except (OSError, ValueError) as e:
        _LOG.warning("Spool %s: unreadable %s (%s); re-sending everything in the spool", directory, POSITION_FILE, e)
        return 0


def _write_position(directory: str, position: int) -> None:
    temporary = os.path.join(directory, POSITION_FILE + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, str(position).encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, os.path.join(directory, POSITION_FILE))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
