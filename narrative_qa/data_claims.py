"""NQ10's claims about where the measure stands, checked against the data (issue 15,
item 4): against its target ("met its target", "missed by 257", "11% lower than
planned"), against its budget ("an underspend", "in line with budget"), against last
period ("remained steady", "little to no movement") and against its schedule ("on
track" when the end date moved out, an end date other than the submitted one, a
forecast end date in a later year).

Called by detectors/figures_contradict_data.py (detectors do not import each other), which
reads a figure or a direction and asks whose value it is; these read a claim about the
data's position and need no figure. The words are the rule file's
(rules/NQ10-figures-contradict-data.yml).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from narrative_qa.data_checks import agrees_as_written, end_date, readings
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.clauses import token_at
from narrative_qa.language.lexicon import shared
from narrative_qa.language.periods import quarter_mentions
from narrative_qa.language.words import compile_all, stem
from narrative_qa.reading.values import POWERS, SCALES, infer_polarity, is_two_sided

if TYPE_CHECKING:  # spaCy's types, for hints only (importing them loads torch)
    from spacy.tokens import Token


def _claimed(pattern: re.Pattern[str], sentence: Sentence, params: dict) -> re.Match | None:
    """The first match that is stated, not negated ("has not met" is the 'missed' list's)
    nor forecast ("may", "on track to", "expected to"), about the whole measure, not a
    part of it ("50% of the initiatives met the target")."""
    negated, future = compile_all(params["negated_before"]), compile_all(params["future_before"])
    part = compile_all(params["part_before"])
    for match in pattern.finditer(sentence.text):
        before = sentence.text[: match.start()]
        if not (negated.search(before) or future.search(before) or part.search(before)
                or _an_aim(sentence, match.start(), params)):
            return match
    return None


def _an_aim(sentence: Sentence, offset: int, params: dict) -> bool:
    """The claim hangs from an infinitive: an aim ('options to bring spending back within
    budget', 'work to keep it on track'), not a statement of the data; an infinitive after
    a verb that states ('spend continues to be within budget', `stated_infinitive`) is
    one."""
    token = token_at(sentence, offset)
    for _ in range(4):
        if token is None or token.head is token:
            return False
        if token.pos_ in {"VERB", "AUX"} and token.dep_ not in {"aux", "auxpass"}:
            break
        token = token.head
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children) and not (
        token.dep_ == "xcomp" and token.head.lemma_.lower() in params["stated_infinitive"])


def _each_claimed(patterns: list[str], sentence: Sentence,
                  params: dict) -> re.Match | None:
    """As _claimed, for a list whose patterns name the same groups (compiled one by one)."""
    for pattern in patterns:
        match = _claimed(compile_all([pattern]), sentence, params)
        if match:
            return match
    return None


def _hit(sentence: Sentence, problem: str, params: dict, **details: object) -> Hit:
    return Hit(evidence=[sentence], values={"problem": problem},
               confidence=params["confidence_claim"], details=details)


# --- against the target --------------------------------------------------------------

def target_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'met its target' when the data are amber or red; 'did not meet the target' when
    the data meet it; a stated gap ('missed by 257', '11% lower than planned') that is
    not the data's."""
    sub, facts = ctx.submission, ctx.facts
    if not (isinstance(sub.target, float) and isinstance(sub.actual, float)):
        return None
    if facts.rag_computed in {"amber", "red"} and _claimed(
            compile_all(params["target_met"]), sentence, params):
        return _hit(sentence, f"the text says the target was met, but the actual "
                    f"{sub.actual:g} against a target of {sub.target:g} is "
                    f"{facts.rag_computed}", params, claimed="met",
                    computed=facts.rag_computed)
    # 'below' misses only where higher is better; a budget is missed either way, so 'spend
    # lower than expected' is a variance (budget_claim's), not a missed target
    missed = params["target_missed"] + (params["target_below"] if sub.polarity == "up"
                                        and not is_two_sided(sub.kpi_name) else [])
    # With no polarity given and none in the name, 2.1 against 2 meets the target only
    # one way round: only the target hit exactly settles that it was met.
    settled = not sub.polarity_inferred or infer_polarity(sub.kpi_name) is not None \
        or sub.actual == sub.target
    if facts.off_target is False and settled and _claimed(compile_all(missed), sentence,
                                                          params):
        return _hit(sentence, f"the text says the target was missed, but the actual "
                    f"{sub.actual:g} meets the target of {sub.target:g}", params,
                    claimed="missed")
    return _target_figure(sentence, ctx, params) or _gap_claim(sentence, ctx, params)


def _target_figure(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'below the 90% target' when the data's target is 100%."""
    sub = ctx.submission
    match = _each_claimed(params["target_figure"], sentence, params)
    if not match:
        return None
    lead = sentence.text[max(0, match.start("n") - 40): match.start("n")]
    if (sub.unit == "%") != bool(match["pct"]) or compile_all(params["other_target"]).search(
            lead) or (quarter_mentions(sub.period or "") and compile_all(
                params["annual_target"]).search(lead)):
        return None  # "a target of 60 days" for a % KPI; a quarter's "annual target of 11.6"
    number = match["n"]
    value, decimals = float(number.replace(",", "")), len(number.partition(".")[2])
    if any(agrees_as_written(value, reading, decimals)
           for reading in readings(sub.target, sub.unit)):
        return None
    shown = f"{readings(sub.target, sub.unit)[-1]:g}{'%' if sub.unit == '%' else ''}"  # 0.7: 70%
    return _hit(sentence, f"the text gives the target as {match.group(0).strip(' ,')}, but the "
                f"submitted target is {shown}", params, quoted=number, target=sub.target)


def _gap_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    sub = ctx.submission
    match = _each_claimed(params["target_gap"], sentence, params)
    if not match:
        return None
    number = match["n"]
    claimed = float(number.replace(",", ""))
    decimals = len(number.partition(".")[2])
    if match["pct"]:  # '11% lower': of the target, or points for a % KPI
        gaps = [abs(t - a) / abs(t) * 100 for t, a in zip(
            readings(sub.target, sub.unit), readings(sub.actual, sub.unit), strict=False) if t]
        if sub.unit == "%":
            gaps += [abs(t - a) for t, a in zip(readings(sub.target, sub.unit),
                                                 readings(sub.actual, sub.unit), strict=False)]
        what = "%"
    else:
        gaps = [abs(sub.target - sub.actual)]
        what = ""
    if not gaps or any(agrees_as_written(claimed, gap, decimals)
                       or 0 <= gap - claimed < 10 ** -decimals for gap in gaps):
        return None  # rounded, or cut short: '16% higher' for a gap of 16.6%
    return _hit(sentence, f"the text gives a gap to the target of {match.group(0).strip()}, "
                f"but the data show {sub.actual:g} against {sub.target:g} (a gap of "
                f"{gaps[0]:.{max(decimals, 1)}f}{what})", params, claimed_gap=claimed,
                gap=round(gaps[0], 2))


# --- against the budget --------------------------------------------------------------

def budget_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """A budget against its forecast (target = budget, actual = forecast): 'an
    underspend' when the forecast is not below the budget, 'an overspend' when it is not
    above it, 'in line with budget' when the variance is amber or red. A revised budget
    is not the baseline the data hold."""
    sub, facts = ctx.submission, ctx.facts
    if not (is_two_sided(sub.kpi_name) and isinstance(sub.target, float)
            and isinstance(sub.actual, float)):
        return None
    if compile_all(params["other_budget"]).search(sentence.text):
        return None
    data = f"the data give a forecast of {sub.actual:g} against a budget of {sub.target:g}"
    if sub.actual >= sub.target and _claimed(compile_all(params["under_budget"]), sentence,
                                             params):
        return _hit(sentence, f"the text gives an underspend, but {data}", params,
                    claimed="underspend")
    if sub.actual <= sub.target and _claimed(compile_all(params["over_budget"]), sentence,
                                             params):
        return _hit(sentence, f"the text gives an overspend, but {data}", params,
                    claimed="overspend")
    if facts.rag_computed in {"amber", "red"} and _claimed(
            compile_all(params["on_budget"]), sentence, params):
        return _hit(sentence, f"the text says spend is in line with budget, but {data} "
                    f"({facts.variance_pct:g}% apart)", params, claimed="on budget")
    if any(compile_all(params["other_budget"]).search(s.text) for s in ctx.sentences):
        return None  # 'the budget allocated was £60m, so the variance is 1%': its variance
        # may be against that budget anywhere in the narrative
    return _budget_figure(sentence, ctx, params) or _forecast_figure(sentence, ctx, params) \
        or _variance_claim(sentence, ctx, params, data)


def _money_disagrees(match: re.Match[str], cell: float, about: bool = False) -> bool:
    """The text's sum (groups `n` and `scale`: '£80.0m') is not the cell's, as written. The
    cell's scale is not written, so it is read as the one (1, thousands, millions, billions)
    that puts it nearest the text's figure; 'about' allows 5%."""
    number = match["n"]
    figure = float(number.replace(",", ""))
    written = SCALES.get((match["scale"] or "").lower(), 1)  # the text's own scale
    claimed = figure * written
    if claimed <= 0:
        return False
    value = min((cell * s for s in POWERS),
                key=lambda v: abs(math.log(abs(v) / claimed)))
    return not (agrees_as_written(figure, value / written, len(number.partition(".")[2]))
                or (about and abs(claimed - value) <= 0.05 * abs(value)))


def _budget_figure(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'against a budget of £80.0m' when the data's budget (the target) is 85.0
    (LABELLING.md §3, NQ10: a budget in the text that is not the target's)."""
    sub = ctx.submission
    # 'the forecast' as a noun is the data's actual, not a hedge ('the forecast is £92m
    # against a budget of £80m'); 'is forecast to' still is one
    text = re.sub(r"\b((?:the|a|our|its)\s+)forecast\b", r"\1position", sentence.text,
                  flags=re.I)  # the same length: the parse's offsets still hold
    match = _claimed(compile_all(params["budget_figure"]), replace(sentence, text=text),
                     params)
    if not match or not sub.target:
        return None
    if not _money_disagrees(match, sub.target):
        return None
    return _hit(sentence, f"the text gives the budget as {match.group('figure')}, but the "
                f"submitted budget is {sub.target:g}", params, quoted=match.group("figure"),
                target=sub.target)


def _forecast_figure(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'the forecast cost is now £41.5m', 'the expected outturn is £36m' when the data's
    forecast (the actual) is 39.7; 'circa' allows 5%."""
    sub = ctx.submission
    match = next((m for pattern in params["forecast_figure"]  # they share group names
                  if (m := compile_all([pattern]).search(sentence.text))), None)
    if not match or not sub.actual or compile_all(params["negated_before"]).search(
            sentence.text[: match.start()]):
        return None
    if not _money_disagrees(match, sub.actual, about=bool(match["about"])):
        return None
    return _hit(sentence, f"the text gives the forecast as {match.group('figure')}, but the "
                f"submitted forecast is {sub.actual:g}", params, quoted=match.group("figure"),
                actual=sub.actual)


def _variance_claim(sentence: Sentence, ctx: Context, params: dict, data: str) -> Hit | None:
    """'a variance of 12%' when the forecast is 17.5% off the budget (the data's variance is
    computed from rounded cells, so 1% of it is allowed). The template names
    the forecast ('baseline / forecast variance'), so a forecast word is no hedge here."""
    sub = ctx.submission
    match = compile_all(params["budget_variance"]).search(sentence.text)
    if not match or not sub.target or compile_all(params["negated_before"]).search(
            sentence.text[: match.start()]):
        return None
    number = match["n"]
    apart = abs(sub.actual - sub.target) / abs(sub.target) * 100
    claimed = float(number)
    decimals = len(number.partition(".")[2])
    if agrees_as_written(claimed, apart, decimals) or abs(claimed - apart) <= apart / 100 \
            or 0 <= apart - claimed < 10 ** -decimals:
        return None  # within 1% of itself: the cells are rounded (13.6 against 4.08); or
        # cut short ('39%' for 39.5% apart)
    return _hit(sentence, f"the text gives a variance of {number}%, but {data} "
                f"({apart:.1f}% apart)", params, claimed_variance=float(number),
                variance=round(apart, 2))


# --- against last period: "remained steady" ------------------------------------------

def stay_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """The measure said to have stayed the same when the data moved by more than
    `stay_tolerance` of last period's value."""
    sub = ctx.submission
    if not (isinstance(sub.actual, float) and isinstance(sub.previous_actual, float)) \
            or not sub.previous_actual:
        return None
    moved = abs(sub.actual - sub.previous_actual) / abs(sub.previous_actual)
    if moved <= params["stay_tolerance"]:
        return None
    match = _claimed(compile_all(params["stay_words"]), sentence, params)
    if not match or not _about_the_measure(sentence.text[: match.start()], ctx, params):
        return None
    return _hit(sentence, f"the text says the measure stayed the same, but the data show "
                f"{sub.previous_actual:g} to {sub.actual:g}", params, claimed="unchanged",
                previous_actual=sub.previous_actual, actual=sub.actual)


def _about_the_measure(subject: str, ctx: Context, params: dict) -> bool:
    """The words before the claim name the measure: an indicator noun ('the percentage',
    'this metric') or two of the KPI's own words, and no part of it ('some teams')."""
    words = re.findall(r"[a-z]+", subject.lower())[-12:]
    if any(w in params["part_words"] for w in words) or any(
            stem(w) in params["other_measures"] for w in words[-3:]):
        return False  # 'some teams'; 'the variance has stayed': another measure
    if any(w in params["indicator_nouns"] for w in words):
        return True
    return len({stem(w) for w in words} & ctx.kpi_terms) >= 2


# --- against the schedule ------------------------------------------------------------

def schedule_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'on track' or 'on schedule' when the end date moved out since last period
    (LABELLING.md §3, NQ10); a part's milestones on track are not the whole's, nor is a
    claim against the new plan ('on schedule since the reset', 'within this extension
    period')."""
    if not ctx.facts.deteriorated or compile_all(params["new_schedule"]).search(sentence.text):
        return None  # 'on schedule since the reset': against the plan that moved the date
    match = _claimed(compile_all(params["on_schedule"]), sentence, params)
    after = sentence.text[match.end():] if match else ""
    if not match or compile_all(params["part_of_schedule"]).match(after):
        return None
    milestone = compile_all(params["milestone_after"]).match(after)
    if milestone and _milestone_before_end(re.split(r"[.;]", after)[0], ctx, params):
        return None  # 'on track to open the depot by May 2025': a milestone before the end
    clause = re.split(r"[;,]|\band\b", sentence.text[: match.start()])[-1]
    if compile_all(params["part_subject"]).search(clause) or _part_is_subject(
            sentence, match.start(), params):
        return None  # 'the remainder are on track': a part of the work
    sub = ctx.submission
    return _hit(sentence, f"the text says the work is on schedule, but the end date moved "
                f"from {sub.previous_actual} to {sub.actual}", params, claimed="on schedule")


def _clause_verb(sentence: Sentence, offset: int, steps: int) -> Token | None:
    """The verb heading the clause that holds `offset`, walking up the parse at most
    `steps` times (or the word the walk stopped at: the root, or the last one reached)."""
    token = token_at(sentence, offset)
    for _ in range(steps):
        if token is None or token.head is token or (
                token.pos_ in {"VERB", "AUX"} and token.dep_ not in {"aux", "auxpass"}):
            break
        token = token.head
    return token


def _part_is_subject(sentence: Sentence, offset: int, params: dict) -> bool:
    """The clause's subject is a part of the work ('the design phases are on track')."""
    token = _clause_verb(sentence, offset, 4)
    subjects = [c for c in (token.children if token is not None else [])
                if c.dep_ in {"nsubj", "nsubjpass"}]
    heads = subjects + [c for s in subjects for c in s.children if c.dep_ == "conj"]
    return any(re.match(r"[a-z]*", h.lemma_.lower()).group(0) in params["part_of_work"]
               for h in heads)  # 'Alpha and Beta phase(s)': the conjoined heads too


def _milestone_before_end(text: str, ctx: Context, params: dict) -> bool:
    """The date a milestone is on track for falls before the end date last period (or this
    one's, with none given): a step on the way, not the whole's end. 'By this date' is the
    new end date's. A date at or after that end ('on track to deliver by 2021' of an end in
    October 2021; the old end date itself) is the whole's."""
    if re.search(r"\b(?:this|that|the new|the revised) date\b", text, re.I):
        return True
    sub = ctx.submission
    end = end_date(sub.previous_actual) if isinstance(sub.previous_actual, str) else None
    end = end or end_date(sub.actual)
    if end is None:
        return False
    full = [d for d in (_read_date(m.group(0)) for m in _DATE.finditer(text)) if d]
    if full:
        return (full[0].year, full[0].month) < (end.year, end.month)
    for m in _month_year().finditer(text):
        month = _month_number(m["month"])
        if month is None and compile_all(params["early_in_year"]).search(text[: m.start()]):
            month = 6  # 'by early 2016': by mid-year at the latest
        return (int(m["year"]), month or 12) < (end.year, end.month) if month else \
            int(m["year"]) < end.year
    return False


_DATE = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?"
                   r"\s+[A-Z][a-z]{2,8}\.?\s+\d{4})\b")


def end_date_value_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'the end date has moved to 30 Sep 2037' when the submitted end date is 31.03.35: the
    first date (or month, or year) after the end date is named, not in brackets (a
    report's date), after 'from' (last period's) or forecast ('the forecast end date is
    2026': the data hold the approved one), nor a part's end date ('the construction
    contract completion date'). A sentence that gives the submitted date agrees."""
    actual = end_date(ctx.submission.actual)
    named = compile_all(params["end_date_named"]).search(sentence.text)
    if actual is None or not named or compile_all(params["part_of_end_date"]).search(
            sentence.text[: named.start()]) or compile_all(params["part_after_end_date"]).match(
            sentence.text[named.end():]) or compile_all(params["future_before"]).search(
            re.split(r"[,;]", sentence.text[: named.start()])[-1]):
        return None  # 'the construction contract completion date', 'the end date for the
        # supplier contracts': a part's; 'a plan that is to pull the programme end forward
    dates = [(m, _read_date(m.group(0))) for m in _DATE.finditer(sentence.text)]
    if any(day is not None and (day.year, day.month) == (actual.year, actual.month)
           for _, day in dates):
        return None  # '31 Mar 2038' for 30.03.38: a day apart is how it was written
    partial = [(m, _month_number(m["month"]), int(m["year"]))
               for m in _month_year().finditer(sentence.text)
               if not any(f.start() <= m.start() < f.end() for f, _ in dates)]
    if any(year == actual.year and month in {None, actual.month}
           for _, month, year in partial):
        return None  # 'end date of March 2035' states 31.03.35
    dates += [(m, (month, year)) for m, month, year in partial]
    dates.sort(key=lambda pair: pair[0].start())
    for match, day in dates:
        before = sentence.text[: match.start()]
        if match.start() < named.end() or day is None or before.count("(") > before.count(")"):
            continue
        if re.search(r"\bfrom\s+$", before):
            continue
        if _last_periods_date(day, ctx) and _in_the_past(sentence, match.start()):
            continue  # last period's end date, told in the past tense: not this period's
        if compile_all(params["forecast_end_date"]).search(
                sentence.text[max(0, named.start() - 25): match.start()]):
            return None  # 'our latest forecast end date is October 2026': not the approved one
        if compile_all(params["earlier_end_date"]).search(
                sentence.text[max(0, named.start() - 25): match.start()]):
            return None  # an initial end date, or last year's return's: not this period's
        if match.start() - named.end() > 80:
            return None
        return _hit(sentence, f"the text gives the end date as {match.group(0)}, but the "
                    f"submitted end date is {ctx.submission.actual}", params,
                    quoted=match.group(0))
    return None


def _last_periods_date(day: object, ctx: Context) -> bool:
    """A date (or a (month, year) pair) in the month of last period's end date."""
    previous = ctx.submission.previous_actual
    before = end_date(previous) if isinstance(previous, str) else None
    if before is None:
        return False
    if isinstance(day, date):
        return (day.year, day.month) == (before.year, before.month)
    month, year = day  # type: ignore[misc]
    return year == before.year and month in {None, before.month}


def _in_the_past(sentence: Sentence, offset: int) -> bool:
    """The clause holding `offset` is in the simple past ('was', 'reflected')."""
    token = _clause_verb(sentence, offset, 6)
    if token is None:
        return False
    tags = [token.tag_] + [c.tag_ for c in token.children if c.dep_ in {"aux", "auxpass"}]
    return "VBD" in tags[:1] or (token.tag_ == "VBN" and "VBD" in tags[1:])


@lru_cache(maxsize=1)
def _month_year() -> re.Pattern[str]:
    """'April 2017', 'Feb 2029' or a bare '2025': a date given to the month or the year,
    not a financial year ('2022/23', 'FY2023') nor a report's quarter ('Q2 2019')."""
    months = "|".join(shared("months") + shared("month_abbreviations"))
    return re.compile(rf"(?<![\w/.-])(?<!Q[1-4] )(?<!FY)(?<!FY )(?:(?P<month>{months})\.?\s+)?"
                      r"(?P<year>20\d\d)\b(?!\s*[/–-]\s*\d)")


def _month_number(name: str | None) -> int | None:
    if name is None:
        return None
    return next(n for n, full in enumerate(shared("months"), start=1)
                if full.lower().startswith(name.lower()[:3]))


def _read_date(text: str) -> date | None:
    return end_date(re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|\.(?=\s)", "", text))


def end_date_claims(ctx: Context, params: dict) -> list[Hit]:
    for sentence in ctx.sentences:
        hit = schedule_claim(sentence, ctx, params) or end_date_value_claim(
            sentence, ctx, params) or end_date_change_claim(sentence, ctx, params)
        if hit:
            return [hit]
    return later_forecast_end(ctx, params)


def end_date_change_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    """'the end date has been delayed' when the submitted end date is last period's: the
    text states a move the data do not show (not one it had made before, nor a part's)."""
    sub = ctx.submission
    before = end_date(sub.previous_actual) if isinstance(sub.previous_actual, str) else None
    if before is None or before != end_date(sub.actual):
        return None
    match = _claimed(compile_all(params["end_date_changed"]), sentence, params)
    if not match or compile_all(params["part_of_end_date"]).search(
            sentence.text[: match.start()]):
        return None
    return _hit(sentence, f"the text says the end date moved, but the submitted end date is "
                f"{sub.actual}, as it was last period", params, claimed="moved")


# --- a forecast end date beyond the approved one --------------------------------------

# A year after the end date is named, alone, after a month, or as a financial year
# ("2028/29"): the forecast only has to fall in a later year than the submitted date.
_LATER_YEAR = re.compile(r"(?<![\w/.-])(?:[A-Za-z]{3,9}\.?\s+)?(?P<year>20\d\d)(?:\s*/\s*\d\d)?\b")


def later_forecast_end(ctx: Context, params: dict) -> list[Hit]:
    """'we estimate the project end in 2031' when the approved end date is in 2029: the
    data's date will not hold, and the narrative does not say the date is being revised
    (new_schedule, anywhere in it). An earlier forecast is finishing early, not a
    contradiction; a part's end date is not the whole's."""
    actual = end_date(ctx.submission.actual)
    if actual is None or any(compile_all(params["new_schedule"]).search(s.text)
                             for s in ctx.sentences):
        return []
    named_words, forecast = compile_all(params["end_date_named"]), compile_all(
        params["forecast_end_date"])
    for sentence in ctx.sentences:
        named = named_words.search(sentence.text)
        if not named or not forecast.search(sentence.text) or compile_all(
                params["part_of_end_date"]).search(sentence.text[: named.start()]):
            continue
        for match in _LATER_YEAR.finditer(sentence.text[named.end(): named.end() + 80]):
            if int(match["year"]) > actual.year:
                return [Hit(evidence=[sentence], values={
                    "problem": f"the text forecasts the end in {match.group(0).strip()}, later "
                    f"than the submitted end date of {ctx.submission.actual}"},
                    confidence=params["confidence_claim"], details={"quoted": match.group(0)})]
    return []


def position_claim(sentence: Sentence, ctx: Context, params: dict) -> Hit | None:
    return (target_claim(sentence, ctx, params) or budget_claim(sentence, ctx, params)
            or stay_claim(sentence, ctx, params))


