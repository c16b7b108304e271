"""NQ07: an action offered for this KPI that the pair model judges unlikely to move it.

Why a module of its own: the judgement is a learned model of the pair (action, KPI), not a
tag of one sentence, so no generic kind covers it. The model (language/pairs.py) gives
each offered action a calibrated P(relevant) from its words, the words it shares with the
KPI and the service (the features chosen on out-of-fold training pairs and dev, see
models/CARD.md); an action below the model's threshold (chosen there for precision) that
states no mechanism is flagged, and the finding's confidence is the model's probability
that the action is not relevant.
"""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.pairs import Pair, load_pair_model
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.readers import load_readers

KIND = "irrelevant_activity"
NEEDS: frozenset[str] = frozenset({"readers"})
PARAMS: dict[str, type] = {}
ACTION_TAGS = ("action_planned", "action_continuing", "action_taken")


def offered_actions(ctx: Context) -> list[Sentence]:
    """The sentences that offer an action: the analysis found one, or a reader reads an
    action tag at its own threshold. A causal sentence that is not a plan explains the
    change ("the fall reflects the module refresh"); it offers nothing."""
    readers = load_readers()
    reading = [ctx.readings[tag] for tag in ACTION_TAGS]
    at = [float(readers.thresholds[readers.tags.index(tag)]) for tag in ACTION_TAGS]
    out = []
    for n, sentence in enumerate(ctx.sentences):
        read = any(p[n] >= t for p, t in zip(reading, at, strict=True))
        planned = sentence.action is not None and sentence.action.kind == "planned"
        if (sentence.action or read) and not (sentence.causal and not planned):
            out.append(sentence)
    return out


def pairs_of(ctx: Context, sentences: list[Sentence]) -> list[Pair]:
    sub = ctx.submission
    return [Pair(s.text, sub.kpi_name or "", sub.unit or "", sub.service or "")
            for s in sentences]


def detect(ctx: Context, params: dict) -> list[Hit]:
    offered = offered_actions(ctx)
    if not offered:
        return []
    relevance, flags = load_pair_model().flagged(pairs_of(ctx, offered))
    flagged = [(s, float(p)) for s, p, flag in zip(offered, relevance, flags, strict=True)
               if flag]
    if not flagged:
        return []
    return [Hit(
        evidence=[s for s, _ in flagged],
        values={"activities": joined([f"'{short(s.text, 12)}'" for s, _ in flagged]),
                "kpi": ctx.submission.kpi_name or "this KPI"},
        confidence=round(max(1 - p for _, p in flagged), 3),
        details={"relevance": [round(p, 3) for _, p in flagged]},
    )]
