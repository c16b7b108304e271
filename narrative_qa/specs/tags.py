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

# Findings whose evidence sentences the reading layer also learns to read: a sentence the
# labellers quoted as evidence for the finding (sentences[].evidence_for). What makes such
# a sentence evidence (for NQ02, a remedy offered with no timescale or impact) is where the
# labellers draw the finding's line, which the other tags do not carry
# (tools/reader_oracle.py: even read with the labellers' own tags, NQ02 misses remedies).
EVIDENCE_CODES: tuple[str, ...] = ("NQ02",)
EVIDENCE_TAGS: tuple[str, ...] = tuple(f"evidence_{code}" for code in EVIDENCE_CODES)
READ_TAGS: tuple[str, ...] = TAGS + EVIDENCE_TAGS  # what the readers read
