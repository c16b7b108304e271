"""The 'forecasts due this quarter' view: plain data for the ELT report and the web
dashboard (templates only lay it out)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from narrative_qa.forecasts.check import check_period

if TYPE_CHECKING:
    from narrative_qa.store.history import History

SHOWN = ("met", "missed", "not measurable", "to confirm", "not reported")


@dataclass
class ForecastsView:
    period: str
    rows: list[dict[str, Any]]  # each due forecast, checked (Checked.to_dict())
    counts: dict[str, int]  # status -> how many
    groups: list[dict[str, Any]]  # by service and owner: {service, owner, <status>: n}
    accuracy: list[dict[str, Any]]  # per quarter: {period, met, missed, share}
    notices: list[str] = field(default_factory=list)


def _order(status: str) -> int:
    return SHOWN.index(status) if status in SHOWN else len(SHOWN)


Keep = Callable[[str | None, str | None], bool]  # (owner, service) -> shown to this user


def forecasts_view(history: History, period: str, keep: Keep | None = None) -> ForecastsView:
    """The forecasts due in `period`, and forecast accuracy in every stored quarter up to it
    (met as a share of the value and direction forecasts that could be measured). With
    `keep`, only the forecasts of KPIs it keeps (the web app's access rule)."""
    from narrative_qa.language.periods import parse_period

    def kept(checked: list) -> list:
        return [c for c in checked if keep is None or keep(c.forecast.owner, c.forecast.service)]

    result = check_period(history, period)
    rows = sorted((c.to_dict() for c in kept(result.checked)),
                  key=lambda r: (_order(r["status"]), r["service"] or "", r["kpi_id"]))
    groups: dict[tuple[str, str], Counter] = {}
    for row in rows:
        key = (row["service"] or "Not stated", row["owner"] or "Not stated")
        groups.setdefault(key, Counter())[row["status"]] += 1
    wanted = parse_period(period)
    accuracy = []
    for stored in history.quarter_periods():
        parsed = parse_period(stored)
        if parsed is None or wanted is None or parsed > wanted:
            continue
        checked = [c.status for c in kept(check_period(history, stored).checked)]
        met, missed = checked.count("met"), checked.count("missed")
        if met + missed:
            accuracy.append({"period": stored, "met": met, "missed": missed,
                             "share": met / (met + missed)})
    return ForecastsView(
        period=result.period, rows=rows,
        counts={s: sum(r["status"] == s for r in rows) for s in SHOWN},
        groups=[{"service": s, "owner": o, **{k: n.get(k, 0) for k in SHOWN}}
                for (s, o), n in sorted(groups.items())],
        accuracy=accuracy,
        notices=[n.render() for n in result.notices] if keep is None else [])
