"""Restart decisions and the result of :meth:`argus.Reporter.run`."""

from __future__ import annotations

import enum
from typing import Any, Optional


class Verdict(str, enum.Enum):
    RESTART = "RESTART"
    STOP = "STOP"


class Decision:
    """Whether a failed attempt gets another one (answered by Argus's fold rules).

    ``reason`` says why in words an operator can act on; ``defaulted`` is True when nobody decided within the wait
    and this is the safe default, RESTART; ``restart_budget`` is the number of attempts allowed in all
    (``max_restarts + 1``).
    """

    __slots__ = ("verdict", "reason", "defaulted", "attempt", "restart_budget")

    def __init__(self, verdict: Verdict, reason: str, defaulted: bool, attempt: int, restart_budget: int) -> None:
        self.verdict = verdict
        self.reason = reason
        self.defaulted = defaulted
        self.attempt = attempt
        self.restart_budget = restart_budget

    @property
    def restart(self) -> bool:
        return self.verdict is Verdict.RESTART

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Decision) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "Decision(%s, %r, defaulted=%s, attempt=%d, restart_budget=%d)" % (
            self.verdict.value, self.reason, self.defaulted, self.attempt, self.restart_budget)

    def _key(self) -> Any:
        return (self.verdict, self.reason, self.defaulted, self.attempt, self.restart_budget)


class RunStatus(str, enum.Enum):
    DONE = "done"
    STOPPED = "stopped"


class RunResult:
    """What :meth:`argus.Reporter.run` ended with.

    ``attempt`` is the last attempt run; ``value`` what the function returned (when done); ``decision`` the
    decision that stopped the job; ``error`` what its last failed attempt raised.
    """

    __slots__ = ("job_id", "status", "attempt", "value", "decision", "error")

    def __init__(self, job_id: str, status: RunStatus, attempt: int, value: Any = None,
                 decision: Optional[Decision] = None, error: Optional[BaseException] = None) -> None:
        self.job_id = job_id
        self.status = status
        self.attempt = attempt
        self.value = value
        self.decision = decision
        self.error = error

    @property
    def done(self) -> bool:
        return self.status is RunStatus.DONE

    def __repr__(self) -> str:
        return "RunResult(%r, %s, attempt=%d, decision=%r, error=%r)" % (
            self.job_id, self.status.value, self.attempt, self.decision, self.error)
