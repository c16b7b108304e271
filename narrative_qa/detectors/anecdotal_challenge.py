"""NQ04: a challenge is blamed with no figure for its scale in that sentence or the next.

A figure counts only if it measures the same challenge: it must sit within a few words of
one of that challenge's measure words ("6.5 WTE vacancies", "referrals rose 23%"), with no
causal link in between ("fell to 51% due to staffing" gives the KPI, not the staffing gap),
and it must not be one of the KPI's own values (this period's or the previous actual):
"the 740 visits we made this year reflect our capacity" gives the KPI, not the capacity;
nor the KPI's distance from its aim ("6 points below target"); nor, in the next sentence,
what something is expected to do ("which is expected to reduce the forecast to £87m").
A challenge the reading layer finds in words no list names is measured by a figure just
after the word blaming it or naming what it caused ("caused 6 of the 29 late meetings").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narrative_qa.data_checks import on_one_scale, readings
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Figure, Sentence
from narrative_qa.language.quoting import joined
from narrative_qa.language.words import compile_all, stem
from narrative_qa.specs.params import Count, Share

KIND = "anecdotal_challenge"
NEEDS = frozenset({"readers"})
PARAMS = {
    "confidence": Share,
    "window_words": Count,
    "gap_measures": list[str],
    "cue_reach_chars": Count,
    "blame_cues": list[str],
    "causal_between": list[str],
    "blame_after": list[str],
    "effect_cues": list[str],
    "figure_labels": list[str],
    "off_aim_after": str,
    "proportion": str,
    "not_a_proportion_after": list[str],
    "challenges": dict[str, dict],
    "reader_tag": str,
    "reader_at_least": Share,
    "forecast_cues": list[str],
    "not_blamed": list[str],
    "gains": list[str],
    "time_lost": list[str],
    "setbacks": list[str],
}


@dataclass(frozen=True)
class _NotScale:
    """What marks a figure as no challenge's scale: one of the KPI's own values, a stage's
    label before it ("Release 3"), or the KPI's distance from its aim after it ("6 points
    below target")."""

    own: frozenset[float]
    label: re.Pattern[str]
    off_aim: re.Pattern[str]

    def __call__(self, figure: Figure, text: str) -> bool:
        return (not _scale_figure(figure) or _own_value(figure, self.own)
                or bool(self.label.search(text[:figure.start]))
                or bool(self.off_aim.match(text, figure.end)))


# A figure before a measure word counts it only within one clause.
_CLAUSE_BREAK = re.compile(r"[,;:]")


def _measured(sentence: Sentence, measure: re.Pattern[str], window: int,
              causal: re.Pattern[str], not_scale: _NotScale, until: int | None = None,
              lost: re.Pattern[str] | None = None) -> bool:
    """Whether a figure (before `until`, when given) measures the challenge: beside one of
    its measure words with no causal link between, and, when the figure comes first, in
    the same clause as the word. A time beside a word of time `lost` ("an eight week
    slippage", "a further six months") measures whatever challenge caused it."""
    text = sentence.text
    for figure in sentence.figures:
        if not_scale(figure, text) or (until is not None and figure.start >= until):
            continue
        words = (measure, lost) if lost is not None and figure.kind == "duration" else (measure,)
        for match in (m for w in words for m in w.finditer(text)):
            if match.start() >= figure.end:
                between = text[figure.end: match.start()]
                if _CLAUSE_BREAK.search(between):
                    continue  # "over the last three cycles, some staff turnover": the
                    # figure counts what the clause before names, not the challenge after
            elif match.end() <= figure.start:
                between = text[match.end(): figure.start]
            else:
                between = ""  # overlapping: "6.5 WTE"
            if len(between.split()) <= window and not causal.search(between):
                return True
    return False


def _in_cause(sentence: Sentence, cues: re.Pattern[str], window: int,
               not_scale: _NotScale) -> bool:
    """A figure within `window` words after a word naming the cause ("because 22 cases
    transferred in") or what it caused ("caused 6 of the 29 late meetings"), in the same
    clause: the scale of the challenge the sentence blames, whatever words name it."""
    text = sentence.text
    for figure in sentence.figures:
        if not_scale(figure, text):
            continue
        for match in cues.finditer(text[:figure.start]):
            between = text[match.end(): figure.start]
            if len(between.split()) <= window and not re.search(r"[;:]", between):
                return True
    return False


def _own_values(ctx: Context) -> frozenset[float]:
    """The KPI's actual and previous actual, each as a % cell may be written. (A target is
    left out: "below the target of 80% due to fewer requests" is read as the labels read it.)"""
    _, actual, previous = on_one_scale(ctx.submission)
    return frozenset(r for v in (actual, previous) if isinstance(v, float)
                     for r in readings(v, ctx.submission.unit))


def _own_value(figure: Figure, own: frozenset[float]) -> bool:
    return figure.value is not None and any(abs(figure.value - v) < 1e-9 for v in own)


def _scale_figure(figure: Figure) -> bool:
    return figure.kind in {"percent", "money", "wte", "count", "rate", "duration"}


def detect(ctx: Context, params: dict) -> list[Hit]:
    blame = compile_all(params["blame_cues"])
    causal = compile_all(params["causal_between"])
    window = params["window_words"]
    # a lookbehind per noun: each is of fixed width, as Python's must be
    proportion = ["".join(f"(?<!{re.escape(noun)} )" for noun in params["not_a_proportion_after"])
                  + params["proportion"]]
    challenges = {
        name: (compile_all(spec["terms"]), compile_all(spec["measures"] + proportion))
        for name, spec in params["challenges"].items()
    }
    reach = params["cue_reach_chars"]
    after = compile_all(params["blame_after"])
    in_cause = compile_all(params["blame_after"] + params["effect_cues"])
    # the labels end where the figure starts: "... Release " before "3"
    label = compile_all([f"(?:{p})\\s*$" for p in params["figure_labels"]])
    gap = compile_all(params["gap_measures"])
    not_scale = _NotScale(_own_values(ctx), label, compile_all([params["off_aim_after"]]))
    sentences = ctx.sentences
    unmeasured: list[tuple[Sentence, str, str]] = []
    forecast = compile_all(params["forecast_cues"])
    lost = compile_all(params["time_lost"])
    nothing = re.compile(r"(?!)")  # no measure word: only a time lost measures

    def measured_near(position: int, measure: re.Pattern[str]) -> bool:
        """A figure measures the challenge in its sentence or the next (FINDINGS.md NQ04);
        a plan's figures ("we will recruit two") do not measure the problem, unless they
        count the gap itself ("recruiting to 2 vacant posts")."""
        sentence = sentences[position]
        if _measured(sentence, measure, window, causal, not_scale, lost=lost):
            return True
        nxt = sentences[position + 1] if position + 1 < len(sentences) else None
        # what a plan is expected to do is no figure of the challenge: "..., which is
        # expected to reduce the forecast to £87m"
        cue = forecast.search(nxt.text) if nxt is not None else None
        until = cue.start() if cue else None
        if nxt is None or not _measured(nxt, measure, window, causal, not_scale, until, lost):
            return False
        planned = nxt.action is not None and nxt.action.kind != "taken"
        return not planned or _measured(nxt, gap, window, causal, not_scale)

    def measured_after(sentence: Sentence) -> bool:
        """A challenge the reading layer found that names a listed one ("staffing") is
        measured as a listed one is."""
        position = sentences.index(sentence)
        return any(terms.search(sentence.text) and measured_near(position, measure)
                   for terms, measure in challenges.values())

    cleared = compile_all(params["not_blamed"])
    gains, setbacks = compile_all(params["gains"]), compile_all(params["setbacks"])

    def only_gains(text: str) -> bool:
        """A variance put down to savings or a smaller requirement, with no setback beside
        them, blames no challenge ("the underspend reflects a reduced hosting requirement")."""
        return bool(gains.search(text)) and not setbacks.search(text)

    for position, sentence in enumerate(sentences):
        if cleared.search(sentence.text):
            continue  # "the issues ... do not pose a risk to delivery": nothing is blamed
        cues = [m.span() for m in blame.finditer(sentence.text)]
        # "due to A, B and C" blames every cause it lists, however long the list.
        since = min((m.end() for m in after.finditer(sentence.text)), default=None)
        if not cues and since is None:
            continue
        for name, (terms, measure) in challenges.items():
            term = next((t for t in terms.finditer(sentence.text)
                         if stem(t.group(0).lower()) not in ctx.kpi_terms
                         and (any(abs(t.start() - a) <= reach or abs(b - t.end()) <= reach
                                  or a <= t.start() < b for a, b in cues)
                              or (since is not None and t.start() >= since))), None)
            if not term:
                continue  # e.g. "sickness" in the narrative of a sickness-absence KPI
            if measured_near(position, measure):
                continue
            unmeasured.append((sentence, name, term.group(0)))
    # The reading layer finds challenges in the world's words that no list names; its
    # probability is the confidence, so a finding it rests on ranks by its evidence.
    probability = dict(zip(map(id, sentences), ctx.readings[params["reader_tag"]],
                           strict=True))
    listed = {id(s) for s, _, _ in unmeasured}
    read = [s for s in ctx.read_as(params["reader_tag"], params["reader_at_least"])
            if id(s) not in listed and not cleared.search(s.text) and not only_gains(s.text)
            and not measured_after(s) and not measured_near(sentences.index(s), nothing)
            and not _in_cause(s, in_cause, window, not_scale)]
    if not unmeasured and not read:
        return []
    named = []
    for _, _, term in unmeasured:
        if term.lower() not in [n.lower() for n in named]:
            named.append(term)
    evidence = sorted([s for s, _, _ in unmeasured] + read, key=sentences.index)
    quoted = [f"'{t}'" for t in named] + (["the challenge quoted"] if read else [])
    return [Hit(
        evidence=evidence,
        values={"challenges": joined(quoted)},
        confidence=max([params["confidence"]] * bool(unmeasured)
                       + [probability[id(s)] for s in evidence]),
        details={"challenges": sorted({n for _, n, _ in unmeasured}),
                 "read": len(read)},
    )]
