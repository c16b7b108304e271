"""A suggested rewrite for a flagged sentence: the officer's own sentence kept, with
bracketed slots for what the finding says is missing ("Recruitment remains a challenge:
[number] WTE vacancies ([%] of establishment) at [date].").

Slots come from the finding's code and details (which of an action's timescale and impact
is missing, which challenge a sentence names, which phrase or acronym needs detail), never
from invented figures: every figure is a slot for the officer to fill. Used by `narrative-qa
check --format json` (each finding's "suggested_rewrite") and the web self-check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from narrative_qa.assessment import Assessment, Finding
from narrative_qa.catalogue import get_rule

SLOT = re.compile(r"\[[^\[\]\n]+\]")
_QUOTED = re.compile(r"'([^']+)'")
_END = re.compile(r"[\s.;:,!]+$")

# What gives the scale of each challenge NQ04 names (rules/NQ04 `challenges`).
CHALLENGE_SLOTS = {
    "staffing": "[number] WTE vacancies ([%] of establishment) at [date]",
    "absence": "[%] sickness absence ([number] WTE) in [period]",
    "demand": "[number] referrals in [period], [up or down] [%] on [earlier period]",
    "complexity": "[number] ([%]) of [cases] with [what makes them complex] at [date]",
    "capacity": "[number] [slots, beds or hours] available against [number] needed in "
                "[period]",
    "budget": "£[amount] ([%] of the budget) in [period]",
    "systems": "[number] [days or records] affected in [period]",
    "partners": "[number] [cases] delayed by [partner], [number] days on average, in "
                "[period]",
    "pandemic": "[number] [staff or people] affected in [period]",
}
GENERIC_SCALE = "[number] [what is counted] ([%] of [the total]) at [date]"
_DECLINE = re.compile(r"\b(?:fell|fall\w*|declin\w*|deteriorat\w*|dropp?\w*|worse\w*|"
                      r"decreas\w*|reduc\w*|lower|down)\b", re.IGNORECASE)
_ABSENCE = re.compile(r"\b(?:sick\w*|absen\w*)\b", re.IGNORECASE)


def slots(template: str) -> list[str]:
    """The bracketed slots of a template, in order."""
    return SLOT.findall(template)


def suggested_rewrite(finding: Finding, sentence: str) -> str | None:
    """The sentence rewritten with slots for what `finding` says it lacks; None when the
    finding is not about this sentence's wording (a RAG mismatch rests on the data)."""
    text = sentence.strip()
    if not text or text not in [quoted.strip() for quoted in finding.evidence]:
        return None
    make = _BY_CODE.get(finding.code)
    template = make(finding.details or {}, text) if make else None
    return template if template and template != text and slots(template) else None


def rewrites_of(finding: Finding) -> list[dict[str, str]]:
    """Each quoted sentence with its suggested rewrite (the JSON field)."""
    found = []
    for sentence in finding.evidence:
        template = suggested_rewrite(finding, sentence)
        if template:
            found.append({"sentence": sentence.strip(), "rewrite": template})
    return found


def checked_record(assessment: Assessment) -> dict[str, Any]:
    """A checked draft's record (Assessment.to_record()) with each finding's
    "suggested_rewrite", as `narrative-qa check --format json` and POST /api/v1/check give
    it and the self-check page shows it."""
    record = assessment.to_record()
    for finding, shown in zip(assessment.findings, record["findings"], strict=True):
        shown["suggested_rewrite"] = rewrites_of(finding)
    return record


def _stem(sentence: str) -> str:
    return _END.sub("", sentence)


def _then(sentence: str, addition: str) -> str:
    """The sentence, then a sentence of slots after it."""
    return f"{_stem(sentence)}. {addition}"


def _link(details: dict[str, Any], sentence: str) -> str:  # NQ01
    return _then(sentence, "Last quarter we reported [what was reported: the figure or the "
                 "reason]; since then [what has changed, with a figure].")


def _forecast(details: dict[str, Any], sentence: str) -> str:  # NQ02
    actions = details.get("actions") or []
    lowered = sentence.casefold()
    mine = [a for a in actions if str(a.get("action", "")).casefold() in lowered]
    missing = {m for a in (mine or actions) for m in a.get("missing", [])}
    missing = missing or {"timescale", "expected impact"}
    text = _stem(sentence)
    if "timescale" in missing:
        text += " by [by when]"
    if "expected impact" in missing:
        text += ", expected to [expected change, by how much]"
    return text + "."


def _impact(details: dict[str, Any], sentence: str) -> str:  # NQ03
    return _then(sentence, "[The action reported last quarter] has [what it achieved, with "
                 "a figure] since [when it started].")


def _scale(details: dict[str, Any], sentence: str) -> str:  # NQ04
    named = details.get("challenges") or []
    terms = get_rule("NQ04").params.get("challenges", {})
    kind = next((name for name in named if any(
        re.search(term, sentence, re.IGNORECASE) for term in terms.get(name, {}).get(
            "terms", []))), named[0] if len(named) == 1 else None)
    if kind == "staffing" and _ABSENCE.search(sentence):
        kind = "absence"
    return f"{_stem(sentence)}: {CHALLENGE_SLOTS.get(kind or '', GENERIC_SCALE)}."


def _why_failed(details: dict[str, Any], sentence: str) -> str:  # NQ05
    return _then(sentence, "It has not [had the effect expected] because [why it fell "
                 "short, with evidence]; we will [what changes] by [by when].")


def _why_declined(details: dict[str, Any], sentence: str) -> str:  # NQ06
    if _DECLINE.search(sentence):  # the sentence states the fall: only its cause is missing
        return _then(sentence, "This is because [what changed this period, when, and how "
                     "big it was].")
    return _then(sentence, "Performance fell from [last period's value] to [this period's "
                 "value] because [what changed this period, when, and how big it was].")


def _mechanism(details: dict[str, Any], sentence: str) -> str:  # NQ07
    return _then(sentence, "It will move this indicator by [how: what it changes for the "
                 "people counted], [expected change, by how much] by [by when].")


def _detail(details: dict[str, Any], sentence: str) -> str | None:  # NQ08
    text = sentence
    for item in details.get("items") or []:
        quoted = _QUOTED.findall(item)
        if item.endswith("written out in full"):
            for acronym in quoted:
                text = re.sub(rf"(?<![\w\[]){re.escape(acronym)}(?![\w\]])",
                              f"[{acronym} in full] ({acronym})", text, count=1)
        elif quoted and "does not say what is being done" in item and quoted[0] in text:
            phrase = quoted[0]
            text = text.replace(phrase, f"{phrase} [what exactly, by whom] by [by when]", 1)
        elif quoted and item.endswith("gives no date") and text.strip() in quoted[0]:
            text = f"{_stem(text)}: [the date or quarter it will be done]."
    return text if text != sentence else None


def _figure(details: dict[str, Any], sentence: str) -> str | None:  # NQ10
    quoted = str(details.get("quoted") or details.get("claimed") or "")
    if quoted and quoted in sentence:
        return sentence.replace(quoted, "[the figure as submitted, for this period]", 1)
    return _then(sentence, "[The figure as submitted, for this period].")


def _update(details: dict[str, Any], sentence: str) -> str:  # NQ11
    return _then(sentence, "Since last quarter [what has changed, with a figure]; "
                 "[what happens next] by [by when].")


_BY_CODE: dict[str, Callable[[dict[str, Any], str], str | None]] = {
    "NQ01": _link, "NQ02": _forecast, "NQ03": _impact, "NQ04": _scale, "NQ05": _why_failed,
    "NQ06": _why_declined, "NQ07": _mechanism, "NQ08": _detail, "NQ10": _figure,
    "NQ11": _update,
}
