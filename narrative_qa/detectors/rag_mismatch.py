"""NQ09: the stated RAG differs from the RAG the data give, or a qualitative RAG is unjustified."""

from __future__ import annotations

from dataclasses import replace

from narrative_qa.data_checks import data_facts
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.ratings import rating_moves, rating_rank
from narrative_qa.language.words import compile_all
from narrative_qa.specs.params import Share

KIND = "rag_mismatch"
NEEDS: frozenset[str] = frozenset({"readers"})
PARAMS = {
    "confidence": Share,
    "confidence_polarity_guessed": Share,
    "confidence_qualitative": Share,
    "justification": list[str],
    "rating_named": list[str],
    "rating_reason": list[str],
    "rating_back_reference": list[str],
    "risk_reader_tag": str,
    "risk_reader_at_least": Share,
    "rating_risks": list[str],
    "not_risks": list[str],
    "current_rating": list[str],
    "move_forecast": list[str],
    "reason_only_source": list[str],
    "progress_made": list[str],
    "progress_justifies_from": str,
    "evidence_justifies_from": str,
    "rating_gap": list[str],
    "gap_justifies_from": str,
}


def detect(ctx: Context, params: dict) -> list[Hit]:
    sub, facts = ctx.submission, ctx.facts
    if facts.rag_computed is None and not facts.qualitative:
        return _unjustified_rating(ctx, params)
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
                    **_unexplained(sub.stated_rag)},
            confidence=params["confidence_qualitative"],
            details={"stated": sub.stated_rag, "qualitative": True},
        )]
    if facts.rag_computed is None or facts.rag_computed == sub.stated_rag:
        return []
    colour = compile_all([r"\b(?:red|amber|green|rag)\b"])
    data_line = (f"Submitted data: target {_num(sub.target)}, actual {_num(sub.actual)}, "
                 f"RAG stated {sub.stated_rag}")
    way = "higher" if sub.polarity == "up" else "lower"
    values = f"a target of {_num(sub.target)} and an actual of {_num(sub.actual)}"
    # With no polarity given, a stated RAG that the data give neither way round is wrong
    # whatever the indicator's direction: the arithmetic settles it, not the guess.
    other = _rag_other_way(ctx) if sub.polarity_inferred else None
    settled = not sub.polarity_inferred or other != sub.stated_rag
    if not sub.polarity_inferred:
        figures = (f"{values} ({facts.variance_pct:g}% outwith target, {way} is better) "
                   f"make it {facts.rag_computed}")
    elif other == facts.rag_computed:
        figures = (f"{values} ({facts.variance_pct:g}% outwith target) make it "
                   f"{facts.rag_computed} whichever way the indicator points")
    elif settled:
        figures = (f"{values} make it {facts.rag_computed} if {way} is better and {other} "
                   f"if not (no polarity was given): {sub.stated_rag} fits neither")
    else:
        figures = (f"{values} ({facts.variance_pct:g}% outwith target, {way} is better as "
                   f"assumed: no polarity was given) make it {facts.rag_computed}")
    return [Hit(
        evidence=[data_line, *[s for s in ctx.sentences if colour.search(s.text)]],
        values={
            "problem": f"the RAG is given as {sub.stated_rag} but {figures}",
            "headline": "The RAG status does not match the data",
            "elt_headline": f"RAG stated {sub.stated_rag}, data give {facts.rag_computed}",
        },
        confidence=params["confidence"] if settled else params["confidence_polarity_guessed"],
        details={"stated": sub.stated_rag, "computed": facts.rag_computed,
                 "variance_pct": facts.variance_pct, "polarity": sub.polarity,
                 "polarity_guessed": sub.polarity_inferred},
        exact=settled,
    )]


def _unexplained(rating: str) -> dict[str, str]:
    """A judged rating is not wrong by the data: its basis is missing (Case Study 2)."""
    return {"headline": "The rating is not explained",
            "elt_headline": f"Rating {rating} not explained"}


def _rag_other_way(ctx: Context) -> str | None:
    """The RAG the data give if the indicator points the other way from the guess."""
    sub = ctx.submission
    flipped = replace(sub, polarity="down" if sub.polarity == "up" else "up")
    return data_facts(flipped, ctx.settings.rag).rag_computed


def _unjustified_rating(ctx: Context, params: dict) -> list[Hit]:
    """A rating with no figures to compute one from (a delivery-confidence rating as the
    actual, or a stated RAG with no numeric target): LABELLING.md asks the narrative to say
    why the body has that much or that little confidence (risks, progress, issues)."""
    sub = ctx.submission
    actual = sub.actual if isinstance(sub.actual, str) else ""
    rating = actual.strip() if rating_rank(actual) is not None else sub.stated_rag
    if not rating:
        return []
    other = _another_rating(rating, ctx.sentences, params) or _current_rating_differs(
        rating, ctx.sentences, params)
    if other:
        return [Hit(
            evidence=[other[0]],
            values={"problem": f"the rating is given as {rating} but the narrative gives it as "
                    f"{other[1]}, so its reasons are for another rating",
                    "headline": "The rating does not match the narrative",
                    "elt_headline": f"Rating {rating}, narrative gives {other[1]}"},
            confidence=params["confidence_qualitative"],
            details={"stated": rating, "qualitative": True, "narrative_rating": other[1]},
        )]
    # a sentence read as naming a challenge names an issue, unless its wording only looks
    # like one (a risk said not to arise, a risk register)
    not_risk = compile_all(params["not_risks"])
    read = frozenset(id(s) for s in ctx.read_as(params["risk_reader_tag"],
                                                 params["risk_reader_at_least"])
                     if not not_risk.search(s.text))
    if _justified(rating, ctx.sentences, params, read):
        return []
    return [Hit(
        evidence=[f"Submitted data: rating {rating}, no numeric target"],
        values={"problem": f"the rating is given as {rating} but the narrative does not say "
                "why: which risks, issues or progress give that much confidence",
                **_unexplained(rating)},
        confidence=params["confidence_qualitative"],
        details={"stated": rating, "qualitative": True},
    )]


def _another_rating(rating: str, sentences: list[Sentence], params: dict
                    ) -> tuple[Sentence, str] | None:
    """A move the narrative states to a rating other than the submitted one ('increased
    from Red to Amber' when the rating is Red): its reasons justify that rating, not this.
    A move it only expects ('should increase from Red to Amber') is not the rating now."""
    rank = rating_rank(rating)
    if rank is None:
        return None
    expected = compile_all(params["move_forecast"])
    for sentence in sentences:
        for move in rating_moves(sentence.text):
            if move.after_rank != rank and not expected.search(sentence.text[:move.start]):
                return sentence, move.after
    return None


def _current_rating_differs(rating: str, sentences: list[Sentence], params: dict
                            ) -> tuple[Sentence, str] | None:
    """The narrative states the current rating ('the rating is Green') and it is not the
    submitted one: the text and the data disagree on the rating itself."""
    rank = rating_rank(rating)
    if rank is None:
        return None
    stated = compile_all(params["current_rating"])
    for sentence in sentences:
        for m in stated.finditer(sentence.text):
            said = next((g for g in m.groups() if g), None)
            if said is not None and rating_rank(said) not in (None, rank):
                return sentence, said
    return None


def _justified(rating: str, sentences: list[Sentence], params: dict,
               read: frozenset[int] = frozenset()) -> bool:
    """Some sentence says why the body has that much or that little confidence: the risks
    or issues behind it, the rating named with its reason; and, for a rating high enough,
    progress (plain, or with its figure or date) or what is being done to raise it."""
    def said(name: str) -> bool:
        pattern = compile_all(params[name])
        return any(pattern.search(s.text) for s in sentences)

    progress = compile_all(params["justification"])
    return (any(id(s) in read or _names_risk(s.text, params) for s in sentences)
            or _rating_with_reason(sentences, params)
            or (_at_least(rating, params["progress_justifies_from"]) and said("progress_made"))
            or (_at_least(rating, params["evidence_justifies_from"]) and any(
                progress.search(s.text) and (s.figures or s.timescales) for s in sentences))
            or (_at_least(rating, params["gap_justifies_from"]) and said("rating_gap")))


def _at_least(rating: str, floor: str) -> bool:
    """The rating is `floor` or better on the Red-to-Green scale."""
    rank, least = rating_rank(rating), rating_rank(floor)
    return rank is not None and least is not None and rank >= least


def _names_risk(text: str, params: dict) -> bool:
    """A risk or issue named, once wording that only looks like one is set aside (the
    issue of a document; a risk said not to arise)."""
    return bool(compile_all(params["rating_risks"]).search(
        compile_all(params["not_risks"]).sub(" ", text)))


def _rating_with_reason(sentences: list[Sentence], params: dict) -> bool:
    """A sentence names the rating and gives a reason for it, or the next sentence gives
    the reason and refers back to it ("Rated Amber. That is down to ...")."""
    named, reason = compile_all(params["rating_named"]), compile_all(params["rating_reason"])
    back = compile_all(params["rating_back_reference"])
    # A reason that only names the review which gave the rating is its source, not a reason.
    source = compile_all(params["reason_only_source"])
    for here, after in zip(sentences, [*sentences[1:], None], strict=True):
        if not named.search(here.text):
            continue
        reasons = [here.text] if reason.search(here.text) else []
        if after is not None and back.search(after.text) and reason.search(after.text):
            reasons.append(after.text)
        if any(not source.search(text) for text in reasons):
            return True
    return False


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
