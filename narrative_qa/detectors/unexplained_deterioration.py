"""NQ06: the data show a decline and the narrative gives no reason for it.

A reason is a sentence, other than the one reporting the indicator's own figures, that
links a cause to this period: a causal sentence ("because two supervisors were absent"),
a change in something else with its figure ("requests rose to 612 from 498"), or a cause
placed in the period ("sickness absence has been high this quarter", "the usual seasonal
pattern"). General pressures that "continue", or that the text says were there before
("long-standing", "as in previous years") and named with no change, with no figure and no
date, sentences copied from last period's narrative, and changes measured against a
different period ("up 12% on the same month last year" for a fall since last quarter) are
not reasons. A sentence
the reading layer reads as a cause of change is a causal sentence too, in whatever words it
gives the cause ("vacancies impacted the year's figures", "as a result ... has been
declining"), and the same exclusions apply to it.

A lead-in to a list of causes ("the slip is owing to the following:") is not a cause:
the factors after it are, when they name one (a delay, a decision, an extension, a change
of scope, a risk or issue) rather than describe the project's scope or progress. A
sentence restating the indicator's own move ("the end date moved from ... to ...") reports
the decline; it does not explain it, nor does one naming this period's rating ("the
review gave Amber/Red"). A sentence that is dated or gives a figure, but reports progress
or a plan ("approval was given in March", "the next milestone is in April"), is no
cause, nor is one that only reports staff arriving ("two social workers joined the team
in August"): it would help, not hinder. A sentence saying what the one before it did
to the measure ("this pushed the end date back") ties that cause to the change.

Where the data give no previous value, a decline the narrative itself states about the
indicator ("performance has declined this quarter", "the number of <what the KPI counts>
fell"), or for a rating a move to a worse one ("from Amber/Green to Amber"), is
deterioration to be explained; "lower than the target" is a miss, not a decline.
"""

from __future__ import annotations

import re

from narrative_qa.data_checks import end_date
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.clauses import change_with_reason_clause, token_at
from narrative_qa.language.lexicon import lexicon, shared
from narrative_qa.language.periods import earlier_quarters, is_annual
from narrative_qa.language.ratings import rating_moves, rating_rank
from narrative_qa.language.wording import normalise
from narrative_qa.language.words import compile_all, content_words
from narrative_qa.specs.params import Share

KIND = "unexplained_deterioration"
NEEDS = frozenset({"previous", "readers"})
PARAMS = {
    "confidence": Share,
    "confidence_generic": Share,
    "change_cues": list[str],
    "period_cues": list[str],
    "indicator_statement": list[str],
    "generic_cues": list[str],
    "standing_cues": list[str],
    "stated_decline": dict[str, list[str]],
    "negated_before": list[str],
    "other_period": list[str],
    "named_last_year": list[str],
    "quarter_ordinals": list[str],
    "cause_reader_tag": str,
    "cause_reader_at_least": Share,
    "lead_in": list[str],
    "named_cause": list[str],
    "own_change": list[str],
    "measure_named": list[str],
    "effect_of_the_above": list[str],
    "came_after": list[str],
    "reason_clause_links": list[str],
    "progress_or_plan": list[str],
    "arrival_verbs": list[str],
    "target_miss": list[str],
    "schedule_unit": list[str],
    "stated_delay": list[str],
    "delay_not_stated": list[str],
    "delay_held": list[str],
    "target_miss_change": list[str],
}


def _names_rating(sentence: Sentence, rating: object) -> bool:
    """The sentence names this period's rating ("the review gave AMBER/RED"): it reports
    the indicator, as a figure does."""
    if not isinstance(rating, str) or rating_rank(rating) is None:
        return False
    words = [re.escape(w) for w in re.split(r"[\s/-]+", rating.strip()) if w]
    pattern = r"(?<![/-])\b" + r"\s*[/-]\s*".join(words) + r"\b(?!\s*[/-]\s*\w)"
    return bool(re.search(pattern, sentence.text, re.I))


def _states_indicator(sentence: Sentence, ctx: Context) -> bool:
    if _names_rating(sentence, ctx.submission.actual):
        return True
    values = [v for v in (ctx.submission.actual, ctx.submission.previous_actual)
              if isinstance(v, float)]
    return any(f.value is not None and any(abs(f.value - v) < 0.051 for v in values)
               for f in sentence.figures)


def _measure_named_at(text: str, ctx: Context, params: dict) -> int | None:
    """Where the text names the indicator in the KPI's own words ("the number of
    <something the KPI name counts>") ends; None if it does not (§4: a decline the text
    states is one said of the measure, "the number of ... fell")."""
    for found in compile_all(params["measure_named"]).finditer(text):
        if content_words(found.group("what")) & ctx.kpi_terms:
            return found.end()
    return None


def _said_of_indicator(sentence: Sentence, word: re.Match[str], ctx: Context,
                       params: dict) -> bool:
    """The decline word is a verb whose subject, shared through 'and', is the indicator,
    and not a forecast: "Performance fell this quarter and now stands at 80%" states the
    decline though 'stands at 80%' reads as an action; "we reduced the list" does not."""
    verb = token_at(sentence, word.start())
    if verb is None:
        return False
    while verb.dep_ == "conj" and not _subjects(verb):
        verb = verb.head
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        return False
    indicator = compile_all(params["indicator_statement"])
    return any(indicator.search(text) or _measure_named_at(text, ctx, params) is not None
               for text in _subject_texts(verb))


def _done_by_agent(sentence: Sentence, word: re.Match[str]) -> bool:
    """The decline word is a verb the service is the subject of ("to improve performance,
    we reduced the waiting list"): something done, not the indicator falling."""
    verb = token_at(sentence, word.start())
    agents = set(shared("agents"))
    return verb is not None and verb.pos_ == "VERB" and any(
        text.lower() in agents for text in _subject_texts(verb))


def _subjects(token) -> list:
    return [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]


def _subject_texts(token) -> list[str]:
    """The words of each of the token's subjects, as written."""
    doc = token.doc
    return [doc[s.left_edge.i: s.right_edge.i + 1].text for s in _subjects(token)]


def stated_decline(ctx: Context, params: dict) -> Sentence | None:
    """The sentence in which the narrative says the indicator got worse, when the data
    cannot say (no previous value)."""
    if rating_rank(str(ctx.submission.actual or "")) is not None:
        # A rating: a move the text states to a worse one ("from Amber/Green to Amber").
        return next((s for s in ctx.sentences if any(m.worse for m in rating_moves(s.text))),
                    None)
    words = compile_all(params["stated_decline"][ctx.submission.polarity or "up"])
    negated = compile_all(params["negated_before"])
    indicator = compile_all(params["indicator_statement"])
    for sentence in ctx.sentences:
        if sentence.impact:
            continue
        named = (0 if indicator.search(sentence.text) or _states_indicator(sentence, ctx)
                 else _measure_named_at(sentence.text, ctx, params))
        if named is None:
            continue
        # the decline said of the measure, after it ("the number of ... fell"), not a
        # cause's effect on it ("... together cut the number of ..."); in a sentence
        # read as an action, only with the indicator its subject ("we reduced ...": done)
        if any(m.start() >= named and not negated.search(sentence.text[: m.start()])
               and (not sentence.action or _said_of_indicator(sentence, m, ctx, params))
               and not _done_by_agent(sentence, m)
               for m in words.finditer(sentence.text)):
            return sentence
    return None


def _is_schedule(ctx: Context, params: dict) -> bool:
    """The measure is an end date (the actual or last period's is a date, or the unit says
    so, as when the cell is withheld)."""
    sub = ctx.submission
    return (end_date(sub.actual) is not None or end_date(sub.previous_actual) is not None
            or bool(compile_all(params["schedule_unit"]).search(sub.unit or "")))


def stated_delay(ctx: Context, params: dict) -> Sentence | None:
    """For a schedule, the sentence in which the narrative states a delay ("the programme
    is three months behind schedule", "a 12 month slip"), which is a deterioration whatever
    the end-date cells show (LABELLING.md §1); not a delay denied, avoided or only feared
    ("no slippage", "to minimise delays", "risk of delay")."""
    delay = compile_all(params["stated_delay"])
    denied = compile_all(params["delay_not_stated"])
    if any(compile_all(params["delay_held"]).search(s.text) for s in ctx.sentences):
        return None  # the slip was recovered, or the end date holds despite it
    for sentence in ctx.sentences:
        if any(not denied.search(sentence.text[: m.start()])
               for m in delay.finditer(sentence.text)):
            return sentence
    return None


def _against_other_period(sentence: Sentence, ctx: Context, params: dict) -> bool:
    """'up 12% on the same month last year', 'in Q2 last year': not the change since last
    period."""
    if is_annual(ctx.submission.period):
        return False  # last period was a year ago: "on last year" is the change since then
    return bool(compile_all(params["other_period"]).search(sentence.text)) or \
        _names_quarter_last_year(sentence.text, ctx.submission.period, params)


def _names_quarter_last_year(text: str, period: str | None, params: dict) -> bool:
    """A quarter or month of last year other than the quarter just before this one (which
    'Q4 last year' may be in a Q1 report); False when the period's quarter is unknown."""
    earlier = earlier_quarters(period)
    if not earlier:
        return False
    previous = max(earlier)  # Q1's is Q4
    return any(quarter not in {None, previous} for quarter in
               (_quarter_named(found, params) for found in
                compile_all(params["named_last_year"]).finditer(text)))


def _quarter_named(found: re.Match[str], params: dict) -> int | None:
    """The financial quarter (April to June is Q1) a `named_last_year` match names."""
    if found["q"] or found["qn"]:
        return int(found["q"] or found["qn"])
    if found["ord"]:
        return params["quarter_ordinals"].index(found["ord"].lower()) + 1
    month = found["month"]
    if not month or not month[0].isupper():
        return None  # "may last year" is no month
    return (shared("months").index(month.capitalize()) - 3) % 12 // 3 + 1


def _copied(ctx: Context) -> set[str]:
    """Last period's sentences, normalised: an explanation copied from them is no reason."""
    if ctx.previous is None:
        return set()
    return {" ".join(normalise(s.text)) for s in ctx.previous.content()}


def listed_factors(ctx: Context, params: dict) -> tuple[list[Sentence], list[Sentence]]:
    """A lead-in to a list of causes ("the slip is owing to the following:") is not a
    cause itself: what follows it is. The lead-in sentences, and the listed factors
    that name a cause (a delay, a decision, an extension, a change of scope, a causal
    phrase) rather than describe the project's scope or progress, and are not copied
    from last period's narrative."""
    lead_in = compile_all(params["lead_in"])
    named = compile_all(params["named_cause"])
    causal = lexicon().causal
    old = _copied(ctx)
    leads: list[Sentence] = []
    factors: list[Sentence] = []
    for sentence in ctx.sentences:
        found = lead_in.search(sentence.text)
        if found:
            leads.append(sentence)
            rest = sentence.text[found.end():]
        elif leads:
            rest = sentence.text
        else:
            continue
        if " ".join(normalise(sentence.text)) in old:
            continue
        if named.search(rest) or causal.search(rest):
            factors.append(sentence)
    return leads, factors


def _states_cause(sentence: Sentence, params: dict) -> bool:
    """A cause in the lexicon's causal words, a fall said to come after an event
    (`came_after`: NQ06's own, as elsewhere 'after the summer' is only a time), or a change
    with a clause giving its reason ('fell as two social workers left')."""
    return (sentence.causal or bool(compile_all(params["came_after"]).search(sentence.text))
            or change_with_reason_clause(sentence.span, lexicon().change,
                                         params["reason_clause_links"]))


def _explains_target_miss(sentence: Sentence, target_miss: re.Pattern[str],
                          declined: re.Pattern[str], params: dict) -> bool:
    """The sentence explains a miss against the target ("short of the target owing to
    sickness"), says nothing of the indicator's decline, and gives no change in something
    else after it ("... owing to fewer referrals from partners" is one)."""
    found = target_miss.search(sentence.text)
    return bool(found) and not declined.search(sentence.text) and not compile_all(
        params["target_miss_change"]).search(sentence.text[found.end():])


def _only_arrivals(sentence: Sentence, params: dict) -> bool:
    """Every verb reports staff arriving ("two social workers joined the team in August"):
    that would help, not hinder, so it is progress, no cause of a decline. Any other verb
    ("... but needed three months' induction", "after three left") may give one."""
    verbs = [t for t in sentence.span if t.pos_ == "VERB" and t.dep_ not in {"amod", "compound"}]
    return bool(verbs) and all(verb.lemma_.lower() in params["arrival_verbs"] and not any(
        c.dep_ == "neg" for c in verb.children) for verb in verbs)


def _standing_unchanged(sentence: Sentence, change: re.Pattern[str],
                        standing: re.Pattern[str]) -> bool:
    """A cause the text says was there before ("the long-standing cost pressures", "as in
    previous years") that names no change: it was there last period too, so it does not
    explain this one's decline. "Long-standing vacancies rose ..." names one."""
    return bool(standing.search(sentence.text)) and not change.search(sentence.text)


def reasons_given(ctx: Context, params: dict, leads: list[Sentence],
                  factors: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """The sentences that give a reason for the change, and those that give only a
    general pressure ("demand continues to be high"); with a lead-in to a list of causes
    (`listed_factors`), the factors it lists that name one."""
    if leads:
        return factors, []
    change = compile_all(params["change_cues"])
    generic = compile_all(params["generic_cues"])
    in_period = compile_all(params["period_cues"])
    indicator = compile_all(params["indicator_statement"])
    own = compile_all(params["own_change"])
    linked = compile_all(params["effect_of_the_above"])
    progress = compile_all(params["progress_or_plan"])
    standing = compile_all(params["standing_cues"])
    old = _copied(ctx)
    read_as_cause = {id(s) for s in ctx.read_as(params["cause_reader_tag"],
                                                params["cause_reader_at_least"])}
    target_miss = compile_all(params["target_miss"])
    declined = compile_all(params["stated_decline"][ctx.submission.polarity or "up"])
    reasons: list[Sentence] = []
    generic_only: list[Sentence] = []
    for sentence in ctx.sentences:
        if sentence.action and sentence.action.kind in {"planned", "continuing"}:
            continue
        if " ".join(normalise(sentence.text)) in old:
            continue  # last period's explanation, copied
        if _against_other_period(sentence, ctx, params):
            continue
        if _explains_target_miss(sentence, target_miss, declined, params):
            continue  # explains the gap to the target, not the change since last period
        about_indicator = bool(indicator.search(sentence.text) or own.search(sentence.text)
                               ) or _states_indicator(sentence, ctx)
        descriptive = not sentence.action and not about_indicator
        dated = descriptive and bool(in_period.search(sentence.text))
        other_change = descriptive and bool(change.search(sentence.text) and sentence.figures)
        causal = (_states_cause(sentence, params) or id(sentence) in read_as_cause
                  or bool(linked.search(sentence.text)))
        if not (causal or dated or other_change):
            continue
        if not causal and (progress.search(sentence.text) or _only_arrivals(sentence, params)):
            continue  # dated or with a figure, but progress or a plan, not a cause
        if not sentence.figures and not dated and (
                generic.search(sentence.text) or _standing_unchanged(sentence, change, standing)):
            generic_only.append(sentence)
            continue
        reasons.append(sentence)
    return reasons, generic_only


def detect(ctx: Context, params: dict) -> list[Hit]:
    sub, facts = ctx.submission, ctx.facts
    stated = None
    if facts.deteriorated is None and sub.previous_actual is None:
        stated = stated_decline(ctx, params)
    if not (facts.deteriorated or stated) and _is_schedule(ctx, params):
        stated = stated_delay(ctx, params)
    if not (facts.deteriorated or stated):
        return []
    leads, factors = listed_factors(ctx, params)
    reasons, generic_only = reasons_given(ctx, params, leads, factors)
    # The sentence stating the decline explains it only if it gives a cause ("fell
    # because ..."), not because it is dated ("fell this quarter").
    reasons = [s for s in reasons if s is not stated or _states_cause(s, params)]
    if reasons:
        return []
    if isinstance(sub.previous_actual, float) and isinstance(sub.actual, float):
        change_text = f"from {sub.previous_actual:g} to {sub.actual:g}"
    elif isinstance(sub.previous_actual, str) and isinstance(sub.actual, str):
        change_text = f"from {sub.previous_actual} to {sub.actual}"  # a rating or an end date
    elif sub.previous_actual is None:
        change_text = "(as the text says; the data give no previous value)"
    else:
        change_text = "(as the text says; the data show no later end date)"
    return [Hit(
        evidence=generic_only[:2] or ([stated] if stated else leads[:1] or ctx.sentences[:1]),
        values={"change": change_text},
        confidence=params["confidence_generic"] if generic_only else params["confidence"],
        details={"previous_actual": sub.previous_actual, "actual": sub.actual,
                 "stated_in_text": stated.quote if stated else None,
                 "generic_reasons": [s.quote for s in generic_only]},
    )]
