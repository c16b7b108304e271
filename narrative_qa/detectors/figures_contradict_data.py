"""NQ10: a figure or a direction of change in the text contradicts the submitted data.

Only statements about the indicator itself count. The grammatical subject of the clause
must be the indicator: "performance", "compliance", "uptake", or the KPI's own words
("absence has improved" for a sickness-absence KPI). It must also be the whole indicator:
"North West performance rose to 79%", "urology compliance", "other delays" and "referrals
rose" are about something else and are never compared with the data.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from narrative_qa.data_checks import agrees_as_written, end_date, on_one_scale, readings
from narrative_qa.data_claims import end_date_claims, position_claim
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.lexicon import localities as council_localities
from narrative_qa.language.lexicon import shared
from narrative_qa.language.periods import (
    earlier_quarters,
    is_annual,
    is_earlier,
    is_previous,
    parse_period,
    period_of_month,
    previous_period,
    quarter_mentions,
    same_period,
)
from narrative_qa.language.ratings import rating_moves, rating_rank
from narrative_qa.language.words import compile_all, content_words, stem
from narrative_qa.reading.values import POWERS
from narrative_qa.specs.params import Count, Share

KIND = "figures_contradict_data"
NEEDS: frozenset[str] = frozenset()
PARAMS = {
    "confidence_value": Share,
    "confidence_direction": Share,
    "confidence_rating": Share,
    "rating_words": list[str],
    "rating_now": list[str],
    "rating_stayed": list[str],
    "rating_change": list[str],
    "rating_change_dated": list[str],
    "rating_better": list[str],
    "rating_worse": list[str],
    "fragment_words": Count,
    "indicator_nouns": list[str],
    "value_verbs": list[str],
    "other_measures": list[str],
    "part_words": list[str],
    "quantity_heads": list[str],
    "whole_modifiers": list[str],
    "negated_before": list[str],
    "change_by_verbs": list[str],
    "change_units": list[str],
    "previous_markers": list[str],
    "earlier_period": list[str],
    "not_a_value_after": list[str],
    "not_a_value": list[str],
    "linking_verb": list[str],
    "kept_from_verbs": list[str],
    "hypothetical_before": list[str],
    "period_nouns": list[str],
    "change_lemmas": list[str],
    "better_words": list[str],
    "worse_words": list[str],
    "up_words": list[str],
    "down_words": list[str],
    "up_comparatives": list[str],
    "down_comparatives": list[str],
    "year_ago_after": list[str],
    "subgroup": list[str],
    "part_of_rating": list[str],
    "other_measure_before": list[str],
    "other_period": list[str],
    "change_up_down": list[str],
    "complement": list[str],
    "month_after": list[str],
    "qualifier_before": list[str],
    "share_heads": list[str],
    # claims about the data's position (narrative_qa/data_claims.py)
    "confidence_claim": Share,
    "future_before": list[str],
    "stated_infinitive": list[str],
    "part_before": list[str],
    "target_met": list[str],
    "target_missed": list[str],
    "target_below": list[str],
    "target_figure": list[str],
    "other_target": list[str],
    "annual_target": list[str],
    "target_named": list[str],
    "target_gap": list[str],
    "other_budget": list[str],
    "under_budget": list[str],
    "over_budget": list[str],
    "on_budget": list[str],
    "budget_figure": list[str],
    "forecast_figure": list[str],
    "budget_variance": list[str],
    "stay_words": list[str],
    "stay_tolerance": Share,
    "on_schedule": list[str],
    "part_of_schedule": list[str],
    "milestone_after": list[str],
    "new_schedule": list[str],
    "part_subject": list[str],
    "end_date_named": list[str],
    "end_date_changed": list[str],
    "part_of_end_date": list[str],
    "part_of_work": list[str],
    "early_in_year": list[str],
    "forecast_end_date": list[str],
    "earlier_end_date": list[str],
    "part_after_end_date": list[str],
}



@lru_cache(maxsize=8)
def _locality_ahead(localities: tuple[str, ...]) -> re.Pattern[str]:
    """'72% in the North West': the figure is a locality's (case-insensitive)."""
    return re.compile(r"^\s*(?:\w+\s+){0,2}(?:" + "|".join(map(re.escape, localities))
                      + r")\b", re.I)


@lru_cache(maxsize=1)
def _month() -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(shared("months")) + ")$")


@lru_cache(maxsize=1)
def _number_values() -> dict[str, int]:
    """'one' -> 1 … 'ten' -> 10, from rules/language.yml `number_words`."""
    return {word: value for value, word in enumerate(shared("number_words"), start=1)}


def detect(ctx: Context, params: dict) -> list[Hit]:
    sub = ctx.submission
    if isinstance(sub.actual, str):
        if end_date(sub.actual) is not None:
            # "on schedule" when the end date slipped; a forecast end date beyond it
            return end_date_claims(ctx, params)
        return _rating_claims(ctx, params)
    target, actual, previous = on_one_scale(sub)  # 0.94 beside 90 and 75 is 94%
    previous = _rescaled_previous(previous, actual, sub.kpi_name)
    if (target, actual, previous) != (sub.target, sub.actual, sub.previous_actual):
        sub = replace(sub, target=target, actual=actual, previous_actual=previous)
        ctx = replace(ctx, submission=sub)
    if not isinstance(sub.actual, float):
        return []
    name_numbers = {float(n.replace(",", "")) for n in
                    re.findall(r"\d[\d,]*(?:\.\d+)?", sub.kpi_name or "")}
    for sentence in ctx.sentences:
        if sentence.section in {"impact", "timescale"}:
            continue  # forecasts are not statements of the data
        hit = position_claim(sentence, ctx, params)  # 'met its target', 'an underspend'
        if hit:
            return [hit]
        if sentence.impact or (sentence.action and sentence.action.kind == "planned"):
            continue  # nor are plans; an action taken may state the value ("we achieved 100%")
        hit = (_value_claim(sentence, ctx, params, name_numbers)
               or _ratio_claim(sentence, ctx, params)
               or _change_claim(sentence, ctx, params)
               or _direction_claim(sentence, ctx, params)
               or _comparative_claim(sentence, ctx, params))
        if hit:
            return [hit]
    return []


_SCALED_NAME = re.compile(r"\b(?:thousands?|millions?|billions?|bn|\d*k|m)\b|£m|\$m", re.I)


def _rescaled_previous(previous: object, actual: object, kpi_name: str | None) -> object:
    """Last period's value on this period's scale when a KPI counted in thousands or
    millions has one cell written in full: 9.8 (million) beside 9,868,380 is 9,800,000."""
    if not (isinstance(previous, float) and previous and isinstance(actual, float) and actual
            and _SCALED_NAME.search(kpi_name or "")):
        return previous
    for factor in (*POWERS[1:], *(1 / p for p in POWERS[1:])):
        if 0.8 <= actual / (previous * factor) <= 1.25:
            return previous * factor
    return previous


# --- a rating (Red ... Green) moved "from X to Y" ----------------------------------------

def _rating_claims(ctx: Context, params: dict) -> list[Hit]:
    """A KPI whose actual is a rating: "our rating went up from Amber to Red" contradicts
    the scale (Red is worse), and "... to Amber" contradicts an actual of Red."""
    actual = rating_rank(ctx.submission.actual or "")
    if actual is None:
        return []
    previous = ctx.submission.previous_actual
    before = rating_rank(previous) if isinstance(previous, str) else None
    for sentence in ctx.sentences:
        for move in rating_moves(sentence.text):
            if not _the_rating_now(sentence, move.start, params):
                continue
            if move.wrong_way:
                problem = (f"the text says the rating {move.verb} from {move.before} to "
                           f"{move.after}, but on the rating scale that is the other way")
            elif move.after_rank != actual:
                problem = (f"the text gives the rating as {move.after} but the submitted "
                           f"rating is {ctx.submission.actual}")
            else:
                continue
            return [Hit(evidence=[sentence], values={"problem": problem},
                        confidence=params["confidence_rating"])]
        stated = _rating_now(sentence, params)
        if stated and rating_rank(stated.group(0)) != actual and _the_rating_now(
                sentence, stated.start(), params):
            return [Hit(evidence=[sentence], values={
                "problem": f"the text gives the rating as {stated.group(0)} but the submitted "
                f"rating is {ctx.submission.actual}"}, confidence=params["confidence_rating"])]
        stayed = _rating_stayed(sentence, params)
        if stayed and before is not None and before != actual and _the_rating_now(
                sentence, stayed.start(), params):
            return [Hit(evidence=[sentence], values={
                "problem": f"the text says the rating remains {stayed.group(0)}, but the data "
                f"show it moved from {ctx.submission.previous_actual} to "
                f"{ctx.submission.actual}"}, confidence=params["confidence_rating"])]
        problem = _rating_change_problem(sentence, actual, before, params)
        if problem:
            return [Hit(evidence=[sentence], values={"problem": problem},
                        confidence=params["confidence_rating"])]
    return []


def _rating_change_problem(sentence: Sentence, actual: int, before: int | None,
                           params: dict) -> str | None:
    """A change of the rating stated without 'from' ("the rating was downgraded to Amber",
    "delivery confidence has improved"): its new rating must be the submitted one, and its
    direction the data's (last period's rating to this one's; no change is no move)."""
    matches = (m for pattern in params["rating_change"]  # the patterns share group names
               for m in compile_all([pattern]).finditer(sentence.text))
    for match in matches:
        before_text = sentence.text[: match.start()]
        if rating_moves(sentence.text) or not _the_rating_now(sentence, match.start(), params) \
                or compile_all(params["negated_before"]).search(before_text) \
                or compile_all(params["rating_change_dated"]).search(before_text):
            continue  # "in March 2018 the rating was improved": a past review's move
        verb, after = match["verb"].lower(), match["after"]
        better = compile_all(params["rating_better"]).fullmatch(verb) is not None
        worse = compile_all(params["rating_worse"]).fullmatch(verb) is not None
        if after and rating_rank(after) is not None and rating_rank(after) != actual:
            return f"the text gives the rating as {after}, but the submitted rating is " \
                f"{_RATING_NAMES[actual]}"
        if before is None or better == worse:
            continue
        if before == actual:
            return f"the text says the rating {verb}, but it is unchanged at " \
                f"{_RATING_NAMES[actual]}"
        if better != (actual > before):
            return f"the text says the rating {verb}, but the data show it moved from " \
                f"{_RATING_NAMES[before]} to {_RATING_NAMES[actual]}"
    return None


_RATING_NAMES = ["Red", "Amber/Red", "Amber", "Amber/Green", "Green"]


def _the_rating_now(sentence: Sentence, start: int, params: dict) -> bool:
    """A rating stated at `start` is the whole project's rating now: not a forecast or a
    hope before it ("we expect the RAG status to move from Amber/Red to Amber"), nor a part's
    ("the other workstreams stayed Amber", "for some parts the rating is Red")."""
    before = sentence.text[:start]
    clause = re.split(r"[;:]", before)[-1]
    return not (compile_all(params["future_before"]).search(before)
                or compile_all(params["part_subject"]).search(clause)
                or compile_all(params["part_of_rating"]).search(clause))


def _rating_stayed(sentence: Sentence, params: dict) -> re.Match[str] | None:
    """The rating a sentence says stayed as it was ("the RAG status remains Amber")."""
    stay = compile_all(params["rating_stayed"])
    for match in _RATING.finditer(sentence.text):
        if stay.search(sentence.text[max(0, match.start() - 30): match.start()]):
            return match
    return None


_RATING = re.compile(r"\b(?:amber[\s/-]+(?:red|green)|red|amber|green)\b", re.I)


def _rating_now(sentence: Sentence, params: dict) -> re.Match[str] | None:
    """The rating a sentence gives as the current one ("currently holds an Amber/Green
    rating"), not a move, a past review's ("rated the programme as Amber") or a part's."""
    if rating_moves(sentence.text) or not compile_all(params["rating_words"]).search(
            sentence.text):
        return None
    now = compile_all(params["rating_now"])
    for match in _RATING.finditer(sentence.text):
        if now.search(sentence.text[max(0, match.start() - 60): match.start()]):
            return match
    return None


# --- is this clause about the whole indicator? ----------------------------------------

def _head_noun(token, params: dict):
    """'the number of placements' -> placements."""
    if token.lemma_.lower() in params["quantity_heads"]:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return token


def _is_indicator(noun, ctx: Context, params: dict) -> bool:
    if any(c.dep_ == "appos" and _is_indicator(c, ctx, params) for c in noun.children):
        return True  # "the number of positive outcomes (the live release rate)"
    word = noun.lower_
    if word in {"it", "this"}:
        return not _another_measure_before(noun, ctx, params)
    if word in params["indicator_nouns"]:  # "contractor performance" is another's
        return all(c.lower_ in params["whole_modifiers"] or stem(c.lower_) in ctx.kpi_terms
                   for c in noun.children if c.dep_ in {"compound", "amod", "nmod", "poss"})
    if stem(word) in params["other_measures"]:
        return False
    if stem(word) not in ctx.kpi_terms or _counts_the_population(noun, ctx, params):
        return False
    for child in noun.children:  # "North West performance", "urology compliance"
        if child.dep_ in {"compound", "amod", "nmod", "poss"}:
            modifier = child.lower_
            if modifier not in params["whole_modifiers"] and stem(modifier) not in ctx.kpi_terms:
                return False
    return True


def _another_measure_before(pronoun, ctx: Context, params: dict) -> bool:
    """'It' or 'this' after another measure named earlier in its sentence stands for that
    measure ("whole life costs are now £177m; this has increased")."""
    return any(t.pos_ == "NOUN" and stem(t.lower_) in params["other_measures"]
               and stem(t.lower_) not in ctx.kpi_terms
               for t in pronoun.doc[pronoun.sent.start: pronoun.i])


def _share_of_the_kpi(figure, after: str, sentence: Sentence, ctx: Context) -> bool:
    """'89% of applications within service standards' for the percentage of passport
    applications processed within service standards: a percentage of a phrase made of
    the KPI's own words (two or more, and no other: 'of patients waited over 4 hours' is
    another measure) restates the indicator, whoever the clause's subject. It must name
    much of the KPI ('40% of the care plans' of a KPI on care plans, risk assessments and
    chronologies is one of its parts), and be the sentence's one such share."""
    phrase = re.match(r"^\s*of\s+([^.,;:()]+)", after)
    if ctx.submission.unit != "%" or figure.kind != "percent" or not phrase or len(
            re.findall(r"%\s+of\b", sentence.text)) > 1:
        return False
    words = content_words(" ".join(phrase.group(1).split()[:8]))
    return len(words) >= max(2, 0.4 * len(ctx.kpi_terms)) and words <= ctx.kpi_terms


def _a_clause_part(number, before: str, params: dict) -> bool:
    """The figure is what its clause says, its verb's object, complement or subject
    ('processed 89% of ...'), with nothing before it in the clause but a period ('In
    2024-25 the council answered 91% of ...'): not an aside in brackets ('(a third of the
    total)') nor a part set by a phrase before it ('On the days the rota ran, 82% of ...')."""
    token = number.head if number.dep_ == "nummod" else number
    clause = re.split(r"[;:]", before)[-1]
    clause = re.sub(r"^\s*(?:in|during|for|over)\s+(?:[a-z]+\s+){0,2}(?:20\d\d|Q[1-4]|FY)\S*"
                    r"\s*,?", "", clause, flags=re.I)  # "In fiscal year 2022-23, ...": the period
    return token.dep_ in {"dobj", "attr", "nsubj", "nsubjpass"} and before.count(
        "(") <= before.count(")") and not compile_all(params["qualifier_before"]).search(clause)


def _names_the_count(subject, ctx: Context, params: dict) -> bool:
    """For a count KPI, a subject 'the number of ...' whose every distinctive word is the
    KPI's ('the number of people delayed in hospital' for 'Number of people delayed in
    hospital'): its figure is the KPI's, though 'people' alone is no KPI word. A number
    or a part in it ('delayed for more than 3 days', 'some wards') makes it a part."""
    if ctx.submission.unit == "%" or subject.lemma_.lower() not in params["quantity_heads"]:
        return False
    tokens = list(subject.subtree)
    if any(t.like_num or t.lower_ in params["part_words"] for t in tokens):
        return False
    words = content_words(" ".join(t.text for t in tokens))
    return bool(words) and words <= ctx.kpi_terms


def _counts_the_subject(number, after: str, ctx: Context) -> bool:
    """A count of the clause's subject, after an opening phrase ('At the September census
    113 people were delayed in hospital'), where the subject is what the KPI counts (its
    name has the word) and the next words name the KPI twice over: the KPI's count, as a
    count opening the sentence is."""
    counted = number.head
    if ctx.submission.unit == "%" or number.dep_ != "nummod" or counted.dep_ not in {
            "nsubj", "nsubjpass"} or not re.search(
                rf"\b{re.escape(counted.lemma_.lower())}", (ctx.submission.kpi_name or "").lower()):
        return False  # "250 tenants moved in ..." when the KPI counts applicants
    words = {stem(w) for w in re.findall(r"[a-z]+", " ".join(after.split()[:7]).lower())}
    return len(words & ctx.kpi_terms) >= 2


def _counts_the_population(noun, ctx: Context, params: dict) -> bool:
    """For a share ('% of new births visited within 14 days'), a plural noun of the KPI
    standing alone ('births rose by 9%', 'the number of complaints fell') is a count of
    those it is a share of, another measure; 'complaints answered on time', or 'the
    percentage of complaints', names the share."""
    if ctx.submission.unit != "%" or noun.tag_ != "NNS":
        return False
    if noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in params["share_heads"]:
        return False
    return not any(stem(t.lower_) in ctx.kpi_terms for c in noun.children
                   if c.dep_ in {"acl", "relcl", "prep"} for t in c.subtree)


def _subject_is_indicator(verb, ctx: Context, params: dict) -> bool:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            noun = _head_noun(child, params)
            if any(c.lower_ in params["part_words"] for c in noun.children):
                return False  # "other delays", "some teams"
            own = (ctx.submission.locality or "").lower()
            for c in noun.children:
                if c.dep_ == "prep" and c.lower_ == "in":
                    place = " ".join(t.text for t in c.subtree if t.lower_ != "in")
                    if any(t.text in council_localities(ctx.settings) for t in c.subtree) and (
                            not own or place.lower() not in own):
                        return False  # "performance in North West" for a city-wide KPI
            if _names_the_count(child, ctx, params):
                return True  # "the number of people delayed in hospital" for a count KPI
            if noun.lower_ in {"it", "this"} and _another_measure_before(noun, ctx, params):
                return False  # "costs are now £177m; this has increased": the costs
            if noun.lower_ in params["indicator_nouns"] or noun.lower_ in {"it", "this"}:
                mods = [c for c in noun.children
                        if c.dep_ in {"compound", "amod", "nmod", "poss"}]  # "Fischer's"
                return all(m.lower_ in params["whole_modifiers"] or stem(m.lower_) in ctx.kpi_terms
                           for m in mods)
            return _is_indicator(noun, ctx, params)
    return False


def _states_the_value(number, ctx: Context, params: dict) -> bool:
    """The figure is the indicator's value though its subject is the service: it modifies
    an indicator noun ("maintained a 90% satisfaction rate"), or it is itself what a verb
    of attainment reached ("we achieved 100%"; not "recorded 12 ABIs", nor "will have
    achieved 100%")."""
    token = number
    for _ in range(3):
        if token.dep_ not in {"nummod", "compound", "amod", "quantmod"} or token.head is token:
            break
        token = token.head
    verb = token.head
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False  # "to support 100% compliance": an aim
    if token.pos_ == "NOUN" and token.lower_ in params["indicator_nouns"] and all(
            c.lower_ in params["whole_modifiers"] or stem(c.lower_) in ctx.kpi_terms
            or c.like_num or c.text == "%" for c in token.children
            if c.dep_ in {"compound", "amod", "nmod"}):
        return True
    return (token.like_num or token.text == "%") and token.dep_ in {"dobj", "npadvmod"} \
        and verb.lemma_ in params["value_verbs"] \
        and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)


def _governing_verb(token):
    current = token
    for _ in range(4):
        if current.pos_ in {"VERB", "AUX"} and current.dep_ != "aux":
            return current
        if current.head is current:
            return current
        current = current.head
    return current


# --- a figure given as this period's (or last period's) value -------------------------

def _value_claim(sentence: Sentence, ctx: Context, params: dict,
                 name_numbers: set[float]) -> Hit | None:
    sub = ctx.submission
    span = sentence.span
    offset = sentence.text_start
    opening_ok = False
    if _breakdown(sentence, sub):
        return None
    for figure in sentence.figures:
        if figure.value is None or not _unit_matches(figure.kind, sub.unit):
            continue
        if figure.value in name_numbers:
            continue  # "within 10%" of a KPI named "... within 10% of the bid": its definition
        token = span.doc.char_span(offset + figure.start, offset + figure.end,
                                   alignment_mode="expand")
        if token is None:
            continue
        number = token[0]
        before = sentence.text[: figure.start]
        after = sentence.text[figure.end:]
        if compile_all(params["not_a_value"]).search(before[-30:]) or compile_all(
                params["not_a_value_after"]).match(after) or _locality_ahead(
                    council_localities(ctx.settings)).match(after):
            continue  # a target, a forecast, a change ("by 5%", "12% more than")
        if compile_all(params["hypothetical_before"]).search(before):
            continue  # "if we count only the north team, the rate is 15%"
        role = _role(before, after, ctx, params)
        if role == "other":
            continue  # a sub-group's, another period's or another measure's figure
        period = role or _period_of(after, ctx, params)
        if period == "other":
            continue
        previous_claim = bool(re.search(r"\bfrom\s+(?:the\s+)?$", before)) or period == "earlier"
        verb = _governing_verb(number)
        if ";" in before:
            opening_ok = False  # a new clause: "…; 24 were awaiting a care home place"
        if figure.start <= 3 or _counts_the_subject(number, after, ctx):
            # "72% of placements commenced…", "51 people were delayed…", "At the September
            # census 113 people were delayed in hospital"
            if re.match(r"^\s*of\s+(?:the\s+)?\d", after):
                continue  # "18 of the 26 placements": a breakdown
            subject_ok = _names_kpi(" ".join(after.split()[:7]), ctx)
            opening_ok = subject_ok
        elif _share_of_the_kpi(figure, after, sentence, ctx) and _a_clause_part(
                number, before, params):
            subject_ok = True  # "processed 89% of applications within service standards"
        elif re.match(r"^\s*(?:of|per)\b", after):
            continue  # "8 of the 22 delays": a breakdown
        elif previous_claim and opening_ok:
            subject_ok = True  # "…, up from 52 in Q2" in a sentence about the indicator
        else:
            subject_ok = _subject_is_indicator(verb, ctx, params) or _states_the_value(
                number, ctx, params)
            opening_ok = opening_ok or subject_ok
        if not subject_ok or _about_a_place(verb) or _about_a_part(verb, ctx, params) \
                or verb.lemma_ in params["kept_from_verbs"]:
            continue  # "96 households were prevented from needing it": those it did not count
        if not previous_claim and period is None and isinstance(sub.previous_actual, float) \
                and _matches(figure, sub.previous_actual, sub.unit) \
                and compile_all(params["earlier_period"]).search(sentence.text):
            continue  # "it had fallen to 83% in our Q3 update": last period's value, correctly
        if previous_claim:
            reference, what = sub.previous_actual, "previous"
        elif _gives_the_actual(sentence, sub):
            continue  # "158 (101 COVID and 57 others)": beside the actual, a part or another basis
        else:
            reference, what = sub.actual, "actual"
        if not isinstance(reference, float) or _matches(figure, reference, sub.unit):
            continue
        if isinstance(sub.target, float) and _matches(figure, sub.target, sub.unit) and (
                not previous_claim or re.match(r"^\s*(?:target|standard)\b", after)) and (
                compile_all(params["target_named"]).search(sentence.text)):
            continue  # the target ("against a 90% target"); not '75% in FY24' unnamed
        unit = "%" if sub.unit == "%" else ""
        shown = readings(reference, sub.unit)[-1]  # a cell of 0.7314 is shown as 73.14%
        return Hit(
            evidence=[sentence],
            values={"problem": f"the text gives {figure.text.strip()} but the submitted "
                    f"{what} is {shown:g}{unit}"},
            confidence=params["confidence_value"],
            details={"quoted": figure.text.strip(), what: reference},
        )
    return None


def _breakdown(sentence: Sentence, sub) -> bool:
    """Two or more counts in one sentence that together do not pass the actual count:
    parts of it ("87 joined online and 4,813 visited" of 14,131 served), not its value."""
    if sub.unit == "%" or not isinstance(sub.actual, float):
        return False
    counts = [f.value for f in sentence.figures if f.value is not None
              and _unit_matches(f.kind, sub.unit) and 0 < f.value < sub.actual]
    return len(counts) >= 2 and sum(counts) <= sub.actual


def _gives_the_actual(sentence: Sentence, sub) -> bool:
    """Some figure of the sentence is the submitted actual, not as last period's ('from
    73%')."""
    return any(_matches(f, sub.actual, sub.unit) and not re.search(
        r"\bfrom\s+(?:the\s+)?$", sentence.text[: f.start]) for f in sentence.figures
        if f.value is not None and _unit_matches(f.kind, sub.unit))


def _role(before: str, after: str, ctx: Context, params: dict) -> str | None:
    """What a figure states, read from its clause: 'other' for a year-ago period ("77.6% a
    year ago"), an earlier quarter that is not the previous one, a sub-group ("aged 65+",
    "excluding it, performance was 93%") or another measure ("a national average of 68.7%");
    'earlier' for the previous quarter named ("at Q3 it was 74%"); None when not resolved."""
    clause = re.split(r"[;:]", before)[-1]
    if compile_all(params["year_ago_after"]).match(after) or compile_all(
            params["other_period"]).search(clause):
        return "other"  # "77.6% a year ago", "a year ago it was 77.6%"
    if compile_all(params["subgroup"]).search(clause) or compile_all(
            params["subgroup"]).match(after[:40]):
        return "other"
    if compile_all(params["other_measure_before"]).search(clause[-60:]):
        return "other"
    period = ctx.submission.period
    for mention in quarter_mentions(clause):
        between = clause[mention.end:]
        if re.search(r"\d", between) or "," in between.lstrip(",") or re.search(
                r"\d\S*\s+(?:\w+\s+){0,4}$", clause[: mention.start]):
            continue  # "from 71% in Q2 to 68%", "the same as Q2, against a 90% target"
        if is_previous(mention, period):
            return "earlier"
        if is_earlier(mention, period) or len(quarter_mentions(period or "")) != 1:
            return "other"  # a quarter of a year's figure ('FY2025'): a part of it
    for month in _month_mention().finditer(clause):
        between = clause[month.end():]
        preceding = re.sub(r"\d{1,2}(?:st|nd|rd|th)?\s+$", "", clause[: month.start()])
        if re.search(r"\d", between) or "," in between.lstrip(",") or re.search(
                r"\d\S*\s+(?:\w+\s+){0,4}$", preceding):
            continue  # "from 131 in June to 118", as for a quarter
        return _month_role(month, period)
    return None


@lru_cache(maxsize=1)
def _month_mention() -> re.Pattern[str]:
    """'June', 'September 2025': a month named, with its year when one is written."""
    return re.compile(r"\b(?P<month>" + "|".join(shared("months")) + r")\b(?:\s+(?P<year>20\d\d))?")


def _month_role(month: re.Match[str], period: str | None) -> str | None:
    """Whose figure a month names, for a quarter of a financial year (April to March):
    the quarter's last month is the quarter's (None: this period's, unresolved as
    before; 'earlier': last period's, "in June it was 131" for Q2); any other month, or
    a month of another year, is a part or another period ('other')."""
    parsed = parse_period(period)
    if parsed is None:
        return None
    start, quarter = parsed
    number = shared("months").index(month["month"]) + 1
    if number % 3:
        return "other"  # not a quarter's last month: a month's figure within a quarter
    # the year the month is in, this period's or last period's ('March' in a Q1: last year)
    year = start + (number < 4) - (quarter == 1 and number == 3)
    if month["year"] and int(month["year"]) != year:
        return "other"  # "June 2024" for 2025/26 Q2: a year ago
    held = period_of_month(year, number)
    return None if same_period(held, period) else (
        "earlier" if same_period(held, previous_period(period)) else "other")


def _period_of(after: str, ctx: Context, params: dict) -> str | None:
    """'earlier' when the figure is dated to an earlier period, 'current' to this one."""
    match = re.match(r"^\s*(?:in|at|at the end of|for)\s+(?:the\s+)?Q([1-4])\b", after)
    if match:
        earlier = earlier_quarters(ctx.submission.period)
        if not earlier:
            return None
        if int(match.group(1)) not in earlier:
            return "current"
        mentions = quarter_mentions(after[match.start(1) - 1:])
        if mentions and not is_previous(mentions[0], ctx.submission.period):
            return "other"  # "74% in Q2" when this is Q4: not last period's value
        return "earlier"
    if compile_all(params["previous_markers"]).match(after):
        return "earlier"
    month = compile_all(params["month_after"]).match(after)  # "131 at the end of June"
    named = _month_mention().match(after, month.end()) if month else None
    return _month_role(named, ctx.submission.period) if named else None


def _about_a_place(verb) -> bool:
    """'Uptake is lowest in Musselburgh': a part of the area, not the indicator."""
    for token in [verb, *verb.children]:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in {"in", "at"} and any(
                    t.pos_ == "PROPN" and not _month().match(t.text)
                    and not re.match(r"(?:Q[1-4]|FY\s?\d{2,4}\S*)$", t.text, re.I)
                    for t in child.subtree):  # "in FY23" is a period, not a place
                return True
    return False


def _about_a_part(verb, ctx: Context, params: dict) -> bool:
    """The clause is a part's, not the whole indicator's: its subject is one of the
    council's localities ("the North West reached 88%"), or a phrase on the verb names
    a part ("on the other days", "for the remaining cases", "in some teams"; not "in
    two weeks", a count)."""
    own = (ctx.submission.locality or "").lower()
    places = council_localities(ctx.settings)
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and any(
                t.text in places and t.lower_ not in own for t in child.subtree):
            return True
        if child.dep_ == "prep" and any(
                m.lower_ in params["part_words"] and not m.like_num
                for pobj in child.children if pobj.dep_ == "pobj" for m in pobj.children):
            return True
    return False


def _names_kpi(text: str, ctx: Context) -> bool:
    words = {stem(w) for w in re.findall(r"[a-z]+", text.lower())}
    return len(words & ctx.kpi_terms) >= 1


def _unit_matches(kind: str, unit: str | None) -> bool:
    if unit == "%":
        return kind == "percent"
    if unit and re.match(r"^[£$€]", unit):
        # Money: '4 delivery mechanisms' is not £4m, and the text's sums are budgets,
        # parts and earlier plans as often as the forecast (budget claims: data_claims)
        return False
    if unit in {"days", "weeks", "hours", "months"}:
        return kind == "duration"
    return kind in {"count", "rate"}


def _matches(figure, value: float, unit: str | None) -> bool:
    """The figure is the value in one of the ways its cell may be written (63% for 0.63)."""
    return any(_close(figure, reading) for reading in readings(value, unit))


def _close(figure, value: float) -> bool:
    """Equal to the precision written: '90%' matches 90.24, '78.4%' does not match 78.9."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", figure.text)
    decimals = len(digits.group(1) or "") if digits else 0
    return agrees_as_written(figure.value, value, decimals)


# --- "353 of 426 patients were seen" when the actual is not 82.9% ----------------------

_RATIO = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\s+(?:of|out of)\s+(?:the\s+|all\s+)?"
                    r"(\d{1,3}(?:,\d{3})+|\d+)\b(?![.,]\d|\s*%)")


def _ratio_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """A count of a total that the text gives as this indicator's numerator and
    denominator: its percentage must be the actual (to the nearest half point)."""
    sub = ctx.submission
    if sub.unit != "%":
        return None
    for match in _RATIO.finditer(sentence.text):
        part, whole = (float(g.replace(",", "")) for g in match.groups())
        if not 0 < part <= whole:
            continue
        before, after = sentence.text[: match.start()], sentence.text[match.end():]
        words = after.split()[:8]
        named = {stem(w) for w in re.findall(r"[a-z]+", " ".join(words).lower())}
        if len(named & ctx.kpi_terms) < 2 or re.search(r"\b(?:who|which|that|whose)\b",
                                                        " ".join(words[:5])):
            continue  # "8 of the 22 delays", "37 of the 52 young people who waited"
        clause = re.split(r"[;:,]", before)[-1]
        if len(clause.split()) > 2 and not _subject_states(clause, ctx, params):
            continue  # "agreements were signed on only 6 of the 14": not the subject
        if _role(before, after, ctx, params) is not None or compile_all(
                params["other_period"]).search(sentence.text) or _names_a_locality(
                sentence.text, ctx):
            continue  # last period's counts, a sub-group's, a year ago, a locality's
        share = part / whole * 100
        if compile_all(params["complement"]).search(" ".join(words)):
            share = 100 - share  # "58 of the 140 cases lacked a chronology": those without
        if any(abs(share - r) <= 0.5 + 1e-9 for r in readings(sub.actual, sub.unit)):
            return None
        return Hit(
            evidence=[sentence],
            values={"problem": f"the text gives {match.group(0)} ({share:.1f}%) but the "
                    f"submitted actual is {readings(sub.actual, sub.unit)[-1]:g}%"},
            confidence=params["confidence_value"],
            details={"quoted": match.group(0), "share": round(share, 2), "actual": sub.actual},
        )
    return None


def _names_a_locality(text: str, ctx: Context) -> bool:
    """The sentence names one of the council's localities other than the KPI's own ("in
    the South, where 58 of the 140 cases ..."): its counts are that locality's."""
    own = (ctx.submission.locality or "").lower()
    return any(re.search(rf"\b{re.escape(place)}\b", text) and place.lower() not in own
               for place in council_localities(ctx.settings))


def _subject_states(clause: str, ctx: Context, params: dict) -> bool:
    """'Hall bookings reflect 18 out of 22': a short clause that names the indicator
    and links it to the count that follows."""
    words = clause.split()
    return len(words) <= 5 and bool(compile_all(params["linking_verb"]).search(clause)) and \
        _names_kpi(clause, ctx)


# --- "improved by 8 percentage points" when it rose by 6 ------------------------------

def _change_by(params: dict) -> re.Pattern[str]:
    return _compile_change_by(tuple(params["change_by_verbs"]), tuple(params["change_units"]))


@lru_cache(maxsize=8)
def _compile_change_by(verbs: tuple[str, ...], units: tuple[str, ...]) -> re.Pattern[str]:
    numbers = "|".join(shared("number_words"))
    return re.compile(
        rf"\b(?:{'|'.join(verbs)})\w*\s+by\s+(?P<n>\d+(?:\.\d+)?|{numbers})"
        rf"\s*(?P<unit>{'|'.join(units)})?", re.I)


def _change_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    sub = ctx.submission
    if not isinstance(sub.previous_actual, float):
        return None
    if compile_all(params["other_period"]).search(sentence.text):
        return None  # "up 8 points on a year ago": not the change since last period
    match = _change_by(params).search(sentence.text)
    if match:
        token = sentence.span.doc.char_span(sentence.text_start + match.start(),
                                            sentence.text_start + match.end(),
                                            alignment_mode="expand")
        if token is None or not _subject_is_indicator(_governing_verb(token[0]), ctx, params):
            return None
    else:  # "performance is 64%, up 8 points": the clause states the indicator's value
        match = compile_all(params["change_up_down"]).search(sentence.text)
        if not match or not any(_matches(f, sub.actual, sub.unit) for f in sentence.figures
                                if f.value is not None and _unit_matches(f.kind, sub.unit)):
            return None
    raw = match["n"].lower()
    claimed = float(_number_values().get(raw, raw))
    unit = (match["unit"] or "").lower()
    if unit.startswith(("percentage", "point", "pp")) or (unit == "" and sub.unit != "%"):
        # 0.87 to 0.89 may be written as 2 points: fractions are read as percentages too
        changes = [abs(a - p) for a, p in zip(readings(sub.actual, sub.unit),
                                              readings(sub.previous_actual, sub.unit),
                                              strict=False)]  # 0 has one reading
        if any(abs(claimed - c) <= 0.5 + 1e-9 for c in changes):
            return None
        actual_change = changes[-1]
        what = "points" if unit else ""
    elif unit in {"%", "per cent"} and sub.unit != "%" and sub.previous_actual:
        actual_change = abs(sub.actual - sub.previous_actual) / sub.previous_actual * 100
        what = "%"
    else:
        return None  # "by 5%" of a percentage: relative or points, cannot tell
    if abs(claimed - actual_change) <= 0.5 + 1e-9:
        return None
    return Hit(
        evidence=[sentence],
        values={"problem": f"the text gives a change of {match['n']} {unit}".rstrip()
                + f", but the data show {sub.previous_actual:g} to {sub.actual:g} "
                f"(a change of {actual_change:.1f}{' ' + what if what else ''})"},
        confidence=params["confidence_value"],
        details={"claimed_change": claimed, "actual_change": round(actual_change, 2)},
    )


# --- "improved" when the data show a decline ------------------------------------------

def _changed_in(token) -> list:
    """'an improvement in uptake', 'increase in our performance': what changed."""
    return [t for c in token.children if c.dep_ == "prep" and c.lower_ == "in"
            for t in c.children if t.dep_ == "pobj"]


def _for_a_part(token, nouns: list, params: dict) -> bool:
    """'a fall in attendance for the groups that began in March': a part's change; 'for
    the year' or 'for Q3' is a period, not a part."""
    for head in [token, *nouns]:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ not in {"DATE", "TIME"} \
                            and pobj.lemma_.lower() not in params["period_nouns"]:
                        return True
    return False


def _direction_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    sub, facts = ctx.submission, ctx.facts
    if not isinstance(sub.previous_actual, float):
        return None
    unchanged = sub.actual == sub.previous_actual  # any change claimed contradicts it
    went_up, better = sub.actual > sub.previous_actual, facts.improved
    words = {name: compile_all(params[name]) for name in
             ("better_words", "worse_words", "up_words", "down_words")}
    negated = compile_all(params["negated_before"])
    if compile_all(params["other_period"]).search(sentence.text) and not is_annual(
            sub.period):
        return None  # "improved on the same quarter last year": not the change since last period
    for token in sentence.span:
        if token.lemma_.lower() not in params["change_lemmas"]:
            continue
        left = sentence.span.doc[sentence.span.start: token.i].text
        if negated.search(left):
            continue
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in token.children):
            continue  # "it had fallen": about an earlier period
        if any(c.dep_ == "aux" and c.tag_ == "MD" for c in token.children) or compile_all(
                params["future_before"]).search(left):
            continue  # "in 2026/27 the measure may decrease": a forecast, not the data
        nouns = _changed_in(token)
        bare = False  # "The decrease is due to ...": the sentence opens on the change
        if token.pos_ == "NOUN":  # "an improvement in uptake"
            about = any(_is_indicator(_head_noun(n, params), ctx, params) for n in nouns)
            if not nouns and token.i == sentence.span.start + 1 and token.nbor(-1).lower_ in {
                    "the", "this", "our"}:
                about = bare = True
        elif objects := [c for c in token.children if c.dep_ == "dobj"]:
            # "this has cut the capital outlay": what changed is the object, not the
            # subject (a cause); "to improve performance" is an aim
            about = not any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children) \
                and any(_is_indicator(_head_noun(o, params), ctx, params) for o in objects)
        else:  # "uptake rose"; "our results keep rising"
            about = _subject_is_indicator(token, ctx, params) or any(
                _is_indicator(_head_noun(n, params), ctx, params) for n in nouns)
        if token.i == sentence.span.start and len(sentence.span) <= params[
                "fragment_words"] and not any(t.dep_ in {"nsubj", "nsubjpass", "expl"}
                                              for t in sentence.span):
            about = True  # "Up from last year.": a line of its own states the change
        if not about or _for_a_part(token, nouns, params) or _about_a_part(token, ctx, params):
            continue
        text = token.text
        claim = None
        if unchanged:
            said = next((name for name, key in (("improved", "better_words"),
                                                ("declined", "worse_words"),
                                                ("increased", "up_words"),
                                                ("fell", "down_words"))
                         if words[key].search(text)), None)
            claim = (said, "unchanged") if said else None
        elif words["better_words"].search(text) and not better:
            claim = ("improved", "declined")
        elif words["worse_words"].search(text) and better:
            claim = ("declined", "improved")
        elif words["up_words"].search(text) and not went_up:
            claim = ("increased", "fell")
        elif words["down_words"].search(text) and went_up:
            claim = ("fell", "rose")
        if claim and bare and _against_target(claim[0], sub):
            continue  # "The drop is owed to ...": it may be the gap to the target or budget
        if claim:
            return Hit(
                evidence=[sentence],
                values={"problem": f"the text says performance {claim[0]}, but the data "
                        + (f"show it unchanged at {sub.actual:g}" if unchanged else
                           f"show it {claim[1]} from {sub.previous_actual:g} to {sub.actual:g}")},
                confidence=params["confidence_direction"],
                details={"claimed": claim[0], "previous_actual": sub.previous_actual,
                         "actual": sub.actual},
            )
    return None


def _against_target(claimed: str, sub) -> bool:
    """The actual stands against the target the way the claimed change goes ('fell': below
    it), so a bare "the reduction" may be read as that gap."""
    if not isinstance(sub.target, float) or sub.actual == sub.target:
        return False
    return {"increased": sub.actual > sub.target, "fell": sub.actual < sub.target}.get(
        claimed, False)


def _comparative_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'gave us a shorter turnaround time' when the hours rose: a comparative that modifies
    the indicator states its change ('shorter than the target' compares with another
    figure, not with last period)."""
    sub = ctx.submission
    if not isinstance(sub.previous_actual, float) or sub.actual == sub.previous_actual \
            or compile_all(params["other_period"]).search(sentence.text):
        return None
    went_up = sub.actual > sub.previous_actual
    for token in sentence.span:
        word = token.lower_
        said_up = (True if word in params["up_comparatives"]
                   else False if word in params["down_comparatives"] else None)
        if said_up is None or said_up == went_up or token.dep_ != "amod" \
                or token.head.pos_ != "NOUN":
            continue
        noun = token.head
        while noun.dep_ == "compound" and noun.head.pos_ == "NOUN":
            noun = noun.head  # "a shorter turnaround time": the time
        if any(t.lower_ == "than" for t in noun.subtree) or not _names_the_indicator(
                noun, token, ctx, params):
            continue
        claimed = "a rise" if said_up else "a fall"
        quoted = sentence.span.doc[token.i: noun.i + 1].text
        return Hit(
            evidence=[sentence],
            values={"problem": f"the text gives {claimed} ('{quoted}'), but the "
                    f"data show {sub.previous_actual:g} to {sub.actual:g}"},
            confidence=params["confidence_direction"],
            details={"claimed": claimed, "previous_actual": sub.previous_actual,
                     "actual": sub.actual},
        )
    return None


def _names_the_indicator(noun, comparative, ctx: Context, params: dict) -> bool:
    """The noun and its compounds name the indicator ('turnaround time' for a turnaround
    KPI) and no other modifier makes it a part ('urgent turnaround time')."""
    words = [noun, *(c for c in noun.children if c.dep_ == "compound")]
    if not any(w.lower_ in params["indicator_nouns"] or stem(w.lower_) in ctx.kpi_terms
               for w in words):
        return False
    return all(c.lower_ in params["whole_modifiers"] or stem(c.lower_) in ctx.kpi_terms
               for c in noun.children
               if c.dep_ in {"amod", "nmod", "poss"} and c is not comparative)
