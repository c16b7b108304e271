"""Running a rule's pass/fail examples: they are the rule's tests and its documentation.

Examples specify the detectors, so they run without the learned gates of models/ (which
are measured on the corpus instead, see models/CARD.md).
"""

from __future__ import annotations

from narrative_qa.assessment import Assessment
from narrative_qa.catalogue import Example, Rule
from narrative_qa.config import Settings
from narrative_qa.engine import assess_batch
from narrative_qa.reading.records import submission_from_mapping


def run_example(rule: Rule, example: Example, settings: Settings) -> Assessment:
    submission = submission_from_mapping(dict(example.submission), settings,
                                         file=f"{rule.path.name} example")
    return assess_batch([submission], settings, gates=False)[0]


def example_behaves(rule: Rule, example: Example, settings: Settings) -> tuple[bool, Assessment]:
    assessment = run_example(rule, example, settings)
    fired = any(f.code == rule.code for f in assessment.findings)
    return fired == (example.label == "fail"), assessment
