"""NQ04 on causes said to be outside the service's control (issue 15).

Real narrative blames the market, the economy or prices, or says outright that a result is
beyond its control, without a figure for that cause. The reading layer is replaced by a
reader that hears nothing, so these tests check the rule file's words alone. The
sentences are invented.
"""

from __future__ import annotations

import pytest

from narrative_qa.api import check_draft
from tests.test_reading_layer import SCRA, codes, reads  # noqa: F401  (a fixture)

UPTAKE = {**SCRA, "kpi_id": "LS-02", "kpi_name": "% of eligible residents taking up the scheme"}


@pytest.fixture(autouse=True)
def hears_nothing(reads):  # noqa: F811
    reads("nothingsaysthis", "challenge_without_figure")


@pytest.mark.parametrize("sentence", [
    "Take-up is a matter outside the council's control and depends on household choices.",
    "The shortfall was beyond our control this quarter.",
    "Uptake fell to 51% due to economic conditions across the region.",  # the KPI's figure
    "Fewer residents joined as inflationary pressure squeezed household budgets.",
])
def test_a_cause_outside_the_services_control_with_no_figure_is_nq04(sentence):
    found = codes(check_draft(f"Uptake is below target. {sentence}", **UPTAKE))
    assert "NQ04" in found
    assert "external" in found["NQ04"].details["challenges"]


@pytest.mark.parametrize("narrative", [
    "Uptake is below target. Fewer residents joined as inflation reached 6.7% in the year.",
    "Uptake fell as market conditions worsened. Local house prices fell 8% over the year.",
])
def test_an_external_cause_given_its_scale_is_not_nq04(narrative):
    assert "NQ04" not in codes(check_draft(narrative, **UPTAKE))
