"""The pipeline: submissions -> analysis -> detectors -> findings -> assessments.

`assess_batch` parses every narrative (and previous narrative) once with spaCy's
`nlp.pipe`, then runs each rule's detector. A detector that fails on one record is
reported on that record (NQE026) and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from narrative_qa.catalogue import Rule, load_catalogue
from narrative_qa.config import Settings
from narrative_qa.data_checks import data_facts
from narrative_qa.detectors import KINDS, Context, Hit
from narrative_qa.detectors.base import Similarity, quote
from narrative_qa.errors import ConfigError, Location, RowProblem
from narrative_qa.language.analysis import Analysis, analyse_texts
from narrative_qa.model import SEVERITY_ORDER, Assessment, Finding, Submission

Progress = Callable[[int], None]


def assess(submission: Submission, settings: Settings,
           rules: Iterable[Rule] | None = None) -> Assessment:
    return assess_batch([submission], settings, rules)[0]


def assess_batch(submissions: list[Submission], settings: Settings,
                 rules: Iterable[Rule] | None = None,
                 progress: Progress | None = None,
                 semantic: bool | None = None,
                 gates: bool = True) -> list[Assessment]:
    """Assess every submission. `semantic` embeds sentences for the detectors that compare
    meaning with last period's narrative (NQ01, NQ03, NQ11); by default it is on whenever a
    submission has a previous narrative, since only those detectors use it. `gates` applies
    the learned gates in models/ (see learning.py) to the findings they were chosen for."""
    rules = tuple(rules) if rules is not None else load_catalogue()
    for rule in rules:
        if rule.detector not in KINDS:
            raise ConfigError("NQE011", f"{rule.code} names an unknown detector "
                              f"'{rule.detector}'", Location(str(rule.path)))
    analyses = _analyse_all(submissions)
    if semantic is None:
        semantic = settings.semantic
    similarity = _embed_for_comparison(submissions, analyses) if semantic else None
    results = []
    for sub in submissions:
        results.append(_assess_one(sub, analyses, settings, rules, similarity))
        if progress:
            progress(1)
    if gates:
        from narrative_qa.learning import (
            apply_gates,
            load_gates,
            low_confidence_codes,
            mark_low_confidence,
        )

        chosen = load_gates()
        if chosen:
            apply_gates(results, chosen)
        mark_low_confidence(results, low_confidence_codes())
        if chosen or low_confidence_codes():
            for assessment in results:
                if assessment.verdict != "error":
                    assessment.verdict, assessment.score = verdict_and_score(
                        assessment.findings, settings)
    return results


def _analyse_all(submissions: list[Submission]) -> dict[str, Analysis]:
    """Parse each distinct text once; a quarter's previous narratives often repeat."""
    texts: dict[str, None] = {}
    for sub in submissions:
        if sub.blocked:
            continue
        texts[sub.narrative] = None
        if sub.previous_narrative:
            texts[sub.previous_narrative] = None
    unique = list(texts)
    return dict(zip(unique, analyse_texts(unique), strict=True))


def _embed_for_comparison(submissions: list[Submission],
                          analyses: dict[str, Analysis]) -> Similarity | None:
    """Embed, in one batch, the sentences that will be compared with last period's."""
    texts: dict[str, None] = {}
    for sub in submissions:
        if sub.blocked or not sub.previous_narrative:
            continue
        for analysis in (analyses[sub.narrative], analyses[sub.previous_narrative]):
            texts[analysis.text] = None
            texts.update(dict.fromkeys(s.text for s in analysis.content() if s.text))
    if not texts:
        return None
    from narrative_qa.language.embeddings import default_embedder

    unique = list(texts)
    return Similarity(dict(zip(unique, default_embedder().embed(unique), strict=True)))


def _assess_one(sub: Submission, analyses: dict[str, Analysis], settings: Settings,
                rules: tuple[Rule, ...], similarity: Similarity | None = None) -> Assessment:
    facts = data_facts(sub, settings.rag)
    if sub.blocked:
        return Assessment(sub, facts, [], "error", None)
    ctx = Context(
        submission=sub, facts=facts, analysis=analyses[sub.narrative],
        previous=analyses.get(sub.previous_narrative) if sub.previous_narrative else None,
        settings=settings, similarity=similarity,
    )
    findings: list[Finding] = []
    for rule in rules:
        if rule.scope == "amber-or-red" and not facts.held_to_all:
            continue
        try:
            hits = KINDS[rule.detector](ctx, rule.params)
        except Exception as exc:  # one record's failure must not stop the quarter
            sub.problems.append(RowProblem(
                "NQE026", f"{rule.code} could not be checked ({type(exc).__name__}: {exc})",
                sub.location))
            continue
        findings.extend(to_finding(rule, hit) for hit in hits)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.code))
    verdict, score = verdict_and_score(findings, settings)
    return Assessment(sub, facts, findings, verdict, score)


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
    severities = {f.severity for f in counted}
    if "high" in severities:
        verdict = "not-acceptable"
    elif "medium" in severities:
        verdict = "revise"
    else:
        verdict = "ready"
    score = 100 - sum(settings.penalties[f.severity] for f in counted)
    return verdict, max(0, score)
