"""Issue 17, items 13-15 and 19: ids, periods, headers and parameters that were accepted
without a word."""

from __future__ import annotations

import pytest

from narrative_qa.output.terminal import terminal_safe
from narrative_qa.previous import join_previous, match_key
from narrative_qa.reading.records import read_submissions

NARRATIVE = "Performance is 51% against 60% because 3 of 15 posts were vacant in Q2."
BEFORE = "We recruited 4 social workers in Q1."


def _csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\ufeff", "\u2066"])
def test_an_invisible_character_in_a_kpi_id_still_joins_last_quarter(tmp_path, settings,
                                                                      hidden):
    now = _csv(tmp_path / "q2.csv", f"KPI Ref,Narrative\nCS{hidden}-05,{NARRATIVE}\n")
    before = _csv(tmp_path / "q1.csv", f"KPI Ref,Narrative\nCS-05,{BEFORE}\n")
    current, _ = read_submissions(now, settings)
    previous, _ = read_submissions(before, settings)
    assert join_previous(current, previous) == []
    assert current[0].kpi_id == "CS-05" and current[0].previous_narrative == BEFORE
    [notice] = [p for p in current[0].problems if p.code == "NQE032"]
    assert f"U+{ord(hidden):04X}" in notice.message and notice.location.column == "KPI Ref"


def test_one_rule_for_ids_everywhere():
    assert match_key(" cs\u200b-05 ") == match_key("CS-05") == "cs-05"
    assert match_key("\u200b") is None


def test_bidi_controls_are_shown_escaped_in_the_terminal():
    shown = terminal_safe("KPI \u202eevil\u202c and \u200b")
    assert shown == "KPI \\u202eevil\\u202c and \\u200b"


# --- item 15: a header written twice is a clash like any other ----------------------------

def test_exact_duplicate_headers_get_the_two_columns_notice(tmp_path, settings):
    path = _csv(tmp_path / "q.csv", f"KPI,Narrative,Narrative\nDelays,{NARRATIVE},{BEFORE}\n")
    subs, notices = read_submissions(path, settings)
    assert subs[0].narrative == NARRATIVE and subs[0].extra == {"Narrative (2)": BEFORE}
    [notice] = [n for n in notices if n.code == "NQE050"]
    assert "'Narrative (2)'" in notice.message and "--map 'Narrative (2)=narrative'" in \
        notice.message
    mapped, _ = read_submissions(path, settings, map_options=["Narrative (2)=narrative"])
    assert mapped[0].narrative == BEFORE


# --- item 14: a period that names no real quarter ---------------------------------------

@pytest.mark.parametrize("period", ["2025/26 Q5", "2025/26 Q0", "2025/27 Q2"])
def test_an_impossible_period_is_a_row_notice(tmp_path, settings, period):
    path = _csv(tmp_path / "q.csv", f"KPI,Period,Narrative\nDelays,{period},{NARRATIVE}\n")
    subs, _ = read_submissions(path, settings)
    [problem] = [p for p in subs[0].problems if p.code == "NQE024"]
    assert period in problem.message and problem.location.column == "Period"


def test_real_periods_and_free_text_are_left_alone(tmp_path, settings):
    path = _csv(tmp_path / "q.csv", "KPI,Period,Narrative\n"
                f"A,2025/26 Q2,{NARRATIVE}\nB,2025-26 q4,{NARRATIVE}\nC,September 2025,"
                f"{NARRATIVE}\n")
    subs, _ = read_submissions(path, settings)
    assert not [p for s in subs for p in s.problems if p.code == "NQE024"]
