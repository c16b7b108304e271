"""The semantic detectors: meaning catches what word overlap misses, and only that."""

from __future__ import annotations

from narrative_qa.catalogue import get_rule
from narrative_qa.engine import assess_batch
from narrative_qa.reading.records import submission_from_mapping


def example(code: str, note_start: str) -> dict:
    rule = get_rule(code)
    return next(dict(e.submission) for e in rule.examples if e.note.startswith(note_start))


def codes(data: dict, settings, semantic: bool) -> set[str]:
    sub = submission_from_mapping(data, settings)
    assessment = assess_batch([sub], settings, semantic=semantic, gates=False)[0]
    return {f.code for f in assessment.findings}


def test_reworded_recycled_narrative_needs_meaning(settings):
    data = example("NQ11", "Reworded")
    assert "NQ11" in codes(data, settings, semantic=True)
    assert "NQ11" not in codes(data, settings, semantic=False)


def test_reworded_narrative_quotes_its_unchanged_sentences(settings):
    sub = submission_from_mapping(example("NQ11", "Reworded"), settings)
    finding = next(f for f in assess_batch([sub], settings, gates=False)[0].findings
                   if f.code == "NQ11")
    assert len(finding.evidence) == 2 and "2 of 2 sentences" in finding.message


def test_earlier_action_reported_in_other_words_is_aligned_by_meaning(settings):
    data = example("NQ03", "The earlier action's outcome is reported in other words")
    assert "NQ03" not in codes(data, settings, semantic=True)
    assert "NQ03" in codes(data, settings, semantic=False)


def test_restating_last_quarters_reasons_is_not_a_link(settings):
    data = example("NQ01", "Previous narrative given")
    assert "NQ01" in codes(data, settings, semantic=True)


def test_nq03_names_the_earlier_action_left_without_an_outcome(settings):
    data = {
        "kpi_name": "% of new SCRA reports submitted within specified due date",
        "target": 60, "actual": 51, "previous_actual": 55, "unit": "%", "polarity": "up",
        "narrative": "Last quarter we reported 55%. The weekly tracker of report due dates "
                     "has reduced overdue reports from 24 to 9.",
        "previous_narrative": "We will introduce a weekly tracker of report due dates. We "
                              "will also commission an independent review of the "
                              "allocation process.",
    }
    sub = submission_from_mapping(data, settings)
    finding = next(f for f in assess_batch([sub], settings, gates=False)[0].findings
                   if f.code == "NQ03")
    assert finding.details["actions_without_outcome"] == [
        "commission an independent review of the allocation process"]
    assert finding.low_confidence  # one of two actions reported: shown, not claimed


def test_a_copy_with_new_figures_is_said_to_be_the_same_apart_from_its_figures(settings):
    before = ("Performance is 71% against a target of 80% as two posts remain vacant in the "
              "team. Recruitment is under way and we are working with HR to fill both posts.")
    row = {"kpi_id": "A-1", "kpi_name": "% of assessments completed within 28 days",
           "target": "80", "actual": "70", "previous_actual": "71", "unit": "%",
           "polarity": "up", "period": "2025/26 Q2", "previous_narrative": before}

    def nq11(narrative: str):
        sub = submission_from_mapping({**row, "narrative": narrative}, settings)
        return next(f for f in assess_batch([sub], settings, gates=False)[0].findings
                    if f.code == "NQ11")

    assert "the same as last period's apart from its figures" in nq11(
        before.replace("71%", "70%")).message
    assert "apart from its figures" not in nq11(before).message
