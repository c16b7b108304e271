"""Reading and checking a batch: submissions -> contexts -> embeddings -> each rule's findings.

The engine (engine.py) runs these steps in this process, or split_batch.py shares them
between processes; either way one batch makes one embedding call, from the texts the rules
ask for in submission order. A detector that fails on one record is reported on that
record (NQE026) and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from narrative_qa.assessment import Finding, Submission
from narrative_qa.catalogue import Rule
from narrative_qa.confidence import finding_features
from narrative_qa.config import Settings
from narrative_qa.data_checks import data_facts
from narrative_qa.deadline import check_time
from narrative_qa.detectors.base import (
    Context,
    Hit,
    Similarity,
    reading_texts,
    texts_to_embed,
)
from narrative_qa.errors import RowProblem
from narrative_qa.language.analysis import Analysis, analyse_texts
from narrative_qa.language.quoting import quote
from narrative_qa.language.readers import load_readers

log = logging.getLogger("narrative_qa")


def distinct_texts(submissions: list[Submission]) -> list[str]:
    """Each text to parse once, in order: a quarter's previous narratives often repeat."""
    texts: dict[str, None] = {}
    for sub in submissions:
        if sub.blocked:
            continue
        texts[sub.narrative] = None
        if sub.previous_narrative:
            texts[sub.previous_narrative] = None
    return list(texts)


def contexts_for(submissions: list[Submission], settings: Settings,
                 alongside: Callable[[], None] | None = None) -> list[Context | None]:
    """What every detector reads, one per submission, parsed in this process. `alongside`
    is called as the parse starts (see nlp.parse)."""
    unique = distinct_texts(submissions)
    analyses = dict(zip(unique, analyse_texts(unique, processes=1, alongside=alongside),
                        strict=True))
    return build_contexts(submissions, analyses, settings)


def embed(contexts: list[Context | None], rules: tuple[Rule, ...],
          semantic: bool = True) -> Similarity | None:
    """The batch's one embedding call: what the rules will compare (when `semantic`), in
    the order asked, and the sentences the reading layer reads."""
    return embed_texts(wanted_embedded(contexts, rules, semantic))


def embed_texts(texts: list[str]) -> Similarity | None:
    check_time("the embeddings")
    return _embed(texts)


def find(contexts: list[Context | None], rules: tuple[Rule, ...],
         similarity: Similarity | None, semantic: bool = True) -> list[list[Finding]]:
    """Every rule's findings on each context (none for a row that cannot be scored). The
    rules compare with `similarity` only when `semantic`; the readers always read with it."""
    for ctx in contexts:
        if ctx is not None:
            ctx.embedded = similarity
            ctx.similarity = similarity if semantic else None
    if any("readers" in r.module.NEEDS for r in rules if r.module is not None):
        load_readers()  # a missing or altered model is NQE070 for the batch, not per row
    findings: list[list[Finding]] = [[] for _ in contexts]
    _run_rules(contexts, findings, list(rules))
    return findings


def _embed(texts: list[str]) -> Similarity | None:
    """Embed, in one batch, the texts that will be compared."""
    if not texts:
        return None
    from narrative_qa.language.embeddings import default_embedder

    return Similarity(dict(zip(texts, default_embedder().embed(texts), strict=True)))


def applies(rule: Rule, ctx: Context) -> bool:
    return rule.scope != "amber-or-red" or ctx.facts.held_to_all


def wanted_embedded(contexts: list[Context | None], rules: tuple[Rule, ...],
                    semantic: bool = True) -> list[str]:
    """The texts each rule that applies will compare, once each, in the order asked."""
    return list(dict.fromkeys(t for wanted in wanted_by_context(contexts, rules, semantic)
                              for t in wanted))


def wanted_by_context(contexts: list[Context | None], rules: tuple[Rule, ...],
                      semantic: bool = True) -> list[list[str]]:
    """For each context, the texts its rules will compare (when `semantic`), in the order
    they ask, then the sentences the reading layer reads by their meaning (always: a
    forked process must never embed on its own)."""
    return [[] if ctx is None else [
        t for rule in rules if semantic and rule.module is not None and applies(rule, ctx)
        for t in texts_to_embed(rule.module, ctx, rule.params)]
        + (reading_texts(ctx) if _reads(ctx, rules) else []) for ctx in contexts]


def _reads(ctx: Context, rules: tuple[Rule, ...]) -> bool:
    """Whether the reading layer reads this narrative: a rule reads it, or any rule may
    raise a finding, whose confidence features read it (confidence.finding_features)."""
    return any(rule.module is not None and applies(rule, ctx) for rule in rules)


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
