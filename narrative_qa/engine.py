"""The pipeline: submissions -> analysis -> embeddings -> detectors -> gates -> assessments.

`assess_batch` parses every narrative (and previous narrative) once with spaCy's
`nlp.pipe`, embeds in one batch what will be compared with last period, runs each rule's
detector, lets the learned gates confirm or withdraw the findings they were chosen for, and
only then decides each verdict. A detector that fails on one record is reported on that
record (NQE026) and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from narrative_qa.assessment import (
    SEVERITY_ORDER,
    Assessment,
    Finding,
    Submission,
    verdict_of,
)
from narrative_qa.catalogue import Rule, effective_catalogue
from narrative_qa.confidence import calibrate, finding_features, load_calibration
from narrative_qa.config import Settings
from narrative_qa.data_checks import data_facts
from narrative_qa.deadline import check_time
from narrative_qa.detectors.base import Context, Hit, Similarity, texts_to_embed
from narrative_qa.errors import RowProblem
from narrative_qa.gates import apply_gates, gated_codes, load_gates
from narrative_qa.language.analysis import Analysis, analyse_texts
from narrative_qa.language.quoting import quote
from narrative_qa.language.readers import load_readers

Progress = Callable[[int], None]
log = logging.getLogger("narrative_qa")


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
    analyses = _analyse_all(submissions, processes,
                            _load_encoder_alongside if semantic and _will_embed(submissions,
                                                                               rules)
                            else None)
    contexts = build_contexts(submissions, analyses, settings)
    if semantic:
        check_time("the embeddings")
        similarity = _embed(wanted_embedded(contexts, rules))
        for ctx in contexts:
            if ctx is not None:
                ctx.similarity = similarity
    if any("readers" in r.module.NEEDS for r in rules if r.module is not None):
        load_readers()  # a missing or altered model is NQE070 for the batch, not per row
    findings: list[list[Finding]] = [[] for _ in submissions]
    _run_rules(contexts, findings, list(rules))
    results = [Assessment(sub, ctx.facts if ctx else data_facts(sub, settings.rag), found,
                          "error" if sub.blocked else "", None)
               for sub, ctx, found in zip(submissions, contexts, findings, strict=True)]
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


def _will_embed(submissions: list[Submission], rules: tuple[Rule, ...]) -> bool:
    """Whether the encoder will be needed: every rule that embeds compares with last
    period's narrative."""
    return any("embeddings" in r.module.NEEDS for r in rules if r.module is not None) and any(
        s.previous_narrative and not s.blocked for s in submissions)


def _load_encoder_alongside() -> None:
    """Load the sentence encoder on another thread while the texts are parsed."""
    from narrative_qa.language import preload
    from narrative_qa.language.embeddings import encoder_loaded, get_encoder

    if not encoder_loaded():
        preload.start(get_encoder)


def _analyse_all(submissions: list[Submission], processes: int | None = None,
                 alongside: Callable[[], None] | None = None) -> dict[str, Analysis]:
    """Parse each distinct text once; a quarter's previous narratives often repeat.
    `alongside` is called as the parse starts (see nlp.parse)."""
    texts: dict[str, None] = {}
    for sub in submissions:
        if sub.blocked:
            continue
        texts[sub.narrative] = None
        if sub.previous_narrative:
            texts[sub.previous_narrative] = None
    unique = list(texts)
    return dict(zip(unique, analyse_texts(unique, processes=processes, alongside=alongside),
                    strict=True))


def _embed(texts: list[str]) -> Similarity | None:
    """Embed, in one batch, the texts that will be compared."""
    if not texts:
        return None
    from narrative_qa.language.embeddings import default_embedder

    return Similarity(dict(zip(texts, default_embedder().embed(texts), strict=True)))


def applies(rule: Rule, ctx: Context) -> bool:
    return rule.scope != "amber-or-red" or ctx.facts.held_to_all


def wanted_embedded(contexts: list[Context | None], rules: tuple[Rule, ...]) -> list[str]:
    """The texts each rule that applies will compare, once each, in the order asked."""
    texts: dict[str, None] = {}
    for ctx in contexts:
        if ctx is None:
            continue
        for rule in rules:
            if rule.module is not None and applies(rule, ctx):
                texts.update(dict.fromkeys(texts_to_embed(rule.module, ctx, rule.params)))
    return list(texts)


def build_contexts(submissions: list[Submission], analyses: dict[str, Analysis],
                   settings: Settings) -> list[Context | None]:
    """What every detector reads, one per submission (None for a row that cannot be
    scored)."""
    return [None if sub.blocked else Context(
        submission=sub, facts=data_facts(sub, settings.rag), analysis=analyses[sub.narrative],
        previous=analyses.get(sub.previous_narrative) if sub.previous_narrative else None,
        settings=settings,
    ) for sub in submissions]


def _run_rules(contexts: list[Context | None], findings: list[list[Finding]],
               rules: list[Rule]) -> None:
    for ctx, found in zip(contexts, findings, strict=True):
        if ctx is None:
            continue
        for rule in rules:
            if not applies(rule, ctx):
                continue
            check_time(rule.code)  # outside the try: running out stops the request
            try:
                hits = rule.module.detect(ctx, rule.params)
            except Exception as exc:  # one record's failure must not stop the quarter
                log.exception("%s failed on %s", rule.code, ctx.submission.location)
                ctx.submission.problems.append(RowProblem(
                    "NQE026", f"{rule.code} could not be checked ({type(exc).__name__}: "
                    f"{exc})", ctx.submission.location))
                continue
            for hit in hits:
                finding = to_finding(rule, hit)
                if not hit.exact:  # arithmetic on the data is not recalibrated by the text
                    finding.features = finding_features(ctx, hit.evidence, hit.confidence)
                found.append(finding)


def to_finding(rule: Rule, hit: Hit) -> Finding:
    values = dict(hit.values)
    return Finding(
        code=rule.code, slug=rule.slug, severity=rule.severity,
        message=rule.render(rule.messages["officer"], values),
        elt_message=rule.render(rule.messages["elt"], values),
        suggestion=rule.render(rule.suggestion, values),
        evidence=quote(hit.evidence), confidence=hit.confidence, details=hit.details,
    )


def verdict_and_score(findings: list[Finding], settings: Settings) -> tuple[str, int]:
    """FINDINGS.md §4. Low-confidence findings are shown but do not decide the verdict."""
    counted = [f for f in findings if not f.low_confidence]
    score = 100 - sum(settings.penalties[f.severity] for f in counted)
    return verdict_of(f.severity for f in counted), max(0, score)
