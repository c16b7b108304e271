"""NQ02: every planned or continuing action needs a timescale and an expected impact.

An action's own sentence counts, and so does a sentence that follows it without stating
an action of its own ("This should clear the backlog by March"). A timescale or impact
stated for the actions as a whole ("Expected impact: ...", "Together these measures ...")
covers every action before it.

The reading layer (language/readers.py) widens and narrows what counts as an action: a
sentence read as a planned or continuing action at `reader_action_at_least` is one even
where no action verb is listed (a passive "work is in hand to ...", a programme as the
subject), and an action the verb lists found is not offered as a remedy when both readers
put it below `reader_action_veto` (a verb inside an explanation of the rating), unless the
sentence opens on the service committing itself to it ("We will recruit ...", or the
service named as a body: "The agency will cross-train ..."; a hyphened verb is read by its
last part). A thing the service puts in place said to start ("A new rota will go live in
November") is a planned action though no one is named as doing it. A date
counts as a timescale only in a sentence read as one at `reader_timescale_confirm`: a
date that says when something was is not when an action will be done; and a sentence
read as one at `reader_timescale_at_least` has one, whatever its words. For a project's
delivery (the actual is a rating or an end date) a dated action is a milestone, and
delivering it is the change to the measure (LABELLING.md §3 NQ02). A sentence matching
`not_offered` states no remedy, whatever its verbs: work going as planned, a change to
the target or to how the measure is reported, a project's own aims, watching closely
(routine business, LABELLING.md §3 NQ02). An impact need not be a figure: a sentence with
an impact cue read as `expected_impact` at `reader_impact_at_least` has one (the impact
says by how much only "where it can"). Where none of this finds an action without a
forecast, a sentence the evidence reader (specs/tags.py EVIDENCE_TAGS, trained on the
sentences the labellers quoted for NQ02) reads at `evidence_alone_at_least` is one, unless
`not_offered` says it is no remedy or it or the next sentence gives both. The thresholds
are chosen on the real corpus's out-of-fold train split and dev, never on test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from narrative_qa.data_checks import is_delivery
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Action, Sentence
from narrative_qa.language.lexicon import shared
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.words import compile_all, stem
from narrative_qa.specs.params import Share

KIND = "no_forecast"
NEEDS: frozenset[str] = frozenset({"readers"})
PARAMS = {
    "confidence": Share,
    "confidence_nominal": Share,
    "collective_cues": list[str],
    "reader_action_at_least": Share,
    "reader_action_veto": Share,
    "reader_timescale_confirm": Share,
    "reader_timescale_at_least": Share,
    "reader_impact_margin": Share,
    "reader_impact_at_least": Share,
    "milestone_is_impact": bool,
    "not_offered": list[str],
    "evidence_alone_at_least": Share,
    "bodies": list[str],
    "plan_starts": list[str],
    "not_interventions": list[str],
}
OFFERED = {"planned", "continuing"}
EVIDENCE_TAG = "evidence_NQ02"


def _read(ctx: Context, tag: str) -> dict[int, float]:
    """Each content sentence's probability of `tag`, by sentence index."""
    return {s.index: p for s, p in zip(ctx.sentences, ctx.readings[tag], strict=True)}


def _no_remedy(params: dict) -> Callable[[Sentence], bool]:
    """Whether a sentence offers no remedy, whatever reads an action in it: one under an
    impact, timescale or progress heading, a change to the measure or its target, or
    progress to plan, a change to how the measure is reported, or aims (`not_offered`)."""
    measure = compile_all(shared("measure_changes"))
    not_offered = compile_all(params["not_offered"])
    return lambda s: (s.section in {"impact", "timescale", "progress"} or not s.text
                      or bool(measure.search(s.text)) or bool(not_offered.search(s.text)))


def _offered(ctx: Context, params: dict) -> list[tuple[Sentence, Action]]:
    """The actions offered as the remedy, each with the sentence stating it: those the
    patterns find, unless the readers read neither kind in them, and those the readers
    read as planned or continuing (and not clearly more, by
    `reader_impact_margin`, as an expected impact)."""
    planned, continuing = _read(ctx, "action_planned"), _read(ctx, "action_continuing")
    impact = _read(ctx, "expected_impact")
    challenge = _read(ctx, "challenge_without_figure")
    no_remedy = _no_remedy(params)
    commitment = _commitment(tuple(params["bodies"]))
    own = _own_actions(ctx.analysis.sentences)
    starts = _starting(ctx, params)
    out = []
    for s in ctx.sentences:
        if no_remedy(s):
            continue
        read = max(planned[s.index], continuing[s.index])
        offered = s.index in own and own[s.index].kind in OFFERED
        committed = offered and bool(commitment.match(s.text))
        if challenge[s.index] > read and not committed:
            continue  # read more as a challenge than an action: "pressures continue to bite"
        if offered:
            # Under an "Actions:" heading the line is an action however the readers, trained
            # on prose, read it ("An extra weekly clinic in the North West"): the heading says so.
            if read >= params["reader_action_veto"] or committed or s.section == "actions":
                out.append((s, own[s.index]))
        elif (read >= params["reader_action_at_least"]
              and impact[s.index] <= read + params["reader_impact_margin"]):
            # A sentence read clearly more as an expected impact than as an action says
            # what will change ("this will lift ..."), not a new action; one read about
            # as much as both offers the remedy with its hoped-for effect.
            kind = "planned" if planned[s.index] >= continuing[s.index] else "continuing"
            out.append((s, Action(s.index, kind, "", short(s.text, 12))))
        elif s.index not in own and read >= params["reader_action_veto"] and starts(s):
            out.append((s, Action(s.index, "planned", "", short(s.text, 12))))
    return out


def _starting(ctx: Context, params: dict) -> Callable[[Sentence], bool]:
    """Whether a sentence says an intervention will start ("A new duty rota will go live in
    November", "A weekly huddle is planned from next month"): a thing the service puts in
    place as the subject of a plan (`plan_starts`), not the indicator (a word of the KPI's
    name) nor what is measured or demanded (`not_interventions`: "performance will
    start to ...")."""
    predicate = compile_all(params["plan_starts"])
    not_things = set(params["not_interventions"])

    def starts(sentence: Sentence) -> bool:
        root = sentence.span.root
        subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None or subject.pos_ != "NOUN":
            return False
        head = subject.lemma_.lower()
        if head in not_things or stem(subject.lower_) in ctx.kpi_terms:
            return False
        rest = sentence.span.doc.text[subject.right_edge.idx + len(subject.right_edge):
                                      sentence.span.end_char]
        return bool(predicate.match(rest))

    return starts


def _own_actions(sentences: list[Sentence]) -> dict[int, Action]:
    """Each sentence's action, by index, but for one read only from an "Actions" heading
    (no verb) in a sentence that goes on a line another began: the heading makes each line
    an action, not each sentence of one ("Actions: we will open ... . We expect this to
    cut waits to 210 by Q3" is one action and its impact)."""
    whole = sentences[0].span.doc.text if sentences else ""
    own = {s.index: s.action for s in sentences if s.action}
    for s in sentences:
        if s.index not in own and (verb := _hyphened().search(s.text)):
            # "will cross-train staff": the parser reads the verb's last part as a word
            # of the object; the part after the hyphen is the action
            own[s.index] = Action(s.index, "planned", verb["verb"].lower(),
                                  short(s.text[verb.start("whole"):], 12))
    for before, s in zip(sentences, sentences[1:], strict=False):
        # a sentence opening on its own heading ("Action: ...") begins an item
        if (s.index in own and own[s.index].verb == "" and s.section == "actions"
                and not before.heading_only and "\n" not in whole[before.start: s.start]
                and s.span.text.strip() == s.text):
            del own[s.index]
    return own


def _verbs_and_markers() -> tuple[str, str]:
    """The lexicon's action verbs (strong and weak) and commitment markers, as
    alternations for a pattern."""
    verbs = "|".join([*shared("action_verbs")["strong"], *shared("action_verbs")["weak"]])
    return verbs, "|".join(shared("commitment_markers"))


@lru_cache(maxsize=1)
def _hyphened() -> re.Pattern[str]:
    """A planned action whose verb is hyphened ("will cross-train", "will re-open")."""
    verbs, markers = _verbs_and_markers()
    return re.compile(rf"\b(?:{markers})\s+(?:\w+\s+)?(?P<whole>[a-z]+-(?P<verb>{verbs}))\b",
                      re.I)


@lru_cache(maxsize=4)
def _commitment(bodies: tuple[str, ...]) -> re.Pattern[str]:
    """A sentence that opens on the service committing itself to a plain action ("We will
    recruit two social workers ...", "The agency will cross-train ...", "the council will
    use bank staff ..."): a plan whatever the readers make of it. The service may be named
    as a body (`bodies`); with the service as subject, a weak verb is an action too."""
    agents = "|".join([re.escape(a) for a in shared("agents")]
                      + [rf"(?:the|our) (?:\w+ )?{b}" for b in bodies])
    verbs, markers = _verbs_and_markers()
    return re.compile(rf"\s*(?:{agents})\s+(?:{markers})\s+(?:\w+\s+)?(?:[a-z]+-)?"
                      rf"(?:{verbs})\w*\b", re.I)


def _covering(ctx: Context, params: dict) -> Callable[[Sentence], tuple[bool, bool]]:
    """Whether a sentence gives a timescale, and an expected impact. A date the readers do
    not read as a timescale is when something was, not when it will be ("the rating at Q2
    (30 September)"); a sentence they read as one surely is, dated or not. A period in the
    KPI's name is the measure's, not the action's."""
    timed, impact = _read(ctx, "timescale"), _read(ctx, "expected_impact")
    # The KPI's own wording ("decisions within 28 days") says what is measured, not when
    # the action happens.
    name = " ".join((ctx.submission.kpi_name or "").lower().split())

    def covers(sentence: Sentence) -> tuple[bool, bool]:
        own = [t for t in sentence.timescales if " ".join(t.lower().split()) not in name]
        # under an "Actions:" heading a date is when the action happens
        return ((bool(own) and (timed[sentence.index] >= params["reader_timescale_confirm"]
                                or sentence.section == "actions"))
                or timed[sentence.index] >= params["reader_timescale_at_least"],
                sentence.impact == "quantified"
                or (sentence.impact == "unquantified"
                    and impact[sentence.index] >= params["reader_impact_at_least"]))

    return covers


def detect(ctx: Context, params: dict) -> list[Hit]:
    if ctx.facts.qualitative and any(s.timescales for s in ctx.sentences):
        return []  # a milestone KPI's target is itself the impact; a date covers the plan
    return _by_actions(ctx, params) or _by_evidence_reader(ctx, params)


def _by_evidence_reader(ctx: Context, params: dict) -> list[Hit]:
    """Where no action the rules find lacks a forecast: the sentences the reading layer
    reads clearly as what the labellers quote for NQ02 (a remedy offered with no timescale
    or no expected impact; `evidence_alone_at_least`), unless it offers no remedy by the
    same words as any action (`_no_remedy`) or it or the sentence after it gives both."""
    sentences = ctx.sentences
    covers, by_index = _covering(ctx, params), {s.index: s for s in sentences}
    acting = set(_own_actions(ctx.analysis.sentences))
    no_remedy = _no_remedy(params)
    gaps = []
    for sentence, p in zip(sentences, ctx.readings[EVIDENCE_TAG], strict=True):
        if p < params["evidence_alone_at_least"] or no_remedy(sentence):
            continue
        has_time, has_impact = _with_follower(sentence, covers, by_index, acting)
        missing = [m for m, ok in (("timescale", has_time), ("expected impact", has_impact))
                   if not ok]
        if missing:
            gaps.append((sentence, f"'{short(sentence.text, 10)}' offers a remedy with no "
                                   f"{joined(missing)}", missing))
    if not gaps:
        return []
    return [Hit(
        evidence=[s for s, _, _ in gaps],
        values={"gaps": "; ".join(d for _, d, _ in gaps),
                "missing": joined(sorted({m for *_, ms in gaps for m in ms}))},
        confidence=params["confidence_nominal"],
        details={"actions": [{"action": short(s.text, 12), "kind": "read", "missing": ms}
                             for s, _, ms in gaps]},
    )]


def _with_follower(sentence: Sentence, covers: Callable[[Sentence], tuple[bool, bool]],
                   by_index: dict[int, Sentence], acting: set[int]) -> tuple[bool, bool]:
    """Whether a remedy has a timescale and an expected impact, in its sentence or the
    next unless the next offers an action of its own (it then speaks for that one)."""
    has_time, has_impact = covers(sentence)
    follower = by_index.get(sentence.index + 1)
    if follower is not None and follower.index not in acting:
        more_time, more_impact = covers(follower)
        has_time, has_impact = has_time or more_time, has_impact or more_impact
    return has_time, has_impact


def _by_actions(ctx: Context, params: dict) -> list[Hit]:
    """The actions offered as the remedy (`_offered`) that lack a timescale or an impact
    in their sentence, the next, or a statement covering them all."""
    sentences = ctx.sentences
    collective = compile_all(params["collective_cues"])
    not_remedies = set(shared("watching_verbs"))
    offered = _offered(ctx, params)
    # Watching is a remedy only when it is the only next step offered.
    actions = [(s, a) for s, a in offered if a.verb not in not_remedies] or offered
    if not actions:
        return []
    covers = _covering(ctx, params)
    acting = set(_own_actions(ctx.analysis.sentences)) | {s.index for s, _ in offered}
    only_one = len(acting) == 1
    # Statements that cover the actions before them as a whole.
    shared_time, shared_impact = False, False
    last_action_index = max(s.index for s, _ in actions)
    for sentence in sentences:
        general = (sentence.index not in acting or sentence.section in {"impact", "timescale"}
                   or collective.search(sentence.text))
        if general and (sentence.index > last_action_index or only_one
                        or sentence.section in {"impact", "timescale"}
                        or collective.search(sentence.text)):
            has_time, has_impact = covers(sentence)
            shared_time |= has_time
            shared_impact |= has_impact
    by_index = {s.index: s for s in sentences}
    # A project's dated action is a milestone: delivering it is the change to the measure.
    milestones = params["milestone_is_impact"] and is_delivery(ctx.submission.actual)
    gaps = []
    for number, (sentence, action) in enumerate(actions, start=1):
        has_time, has_impact = _with_follower(sentence, covers, by_index, acting)
        # A milestone is the action dated in its own words, not by a date for them all.
        has_impact |= shared_impact or (has_time and milestones)
        has_time |= shared_time
        if has_time and has_impact:
            continue
        missing = [m for m, ok in (("timescale", has_time), ("expected impact", has_impact))
                   if not ok]
        present = "a timescale" if has_time else ("an expected impact" if has_impact else "")
        vague = f" ('{sentence.vague_timing[0]}' is not a timescale)" if (
            sentence.vague_timing and not has_time) else ""
        description = (f"action {number} ('{short(action.summary, 10)}') has "
                       f"{present + ' but ' if present else ''}no {joined(missing)}{vague}")
        gaps.append((sentence, action, description, missing))
    if not gaps:
        return []
    missing_all = sorted({m for *_, ms in gaps for m in ms})
    confidence = params["confidence"]
    if all(a.verb == "" for _, a, _, _ in gaps):
        confidence = params["confidence_nominal"]
    return [Hit(
        evidence=[s for s, *_ in gaps],
        values={"gaps": "; ".join(d for _, _, d, _ in gaps), "missing": joined(missing_all)},
        confidence=confidence,
        details={"actions": [{"action": a.summary, "kind": a.kind, "missing": ms}
                             for _, a, _, ms in gaps]},
    )]
