"""NQ03: the actions listed last period are not reported on: what did they achieve?

The earlier actions are the sentences of last period's narrative that the reading layer
reads as an action (planned, continuing or taken): on real narrative the verb lists both
missed actions stated in other verbs and took descriptions ("some measures may not show
data", "vacancies reduced the visits") for actions (issue 15). Each is aligned with the
current sentences that share its distinctive words or say the same thing in other words
(sentence embeddings); it has an outcome when such a sentence reports a result with
evidence, not merely that the action is "ongoing" nor what is expected of it or of a new
plan (a forecast). A sentence that reports on "the actions reported last quarter" as a
whole, or that the reading layer reads as the outcome of an earlier action, answers for
all of them. A sentence listing several actions for one subject is answered only when
each of them is at least mentioned again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Figure, Sentence
from narrative_qa.language.clauses import token_at
from narrative_qa.language.lexicon import shared
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.readers import current_readers
from narrative_qa.language.wording import near_copy
from narrative_qa.language.words import compile_all, content_words, stem
from narrative_qa.specs.params import Count, Share

if TYPE_CHECKING:
    from spacy.tokens import Token

KIND = "no_impact_of_previous_actions"
NEEDS = frozenset({"previous", "embeddings", "readers"})
ACTION_TAGS = ("action_planned", "action_continuing", "action_taken")
CHALLENGE_TAGS = ("challenge_without_figure", "challenge_with_figure")
CAUSE_TAG = "cause_of_change"
PARAMS = {
    "confidence_none": Share,
    "confidence_some": Share,
    "min_shared_words": Count,
    "min_similarity": Share,
    "outcome_cues": list[str],
    "milestone_cues": list[str],
    "looking_back": list[str],
    "ongoing_only": list[str],
    "collective_cues": list[str],
    "progress_since_cues": list[str],
    "reader_action_at_least": Share,
    "cause_over_action": Share,
    "reader_outcome_tag": str,
    "unnamed_actions": list[str],
    "status_only": list[str],
    "done_cues": list[str],
    "forecast_modals": list[str],
    "forecast_verbs": list[str],
    "refers_back": list[str],
}


def _reports_outcome(sentence: Sentence, outcome, ongoing_only, params: dict,
                     action: Sentence | None = None) -> bool:
    """A result with evidence (a figure, or a stated effect), not just 'ongoing' nor a
    forecast. A count that `action`, the earlier action reported on, states too is its
    size, not a result ("recruitment of the two social workers is ongoing")."""
    if sentence.section == "progress":
        return True
    if _looks_ahead(sentence, params):
        return False
    figures = _new_figures(sentence, action)
    if not (outcome.search(sentence.text) or figures or _meets_milestone(sentence, params)):
        return False
    return not (ongoing_only.search(sentence.text) and not figures)


def _meets_milestone(sentence: Sentence, params: dict) -> bool:
    """A milestone the sentence tells as met, in the past or the perfect ("contract award
    was achieved in October", "the business case has been approved"): what became of the
    work, though no figure is given; not one still ahead ("is on track to be approved")."""
    return _tells_past(sentence) and bool(
        compile_all(params["milestone_cues"]).search(sentence.text))


def _looks_ahead(sentence: Sentence, params: dict) -> bool:
    """The main clause says what will or should happen, or is expected to ("we expect
    compliance to reach 60% by March", "the new team will start in December and should
    complete 45 assessments a month"), and no clause says what happened (a past or a
    perfect: "40 families were seen; 20 more will be by March"): a forecast or a plan, not what
    an action achieved."""
    root = sentence.span.root
    aux = [c.lemma_.lower() for c in root.children if c.dep_ in {"aux", "auxpass"}]
    return not _tells_past(sentence) and (
        any(a in params["forecast_modals"] for a in aux)
        or root.lemma_.lower() in params["forecast_verbs"])


def _tells_past(sentence: Sentence) -> bool:
    """A verb in the past tense ("ran", "was agreed") or the perfect ("has seen")."""
    return any(t.tag_ == "VBD" or (t.dep_ == "aux" and t.lemma_.lower() == "have")
               for t in sentence.span)


def _new_figures(sentence: Sentence, action: Sentence | None) -> list[Figure]:
    """The sentence's figures less the sizes the earlier action states itself."""
    sizes = {_count(f) for f in _sizes(action)} if action else set()
    own = {id(f) for f in _sizes(sentence) if _count(f) in sizes}
    return [f for f in sentence.figures if id(f) not in own]


def _sizes(sentence: Sentence) -> list[Figure]:
    """The counts that say how many of a thing, standing before it ("two social workers");
    not a number naming one ("Boat 4", "Gate 0", "Release 1")."""
    sizes = []
    for figure in sentence.figures:
        token = token_at(sentence, figure.start)
        if figure.kind == "count" and token is not None and token.dep_ == "nummod" and (
                token.i < token.head.i):
            sizes.append(figure)
    return sizes


def _count(figure: Figure) -> float | str:
    """A count's value, a spelt number's too ("two" is 2), else its words."""
    if figure.value is not None:
        return figure.value
    spelt = [w.casefold() for w in shared("number_words")]  # one, two, ... ten
    text = figure.text.casefold()
    return float(spelt.index(text) + 1) if text in spelt else text


def earlier_actions(ctx: Context, params: dict) -> list[Sentence]:
    """The measures last period's narrative took or promised: the sentences the reading
    layer reads as an action of any kind (more than as a challenge), and the plans the
    parse finds (a bulleted "weekend lists from September" the readers, trained on prose,
    read weakly); less watching briefs ("continue to monitor"), mentions that name no
    action, and statements of where the work stands (its aim, scope or phase, a forecast, a
    moved date), which the labelling does not count as listing actions (issue 15); nor a
    milestone told as reached, naming no action ("approval has been given", "the contract
    was placed"): that is what became of earlier work, not a measure whose outcome is owed."""
    if ctx.previous is None:
        return []
    # "Actions are in place to address this" names no action whose outcome could be told.
    unnamed = compile_all(params["unnamed_actions"])
    status = compile_all(params["status_only"])
    done = compile_all(params["done_cues"])
    measure = compile_all(shared("measure_changes"))  # "the target will be revised"
    reading = [ctx.previous_readings[tag] for tag in ACTION_TAGS]
    # "Recruitment continues to be difficult" reads a little as continuing work, more as a
    # challenge: it is the latter.
    challenge = [max(p) for p in zip(*(ctx.previous_readings[tag] for tag in CHALLENGE_TAGS),
                                     strict=True)]
    # "The variance is due to work moved into next year" reads a little as an action, more
    # as the cause of a change: it explains a figure and offers nothing whose outcome could
    # be told, whether the readers or the parse found the action (issue 15). A sentence
    # that says what its action is expected to achieve still offers one.
    cause = ctx.previous_readings[CAUSE_TAG]
    return [s for s, c, why, *p in zip(ctx.previous.content(), challenge, cause, *reading,
                                      strict=True)
            if ((params["reader_action_at_least"] <= max(p) and c < max(p))
                or (s.action and s.action.kind == "planned"))
            and (why < max(p) + params["cause_over_action"] or s.impact is not None)
            and not (s.action and s.action.verb in shared("watching_verbs"))
            and not unnamed.search(s.text) and not measure.search(s.text)
            and not _states_status(s, status)
            and not (s.action is None and _tells_past(s) and done.search(s.text))]


def _states_status(sentence: Sentence, status) -> bool:
    """Where the work stands is the sentence's statement, not said of an action it names:
    in "we will recruit two social workers, which we expect to bring compliance to 60%" the
    forecast is a clause under the action's verb, the action's expected impact."""
    verb = _action_verb(sentence)
    return any(verb is None or not _said_of(verb, sentence, match.start())
               for match in status.finditer(sentence.text))


def _action_verb(sentence: Sentence) -> Token | None:
    """The token of the verb the parse names as the sentence's action."""
    if not (sentence.action and sentence.action.verb):
        return None
    return next((t for t in sentence.span if t.lemma_.lower() == sentence.action.verb
                 and t.pos_ in {"VERB", "AUX"}), None)


def _said_of(verb: Token, sentence: Sentence, start: int) -> bool:
    """The words from `start` of the sentence's text open a clause of their own
    under `verb` (a relative, adverbial or coordinate clause), not `verb`'s own clause
    ("will now be developed" is the action's own verb, moved)."""
    first = token_at(sentence, start)
    if first is None:
        return False
    head = first  # the verb of the clause the words are in (not an auxiliary: "will")
    while not (head.pos_ in {"VERB", "AUX"} and head.dep_ not in {"aux", "auxpass"}) and (
            head.head is not head):
        head = head.head
    return head.i != verb.i and any(a.i == verb.i for a in head.ancestors)


def texts_to_embed(ctx: Context, params: dict) -> list[str]:
    """Last period's sentences (its actions are among them: which ones, the reading layer
    says, and it reads with these very embeddings), and this period's sentences that could
    report on them."""
    if ctx.previous is None:
        return []
    return [*(s.text for s in ctx.previous.content()),
            *(s.text for s in ctx.sentences
              if s.text and not (s.action and s.action.kind == "planned"))]


def detect(ctx: Context, params: dict) -> list[Hit]:
    # issue 19: forecasts falling due this period are a second source of evidence
    from narrative_qa.forecasts.evidence import with_forecasts

    return with_forecasts(ctx, _detect(ctx, params), "NQ03", params["confidence_none"])


def _detect(ctx: Context, params: dict) -> list[Hit]:
    earlier = earlier_actions(ctx, params)
    if not earlier:
        return []
    outcome = compile_all(params["outcome_cues"])
    ongoing_only = compile_all(params["ongoing_only"])
    collective = compile_all(params["collective_cues"])
    kpi = ctx.kpi_terms
    looking_back = compile_all(params["looking_back"])
    old = [s.text for s in ctx.previous.content()]
    current = [s for s in ctx.sentences
               if not (s.action and s.action.kind == "planned" and not looking_back.search(s.text))
               and not near_copy(s.text, old, 0.8)]
    # The actions as a whole ("the actions reported last quarter have ..."), or what was
    # delivered since the last report ("over the past six months we have opened ..."),
    # reported with evidence, answers for each of them.
    progress = compile_all(params["progress_since_cues"])
    if any((collective.search(s.text) or progress.search(s.text))
           and _reports_outcome(s, outcome, ongoing_only, params) for s in current):
        return []
    readers, tag = current_readers(), params["reader_outcome_tag"]
    at_least = float(readers.thresholds[readers.tags.index(tag)])
    outcome_read = {s.index for s in ctx.read_as(tag, at_least)}
    if any(s.index in outcome_read for s in current):
        return []  # read as what an earlier action achieved, in words no cue lists
    similar = ctx.similarity
    following = {s.index: n for s, n in zip(current, current[1:], strict=False)}
    missing: list[tuple[Sentence, str]] = []
    total = 0
    said = frozenset().union(*(content_words(s.text) for s in ctx.sentences))
    for sentence in earlier:
        key = _key_words(sentence, ctx.previous.content(), params) - kpi
        aligned = [
            s for s in current
            if len(key & content_words(s.text)) >= params["min_shared_words"]
            or (similar is not None and similar(sentence.text, s.text) >= params["min_similarity"])
        ]
        # The outcome may be in the aligned sentence or the one after it ("It flags …; the
        # average delay fell from 11 to 7 days").
        reported = any(
            _reports_outcome(s, outcome, ongoing_only, params, sentence)
            or (s.index in following and _reports_outcome(following[s.index], outcome,
                                                         ongoing_only, params, sentence))
            for s in aligned
        )
        # Several actions in one sentence ("bring in three caseworkers, introduce a daily
        # huddle and agree discharge dates"): one reported on does not answer for one this
        # narrative never mentions.
        parts = _coordinated(sentence, params) or [(_summary(sentence), "")]
        total += len(parts)
        missing += [(sentence, words) for words, thing in parts
                    if not reported or (thing and not (content_words(thing) - kpi) & said)]
    if not missing:
        return []
    names = [f"'{short(part, 10)}'" for _, part in missing]
    confidence = params["confidence_none"] if len(missing) == total else (
        params["confidence_some"])
    restated = [s for s in ctx.sentences if ongoing_only.search(s.text)]
    sentences = list(dict.fromkeys(s.index for s, _ in missing))
    quotes = [next(s.quote for s, _ in missing if s.index == n) for n in sentences]
    return [Hit(
        evidence=restated[:2] or ctx.sentences[:1],
        values={"actions": joined(names), "count": len(missing), "total": total},
        confidence=confidence,
        details={"actions_without_outcome": [part for _, part in missing],
                 "previous_sentences": quotes},
    )]


def _coordinated(sentence: Sentence, params: dict) -> list[tuple[str, str]]:
    """The actions of a sentence that lists several for one subject ("we will bring in three
    caseworkers, introduce a daily huddle and agree discharge dates"), each as its words
    and those of what it acts on; empty when it states one. A coordinated verb with a
    subject of its own, no object, or a modal or forecast of its own ("... and should
    reduce delays", "and expect the rate to fall") is not another action of the list."""
    verb = _action_verb(sentence)
    if verb is None:
        return []
    top = verb
    while top.dep_ == "conj" and top.head.pos_ == "VERB":
        top = top.head
    verbs = [top] if _object(top) is not None else []
    for v in verbs:
        verbs += [c for c in v.children if c.dep_ == "conj" and _listed(c, params)]
    if len(verbs) < 2:
        return []
    listed = {v.i for v in verbs}
    parts = []
    for v in verbs:
        # its subject, auxiliaries and lead-in ("In addition we will"), the other verbs
        skip = {t.i for c in v.children if c.i in listed or c.i < v.i or c.dep_ == "cc"
                for t in c.subtree}
        skip |= {t.i for c in v.subtree if c.dep_ in {"relcl", "advcl"} and c.i != v.i
                 for t in c.subtree}
        parts.append((_words(v, skip), _words(_object(v), skip)))
    return parts


def _words(head: Token, skip: set[int]) -> str:
    """The words under `head`, less those at `skip`, as written."""
    return "".join(t.text_with_ws for t in head.subtree if t.i not in skip).strip(" ,;.")


def _listed(verb: Token, params: dict) -> bool:
    """A verb coordinated with the action that is one more action for the same subject."""
    own = {c.dep_ for c in verb.children}
    modal = any(c.dep_ == "aux" and c.lemma_.lower() in params["forecast_modals"]
                for c in verb.children)
    return (verb.pos_ == "VERB" and not own & {"nsubj", "nsubjpass"} and not modal
            and verb.lemma_.lower() not in params["forecast_verbs"]
            and _object(verb) is not None)


def _object(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _key_words(sentence: Sentence, before: list[Sentence], params: dict) -> frozenset[str]:
    """The earlier action's distinctive words, and those of the sentence before it when the
    action points back to a thing that sentence names ("Three psychologist posts are
    vacant. We will recruit to these posts."): what it acts on is described there."""
    words = content_words(sentence.text)
    at = next((n for n, s in enumerate(before) if s.index == sentence.index), 0)
    if not at:
        return words
    named = content_words(before[at - 1].text)
    pointed = {stem(m.group(1).lower())
               for m in compile_all(params["refers_back"]).finditer(sentence.text)}
    return words | named if pointed & named else words


def _summary(sentence: Sentence) -> str:
    """The action as the parse names it, or the sentence when the parse found none."""
    return sentence.action.summary if sentence.action else short(sentence.text, 12)
