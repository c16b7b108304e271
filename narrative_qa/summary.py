"""What a scored quarter comes to, kept as counts so it can follow a stream of any size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from narrative_qa.assessment import SEVERITY_ORDER, Assessment
from narrative_qa.errors import RowProblem


@dataclass
class ScoreSummary:
    notices: list[RowProblem] = field(default_factory=list)  # file-level warnings
    rows: int = 0
    verdicts: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)  # submissions raising each code
    slugs: dict[str, str] = field(default_factory=dict)
    row_problems: list[RowProblem] = field(default_factory=list)
    worst: int | None = None  # the most severe counted finding (SEVERITY_ORDER), if any

    def add(self, assessments: list[Assessment]) -> None:
        for assessment in assessments:
            self.rows += 1
            self.verdicts[assessment.verdict] += 1
            self.row_problems.extend(assessment.submission.problems)
            for finding in assessment.findings:
                self.codes[finding.code] += 1
                self.slugs[finding.code] = finding.slug
                if not finding.low_confidence:
                    rank = SEVERITY_ORDER[finding.severity]
                    self.worst = rank if self.worst is None else min(self.worst, rank)

    def exit_code(self, fail_on: str | None) -> int:
        """2 when any row had an error; 1 when a finding is at or above fail_on; else 0."""
        if self.row_problems:
            return 2
        if fail_on is None or self.worst is None:
            return 0
        return 1 if self.worst <= SEVERITY_ORDER[fail_on] else 0
