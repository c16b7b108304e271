"""NQ05: actions were in place, the indicator did not improve, and nobody says why.

The indicator "did not improve" by the data, or as the text says: the actions had little
or no effect, or it improved by less than was forecast ("rose by only 0.6 points against
the 2 we forecast"). A sentence saying only the latter states the shortfall, not why.

Analysis must be about the named actions: a sentence that refers back to them (shares
their distinctive words, or says "these actions", "the clinics") and gives a shortfall
or its cause ("only 14 of the 60 families attended", "has not yet had an effect because").

An action that did not fall short is not one: a sentence reporting its own success ("was
delivered on schedule"), one the reading layer reads more as a cause of the change than
as an action ("two vacant posts cut the home visits made"), or one stating last
period's figure ("increased from Amber to Red"). An end date held from last period is a
schedule kept, not a failure to improve, unless the text says it is slipping.
"""

from __future__ import annotations

from narrative_qa.data_checks import end_date
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.lexicon import shared
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.readers import current_readers
from narrative_qa.language.words import compile_all, content_words
from narrative_qa.specs.params import Count, Ratio, Share

KIND = "unanalysed_failed_actions"
NEEDS: frozenset[str] = frozenset({"readers"})
PARAMS = {
    "confidence": Share,
    "min_shared_words": Count,
    "no_effect_claims": list[str],
    "no_change_claims": list[str],
    "fell_short": list[str],
    "short_of_forecast": list[str],
    "why_cues": list[str],
    "shortfall_cues": list[str],
    "not_remedial": list[str],
    "delivered_cues": list[str],
    "success_cues": list[str],
    "cause_reading_share": Share,
    "action_reading": Ratio,
    "action_references": list[str],
    "status_reports": list[str],
    "status_verbs": list[str],
}
ACTION_TAGS = ("action_taken", "action_continuing")
CAUSE_TAG = "cause_of_change"
PREVIOUS_TAG = "figure_previous"


def detect(ctx: Context, params: dict) -> list[Hit]:
    # issue 19: forecasts falling due this period are a second source of evidence
    from narrative_qa.forecasts.evidence import with_forecasts

    return with_forecasts(ctx, _detect(ctx, params), "NQ05", params["confidence"])


def _detect(ctx: Context, params: dict) -> list[Hit]:
    claims = _claims(ctx, compile_all(params["no_effect_claims"]))
    below_forecast = _claims(ctx, compile_all(params["short_of_forecast"]))
    unchanged = _claims(ctx, compile_all(params["no_change_claims"]))
    # the data first; where they show no change or nothing, the text may say it stayed
    by_data = _not_improved(ctx)
    not_improved = by_data or (not ctx.facts.improved and bool(unchanged))
    if not not_improved and not claims and not below_forecast:
        return []  # improved, or no previous value and no claim about the trend (§4)
    operating = _operating(ctx, params)
    if not operating or _analysed(ctx, params, operating):
        return []
    names = [f"'{short(s.action.summary, 10)}'" if s.action else f"'{short(s.text, 10)}'"
             for s in operating]
    trend = ("the indicator did not improve on last period" if by_data
             else "the text says they have had little effect" if claims
             else "the text says it improved by less than forecast" if below_forecast
             else "the text says it has not improved")
    return [Hit(
        evidence=operating + (claims or below_forecast or unchanged)[:1],
        values={"actions": joined(names), "trend": trend},
        confidence=params["confidence"],
        details={"actions": [s.action.summary if s.action else s.text for s in operating]},
    )]


def _claims(ctx: Context, pattern) -> list[Sentence]:
    return [s for s in ctx.sentences if pattern.search(s.text)]


def _not_improved(ctx: Context) -> bool:
    """The data say the measure did not improve. An end date as the actual that has not
    moved is the schedule kept (LABELLING.md §1: only a later date is a deterioration)."""
    facts = ctx.facts
    if facts.improved is not False:
        return False
    return bool(facts.deteriorated) or end_date(ctx.submission.actual) is None


def _operating(ctx: Context, params: dict) -> list[Sentence]:
    """The actions in operation during the period that may have fallen short: found by the
    analysis, or read as an action taken or continuing by the reading layer at
    `action_reading` times its threshold (passive and verbless ones the analysis misses)."""
    action, cause, previous = _readings(ctx)
    fell_short = compile_all([*params["fell_short"], *params["short_of_forecast"]])
    out = []
    for n, s in enumerate(ctx.sentences):
        found = s.action is not None and s.action.kind in {"taken", "continuing", "current"}
        read = (action[n] >= params["action_reading"] and not s.causal
                and (s.action is None or s.action.kind != "planned"))
        # an action said to have had no effect ("the clinics we ran did not improve
        # uptake", "ran all year, but the rate rose by only 0.6 points against the 2 we
        # forecast") reads as a cause of the change, but is the action that fell short
        failed = found and bool(fell_short.search(s.text))
        if (found or read) and not _not_an_action(s, params) and (failed or not (
                action[n] < params["cause_reading_share"] * cause[n]  # it says why
                or previous[n])):  # "moved from Amber to Red" states the trend, not an action
            out.append(s)
    return out


def _not_an_action(s: Sentence, params: dict) -> bool:
    """Words that say the sentence is no action that may have fallen short."""
    return bool(
        (s.action and s.action.verb in shared("watching_verbs"))
        # "approved to cover the gaps from January; we expect…": a plan; but a forecast
        # named to say the measure fell short of it is no plan
        or (s.impact and not compile_all(params["short_of_forecast"]).search(s.text))
        or compile_all(params["not_remedial"]).search(s.text)  # newsletters: NQ07's business
        or (s.figures and compile_all(params["delivered_cues"]).search(s.text))  # it worked
        or compile_all(params["success_cues"]).search(s.text)  # "opened on schedule"
        or _status_only(s, params))


def _status_only(s: Sentence, params: dict) -> bool:
    """A report that work goes on or a programme progresses ("work is ongoing to address
    this", "the programme continues to progress") names no action taken to fix
    performance (FINDINGS.md NQ05: the named actions); its vagueness is NQ08's business.
    An action the analysis finds in it ("work has started to draw up the new rota") is
    named."""
    return bool(compile_all(params["status_reports"]).search(s.text)) and (
        s.action is None or s.action.verb in params["status_verbs"])


def _readings(ctx: Context) -> tuple[list[float], list[float], list[bool]]:
    """Per sentence, from the reading layer (each probability over its reader's
    threshold): how strongly it reads as an action taken or continuing, how strongly as a
    cause of the change ("two vacant posts cut the home visits made" says why; it is
    not an action taken), and whether it states last period's figure."""
    readers = current_readers()
    at = {t: float(readers.thresholds[readers.tags.index(t)])
          for t in (*ACTION_TAGS, CAUSE_TAG, PREVIOUS_TAG)}
    action = [max(ps) for ps in zip(*(
        [p / at[t] for p in ctx.readings[t]] for t in ACTION_TAGS), strict=True)]
    cause = [p / at[CAUSE_TAG] for p in ctx.readings[CAUSE_TAG]]
    previous = [p >= at[PREVIOUS_TAG] for p in ctx.readings[PREVIOUS_TAG]]
    return action, cause, previous


def _analysed(ctx: Context, params: dict, operating: list[Sentence]) -> bool:
    """A sentence gives a shortfall or cause and refers to the actions. One saying only
    that the indicator moved less than forecast ("rose by only 0.6 points against the 2
    we forecast") states the shortfall; it does not say why."""
    shortfall = compile_all(params["shortfall_cues"])
    anaphora = compile_all(params["action_references"])
    kpi = ctx.kpi_terms
    below_forecast = compile_all(params["short_of_forecast"])
    why = compile_all(params["why_cues"])
    for sentence in ctx.sentences:
        if not shortfall.search(sentence.text):
            continue
        if below_forecast.search(sentence.text) and not why.search(sentence.text):
            continue  # the indicator's shortfall against the forecast, with no cause
        words = content_words(sentence.text)
        if anaphora.search(sentence.text) or any(
                len((content_words(a.text) - kpi) & words) >= params["min_shared_words"]
                for a in operating):
            return True
    return False
