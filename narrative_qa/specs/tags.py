"""The sentence tags of the reading layer (docs/LABELLING.md §4): what labellers mark in
real narrative, what the readers (language/readers.py) learn to read, and what a rule
file's `makes:` may name. Scoring and measuring both read them from here."""

from __future__ import annotations

# What the detectors need to recognise in a sentence (issue 9, item 3), then the role of
# a figure the sentence holds (issue 14, item 3); docs/LABELLING.md §4 defines each.
TAGS: tuple[str, ...] = (
    "challenge_with_figure", "challenge_without_figure",
    "action_planned", "action_continuing", "action_taken",
    "timescale", "expected_impact", "cause_of_change",
    "reference_back", "outcome_of_earlier_action",
    "figure_current", "figure_previous", "figure_target", "figure_forecast",
    "figure_subgroup", "figure_other_measure", "figure_benchmark",
)
