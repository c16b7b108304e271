"""A time budget for one piece of work (a web request's check), checked between the steps
of an assessment: when it has run out, the work stops with NQE110 instead of holding the
worker. Outside a budget the checks cost nothing and never stop anything (the CLI and
batch scoring run without one)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from narrative_qa.errors import NarrativeQAError

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("nq_deadline", default=None)
clock = time.monotonic  # tests move it instead of waiting


class OutOfTime(NarrativeQAError):
    """The time budget ran out; nothing was finished."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Work inside may run `seconds` (None: no budget)."""
    if seconds is None:
        yield
        return
    token = _DEADLINE.set((clock() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_time(step: str) -> None:
    """Raise OutOfTime (NQE110) when the current budget has run out before `step`."""
    budget = _DEADLINE.get()
    if budget is not None and clock() > budget[0]:
        raise OutOfTime("NQE110", f"the check ran past its time budget of {budget[1]:g} s "
                        f"(stopped before {step}); nothing was kept")
