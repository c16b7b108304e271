"""Check a draft as a user of the web app: the one function behind the self-check page
and `POST /api/v1/check` (each decides first which stored KPI, if any, the user may
check the draft as).

The draft is checked as `narrative-qa check` checks it (narrative_qa.api.check_draft);
here it is tied to the user: the stored KPI's own spelling of its id and its service, an
officer's owner name, and last period's values from the store only when the KPI and the
period are both given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from narrative_qa.api import check_draft
from narrative_qa.assessment import Assessment
from narrative_qa.config import Settings
from narrative_qa.errors import InputError, Location
from narrative_qa.reading.records import narrative_limit
from narrative_qa.store.accounts import User
from narrative_qa.store.history import History


class StoredKpi(Protocol):
    kpi_id: str
    service: str | None


def refuse_long_draft(narrative: str, settings: Settings) -> None:
    """NQE021 for a draft over the narrative limit, before anything is read."""
    limit = narrative_limit(settings)
    if len(narrative) > limit:
        raise InputError("NQE021", f"the narrative is {len(narrative):,} characters, over "
                         f"the limit of {limit:,} characters", Location(column="narrative"))


def check_as(user: User, narrative: str, fields: Mapping[str, object], settings: Settings,
             history: History, kpi: StoredKpi | None,
             time_budget: float | None = None) -> Assessment:
    """Check `narrative` with the KPI `fields` as `user`'s draft. `kpi` is the stored KPI
    the draft is for, already cleared for this user (None for a KPI never stored): the
    draft is checked, joined with last period and stored as that KPI ('hl-01' is 'HL-01').
    An officer's draft is theirs (their owner name), never another's."""
    refuse_long_draft(narrative, settings)
    values = dict(fields)
    if kpi is not None:
        values["kpi_id"] = kpi.kpi_id
        values["service"] = values.get("service") or kpi.service
    if user.role == "officer":
        values["owner"] = user.owner_name
    text = {k: (None if v is None else str(v)) for k, v in values.items()}
    use_store = bool(text.get("kpi_id") and text.get("period"))
    return check_draft(narrative, settings, history=history if use_store else None,
                       time_budget=time_budget, **text)
