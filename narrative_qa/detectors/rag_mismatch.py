"""NQ09: the stated RAG differs from the RAG the data give, or a qualitative RAG is unjustified."""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.words import compile_all

KIND = "rag_mismatch"
NEEDS: frozenset[str] = frozenset()
PARAMS = {
    "confidence": float,
    "confidence_polarity_guessed": float,
    "confidence_qualitative": float,
    "justification": list[str],
}


def detect(ctx: Context, params: dict) -> list[Hit]:
    sub, facts = ctx.submission, ctx.facts
    if sub.stated_rag is None:
        return []
    if facts.qualitative:
        # Case Study 2: the basis must be recorded, so a progress word needs its evidence
        # (a figure or a date) beside it: "on track" alone is not a justification.
        justified = compile_all(params["justification"])
        reasons = [s for s in ctx.sentences
                   if justified.search(s.text) and (s.figures or s.timescales)]
        if reasons:
            return []
        return [Hit(
            evidence=[f"Submitted data: target '{sub.target}', RAG stated {sub.stated_rag}"],
            values={"problem": f"the RAG is given as {sub.stated_rag} for a qualitative "
                    "indicator but the narrative does not say why",
                    "stated": sub.stated_rag, "computed": "a judgement"},
            confidence=params["confidence_qualitative"],
            details={"stated": sub.stated_rag, "qualitative": True},
        )]
    if facts.rag_computed is None or facts.rag_computed == sub.stated_rag:
        return []
    colour = compile_all([r"\b(?:red|amber|green|rag)\b"])
    data_line = (f"Submitted data: target {_num(sub.target)}, actual {_num(sub.actual)}, "
                 f"RAG stated {sub.stated_rag}")
    confidence = params["confidence"]
    if sub.polarity_inferred:
        confidence = params["confidence_polarity_guessed"]
    return [Hit(
        evidence=[data_line, *[s for s in ctx.sentences if colour.search(s.text)]],
        values={
            "problem": f"the RAG is given as {sub.stated_rag} but a target of "
            f"{_num(sub.target)} and an actual of {_num(sub.actual)} "
            f"({facts.variance_pct:g}% outwith target, "
            f"{'higher' if sub.polarity == 'up' else 'lower'} is better) make it "
            f"{facts.rag_computed}",
            "stated": sub.stated_rag, "computed": facts.rag_computed,
        },
        confidence=confidence,
        details={"stated": sub.stated_rag, "computed": facts.rag_computed,
                 "variance_pct": facts.variance_pct, "polarity": sub.polarity,
                 "polarity_guessed": sub.polarity_inferred},
    )]


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
