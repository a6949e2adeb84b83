"""The spool on its own: order and bytes survive a reopen, a torn or damaged tail is set aside, the delivered
position, the cap, and one owner per directory."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, List

import pytest

from argus.errors import SpoolFullError, SpoolLockedError
from argus.spool import CORRUPT_PREFIX, EVENTS_FILE, Spool, frame, unframe

LINES = [b'{"event_id":"e%d","type":"job_progress","step":%d}' % (i, i) for i in range(10)]


def read_all(spool: Spool) -> List[bytes]:
    return spool.read_pending(1000, 1 << 20).lines


def test_records_survive_a_reopen_in_order(tmp_path: Any) -> None:
    spool = Spool.open(str(tmp_path), 1 << 20)
    spool.append(LINES[:4], sync=True)
    spool.append(LINES[4:], sync=False)
    assert spool.pending_count() == 10
    spool.close()
    again = Spool.open(str(tmp_path), 1 << 20)
    assert read_all(again) == LINES
    again.close()


def test_the_delivered_position_survives_and_a_delivered_spool_starts_over(tmp_path: Any) -> None:
    spool = Spool.open(str(tmp_path), 1 << 20)
    spool.append(LINES, sync=True)
    first = spool.read_pending(3, 1 << 20)
    spool.mark_delivered(first.ends[-1], 3)
    spool.close()
    spool = Spool.open(str(tmp_path), 1 << 20)
    assert spool.pending_count() == 7
    rest = spool.read_pending(1000, 1 << 20)
    assert rest.lines == LINES[3:]
    spool.mark_delivered(rest.ends[-1], 7)
    assert not spool.has_pending()
    assert os.path.getsize(os.path.join(str(tmp_path), EVENTS_FILE)) == 0
    spool.close()


@pytest.mark.parametrize("damage", ["torn", "bad-crc", "garbage"])
def test_a_corrupt_tail_is_set_aside_and_the_whole_records_kept(tmp_path: Any, damage: str) -> None:
    spool = Spool.open(str(tmp_path), 1 << 20)
    spool.append(LINES[:6], sync=True)
    spool.close()
    path = os.path.join(str(tmp_path), EVENTS_FILE)
    whole = os.path.getsize(path)
    with open(path, "ab") as f:
        if damage == "torn":
            f.write(frame(LINES[6])[:-7])                      # a crash in the middle of a write
        elif damage == "bad-crc":
            f.write(b"00000000" + frame(LINES[6])[8:])        # a damaged record...
            f.write(frame(LINES[7]))                           # ...and what follows it is set aside too
        else:
            f.write(b"\x00\x00\x00\x17\xff\xfe garbage")
    spool = Spool.open(str(tmp_path), 1 << 20)
    assert read_all(spool) == LINES[:6]
    assert os.path.getsize(path) == whole
    aside = [name for name in os.listdir(str(tmp_path)) if name.startswith(CORRUPT_PREFIX)]
    assert len(aside) == 1 and os.path.getsize(os.path.join(str(tmp_path), aside[0])) > 0
    spool.append(LINES[6:], sync=True)                         # and it goes on working
    spool.close()
    assert read_all(Spool.open(str(tmp_path), 1 << 20)) == LINES


def test_a_position_off_a_record_boundary_resends_everything(tmp_path: Any) -> None:
    spool = Spool.open(str(tmp_path), 1 << 20)
    spool.append(LINES, sync=True)
    spool.close()
    with open(os.path.join(str(tmp_path), EVENTS_FILE + ".delivered"), "w") as f:
        f.write("5")
    spool = Spool.open(str(tmp_path), 1 << 20)
    assert read_all(spool) == LINES
    spool.close()


def test_the_cap_refuses_with_a_clear_error(tmp_path: Any) -> None:
    spool = Spool.open(str(tmp_path), 200)
    spool.append(LINES[:2], sync=True)
    with pytest.raises(SpoolFullError, match="ARGUS_SPOOL_MAX_BYTES"):
        spool.append(LINES[2:], sync=True)
    assert read_all(spool) == LINES[:2]
    spool.close()


def test_one_owner_per_directory_in_this_process_and_in_another(tmp_path: Any) -> None:
    spool = Spool.open(str(tmp_path), 1 << 20)
    with pytest.raises(SpoolLockedError, match="pid %d" % os.getpid()):
        Spool.open(str(tmp_path), 1 << 20)
    other = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n"
                            "from argus.spool import Spool\nSpool.open(%r, 1 << 20)" % (
                                os.path.join(os.path.dirname(__file__), ".."), str(tmp_path))],
                           stderr=subprocess.PIPE, timeout=60)
    assert other.returncode != 0 and b"SpoolLockedError" in other.stderr
    spool.close()
    Spool.open(str(tmp_path), 1 << 20).close()                # released on close


def test_frames_carry_a_checksum() -> None:
    record = frame(LINES[0])
    assert unframe(record) == LINES[0]
    assert unframe(record[:-1]) is None
    assert unframe(record.replace(b"step", b"stap")) is None


def test_a_forked_child_does_not_keep_the_spool_locked(tmp_path: Any) -> None:
    spool = Spool.open(str(tmp_path), 1 << 20)
    to_child, from_parent = os.pipe()
    from_child, to_parent = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child (a DataLoader worker, say) lives on after its parent closes the spool
        os.write(to_parent, b"forked")                   # os.fork() has returned here: the fork handlers ran
        os.read(to_child, 1)
        os._exit(0)
    try:
        assert os.read(from_child, 6) == b"forked"
        spool.close()
        Spool.open(str(tmp_path), 1 << 20).close()
    finally:
        os.write(from_parent, b"x")
        os.waitpid(pid, 0)
        for fd in (to_child, from_parent, from_child, to_parent):
            os.close(fd)
