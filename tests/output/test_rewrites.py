"""Suggested rewrites (issue 16, What to add): the officer's sentence kept, with bracketed
slots for what the finding says is missing, and no figure that the officer did not write."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from narrative_qa.api import check_draft
from narrative_qa.assessment import Finding
from narrative_qa.cli import app
from narrative_qa.output.rewrites import rewrites_of, slots, suggested_rewrite

DRAFT = ("Recruitment remains a challenge. We will introduce a new triage process. "
         "The CMHT continues to monitor waiting times. Performance was 62% this quarter.")
FIGURES = dict(target="60", actual="51", previous_actual="55", unit="%", polarity="up",
               period="2025/26 Q2")


def _finding(settings, code):
    assessment = check_draft(DRAFT, settings, **FIGURES)
    return next(f for f in assessment.findings if f.code == code)


def _figures(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", SLOT_FREE.sub("", text))


SLOT_FREE = re.compile(r"\[[^\]]*\]")


def test_nq04_keeps_the_sentence_and_asks_for_the_scale(settings):
    finding = _finding(settings, "NQ04")
    rewrite = suggested_rewrite(finding, "Recruitment remains a challenge.")
    assert rewrite == ("Recruitment remains a challenge: [number] WTE vacancies ([%] of "
                       "establishment) at [date].")
    assert slots(rewrite) == ["[number]", "[%]", "[date]"]


def test_nq02_asks_only_for_what_the_action_lacks(settings):
    finding = _finding(settings, "NQ02")
    (action,) = finding.details["actions"]
    rewrite = suggested_rewrite(finding, "We will introduce a new triage process.")
    assert rewrite.startswith("We will introduce a new triage process")
    assert ("[by when]" in rewrite) == ("timescale" in action["missing"])
    assert ("[expected change, by how much]" in rewrite) == (
        "expected impact" in action["missing"])
    both = Finding("NQ02", "no-forecast", "medium", "", "", "", ["We will hire staff."], 0.9,
                   {"actions": [{"action": "hire staff", "kind": "planned",
                                 "missing": ["timescale", "expected impact"]}]})
    assert suggested_rewrite(both, "We will hire staff.") == (
        "We will hire staff by [by when], expected to [expected change, by how much].")


def test_nq08_writes_out_the_acronym_and_details_the_vague_phrase(settings):
    finding = _finding(settings, "NQ08")
    rewrite = suggested_rewrite(finding, "The CMHT continues to monitor waiting times.")
    assert rewrite.startswith("The [CMHT in full] (CMHT) continues to monitor [")
    assert rewrite.endswith("waiting times.")


def test_nq10_puts_a_slot_where_the_wrong_figure_was(settings):
    finding = _finding(settings, "NQ10")
    rewrite = suggested_rewrite(finding, "Performance was 62% this quarter.")
    assert rewrite == "Performance was [the figure as submitted, for this period] this quarter."


def test_no_rewrite_adds_a_figure_and_every_one_keeps_its_sentence(settings):
    assessment = check_draft(DRAFT, settings, **FIGURES, stated_rag="green")
    seen = set()
    for finding in assessment.findings:
        for item in rewrites_of(finding):
            seen.add(finding.code)
            assert set(_figures(item["rewrite"])) <= set(_figures(item["sentence"]))
            assert slots(item["rewrite"])
    assert {"NQ02", "NQ04", "NQ08", "NQ10"} <= seen
    nq09 = next(f for f in assessment.findings if f.code == "NQ09")
    assert rewrites_of(nq09) == []  # a RAG mismatch rests on the data, not a sentence


def test_a_sentence_the_finding_does_not_quote_gets_no_rewrite(settings):
    finding = _finding(settings, "NQ04")
    assert suggested_rewrite(finding, "Performance was 62% this quarter.") is None


def test_check_json_carries_the_suggested_rewrite(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(draft), "--target", "60", "--actual", "51",
                                      "--unit", "%", "--polarity", "up", "--format", "json"])
    record = json.loads(result.stdout)
    nq04 = next(f for f in record["findings"] if f["code"] == "NQ04")
    assert {"sentence": "Recruitment remains a challenge.",
            "rewrite": "Recruitment remains a challenge: [number] WTE vacancies ([%] of "
                       "establishment) at [date]."} in nq04["suggested_rewrite"]
    assert all(isinstance(f["suggested_rewrite"], list) for f in record["findings"])


def _nq06(sentence: str) -> Finding:
    return Finding("NQ06", "unexplained-deterioration", "high", "", "", "", [sentence], 0.9,
                   {"previous_actual": 55.0, "actual": 51.0})


def test_nq06_asks_for_the_cause_and_for_the_fall_only_when_the_sentence_lacks_it():
    assert suggested_rewrite(_nq06("Performance fell to 51% this quarter."), "Performance "
                             "fell to 51% this quarter.") == (
        "Performance fell to 51% this quarter. This is because [what changed this period, "
        "when, and how big it was].")
    assert suggested_rewrite(_nq06("Recruitment remains a challenge."),
                             "Recruitment remains a challenge.").endswith(
        "Performance fell from [last period's value] to [this period's value] because "
        "[what changed this period, when, and how big it was].")
