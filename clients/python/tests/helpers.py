"""Reads of what Argus recorded, for the integration tests' assertions."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from argus.httpclient import HttpClient
from argus.query import QueryClient
from argus_service import ArgusService, wait_until


def query(argus: ArgusService) -> QueryClient:
    return QueryClient(HttpClient(argus.url), timeout=30)


def history(argus: ArgusService, batch_id: str, page_size: int = 100) -> List[Dict[str, Any]]:
    """The batch's whole event history, oldest first, read page by page (cursor paging)."""
    return list(query(argus).events(batch_id, page_size=page_size))


def first_occurrences(event_ids: List[str]) -> List[str]:
    seen = set()
    first = []
    for event_id in event_ids:
        if event_id not in seen:
            seen.add(event_id)
            first.append(event_id)
    return first


def batch_when(argus: ArgusService, batch_id: str, status: str, timeout: float = 30) -> Dict[str, Any]:
    """The batch view once its status is ``status`` (the fold follows the log a moment later)."""
    def ready() -> Optional[Dict[str, Any]]:
        view = query(argus).batch(batch_id)
        return view if view is not None and view.get("status") == status else None
    return wait_until(ready, timeout, "batch %s to be %s" % (batch_id, status), interval=0.1)


def jobs(argus: ArgusService, batch_id: str) -> Dict[str, Dict[str, Any]]:
    return {job["job_id"]: job for job in query(argus).jobs(batch_id) or []}


def history_with(argus: ArgusService, batch_id: str, event_ids: List[str], timeout: float = 30) -> List[Dict[str, Any]]:
    """The history once every one of ``event_ids`` is in it."""
    wanted = set(event_ids)

    def complete() -> Optional[List[Dict[str, Any]]]:
        events = history(argus, batch_id)
        return events if wanted <= {e["event_id"] for e in events} else None
    return wait_until(complete, timeout, "%d events of %s in the history" % (len(wanted), batch_id), interval=0.1)
