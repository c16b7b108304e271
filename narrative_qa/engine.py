"""The pipeline: submissions -> analysis -> embeddings -> detectors -> gates -> assessments.

`assess_batch` parses every narrative (and previous narrative) once with spaCy's
`nlp.pipe`, embeds in one batch what will be compared with last period, runs each rule's
detector (detection.py; on several processes, split_batch.py), lets the learned gates
confirm or withdraw the findings they were chosen for, and only then decides each verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from narrative_qa.assessment import (
    SEVERITY_ORDER,
    Assessment,
    Finding,
    Submission,
    verdict_of,
)
from narrative_qa.catalogue import Rule, effective_catalogue
from narrative_qa.confidence import calibrate, load_calibration
from narrative_qa.config import Settings
from narrative_qa.data_checks import data_facts
from narrative_qa.deadline import check_time
from narrative_qa.detection import contexts_for, distinct_texts, embed, find
from narrative_qa.gates import apply_gates, gated_codes, load_gates
from narrative_qa.language.nlp import processes_for
from narrative_qa.language.readers import current_readers

Progress = Callable[[int], None]


def assess(submission: Submission, settings: Settings,
           rules: Iterable[Rule] | None = None) -> Assessment:
    return assess_batch([submission], settings, rules)[0]


def assess_batch(submissions: list[Submission], settings: Settings,
                 rules: Iterable[Rule] | None = None,
                 progress: Progress | None = None,
                 semantic: bool | None = None,
                 gates: bool = True,
                 processes: int | None = None) -> list[Assessment]:
    """Assess every submission. `semantic` embeds the texts that the detectors needing
    embeddings name (see detectors/base.py); by default it follows the settings. `gates` applies
    the learned gates in models/ (see gates.py) to the findings they were chosen for.
    `processes` parse the narratives on that many cores (1 forces one; None: the
    NARRATIVE_QA_PROCESSES variable, else both cores when the batch is large enough to repay
    it, see language/nlp.py); the results are the same."""
    rules = tuple(rules) if rules is not None else effective_catalogue(settings)
    check_time("the analysis")
    semantic = settings.semantic if semantic is None else semantic
    alongside = (_load_encoder_alongside if _will_embed(submissions, rules, semantic)
                 else None)
    count = processes_for(len(distinct_texts(submissions)), processes)
    if count > 1:
        from narrative_qa.split_batch import find_on_processes

        findings = find_on_processes(submissions, settings, rules, semantic, count, alongside)
    else:
        contexts = contexts_for(submissions, settings, alongside)
        findings = find(contexts, rules, embed(contexts, rules, semantic), semantic)
    results = [Assessment(sub, data_facts(sub, settings.rag), found,
                          "error" if sub.blocked else "", None)
               for sub, found in zip(submissions, findings, strict=True)]
    if gates:
        _apply_learning(results)
    for assessment in results:
        if assessment.verdict != "error":
            assessment.findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.code))
            assessment.verdict, assessment.score = verdict_and_score(assessment.findings,
                                                                     settings)
        if progress:
            progress(1)
    return results


def _apply_learning(results: list[Assessment]) -> None:
    """The learned gates of models/, then each finding's calibrated confidence
    (confidence.py), which also marks the findings that are only worth a look."""
    # The gates (and scikit-learn) load only when a finding they judge was raised.
    found = {f.code for a in results for f in a.findings}
    if found & gated_codes():
        apply_gates(results, load_gates())
    # A code without calibration keeps its detector's confidence and the default claim
    # threshold (Finding.claim_threshold): one rule decides what is claimed.
    calibration = load_calibration()
    for assessment in results:
        calibrate(assessment.findings, calibration)


def _will_embed(submissions: list[Submission], rules: tuple[Rule, ...],
                semantic: bool = True) -> bool:
    """Whether the encoder will be needed: the reading layer weighs every sentence's
    meaning, and every other rule that embeds compares with last period's narrative
    (when `semantic`)."""
    needs = {n for r in rules if r.module is not None for n in r.module.NEEDS}
    scored = [s for s in submissions if not s.blocked]
    if "readers" in needs and scored and current_readers().meaning is not None:
        return True
    return semantic and "embeddings" in needs and any(s.previous_narrative for s in scored)


def _load_encoder_alongside() -> None:
    """Load the sentence encoder on another thread while the texts are parsed."""
    from narrative_qa.language import preload
    from narrative_qa.language.embeddings import encoder_loaded, get_encoder

    if not encoder_loaded():
        preload.start(get_encoder)


def verdict_and_score(findings: list[Finding], settings: Settings) -> tuple[str, int]:
    """FINDINGS.md §4. Low-confidence findings are shown but do not decide the verdict."""
    counted = [f for f in findings if not f.low_confidence]
    score = 100 - sum(settings.penalties[f.severity] for f in counted)
    return verdict_of(f.severity for f in counted), max(0, score)
