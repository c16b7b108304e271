"""NQ08: too short for an off-target KPI, status phrases with no specifics, or acronyms
that are not explained."""

from __future__ import annotations

import re

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.lexicon import any_month
from narrative_qa.language.lexicon import localities as council_localities
from narrative_qa.language.quoting import joined
from narrative_qa.language.words import compile_all
from narrative_qa.specs.params import Share

KIND = "needs_detail"
NEEDS: frozenset[str] = frozenset()
PARAMS = {
    "confidence": dict[str, Share],
    "vague_phrases": list[str],
    "description_cues": list[str],
    "not_acronyms": list[str],
    "small_words": list[str],
}

_ACRONYM = re.compile(r"(?<![\w&])([A-Z][A-Z0-9&]*[A-Z0-9])(s?)(?![\w&])")


def detect(ctx: Context, params: dict) -> list[Hit]:
    problems: list[tuple[list[Sentence], str, str]] = []  # (evidence, kind, description)
    short = _too_short(ctx)
    if short:
        problems.append(short)
    problems.extend(_vague_phrases(ctx, params))
    acronyms = _unexplained_acronyms(ctx, params)
    if acronyms:
        problems.append(acronyms)
    if not problems:
        return []
    return [Hit(
        evidence=[s for evidence, _, _ in problems for s in evidence],
        values={"problems": "; ".join(d for _, _, d in problems)},
        confidence=min(params["confidence"][kind] for _, kind, _ in problems),
        details={"kinds": sorted({kind for _, kind, _ in problems}),
                 "items": [d for _, _, d in problems]},
    )]


def _too_short(ctx: Context):
    facts, limit = ctx.facts, ctx.settings.min_words_off_target
    off_target = facts.off_target if facts.off_target is not None else facts.held_to_all
    count = ctx.analysis.word_count
    if off_target and count < limit:
        return (ctx.sentences[:1], "short",
                f"the narrative has {count} words; an off-target KPI needs at least {limit} "
                "to give the reasons, the actions and when it will recover")
    return None


def _vague_phrases(ctx: Context, params: dict):
    vague = compile_all(params["vague_phrases"])
    description = compile_all(params["description_cues"])
    found = []
    for sentence in ctx.sentences:
        if sentence.section == "timescale" and not sentence.timescales and sentence.vague_timing:
            found.append(([sentence], "vague",
                          f"'Timescale: {sentence.text.strip()}' gives no date"))
            continue
        match = vague.search(sentence.text)
        if not match or _has_specifics(sentence, match, description):
            continue
        found.append(([sentence], "vague",
                      f"'{match.group(0)}' does not say what is being done, by whom or by "
                      "when"))
    return found


def _has_specifics(sentence: Sentence, match: re.Match, description: re.Pattern[str]) -> bool:
    if sentence.timescales or any(f.kind != "duration" for f in sentence.figures):
        return True
    rest = sentence.text[match.end():]
    if description.search(rest):
        return True
    for token in sentence.span:
        if token.pos_ != "PROPN" or token.i == sentence.span.start:
            continue
        if any(a.dep_ in {"nsubj", "nsubjpass"} for a in [token, *token.ancestors]):
            continue  # the thing being progressed is not a specific
        return True
    return False


def _unexplained_acronyms(ctx: Context, params: dict):
    from narrative_qa.language.nlp import english_words

    settings = ctx.settings
    text = ctx.analysis.text
    kpi_name = ctx.submission.kpi_name or ""
    service = ctx.submission.service or ""
    known = settings.acronyms | settings.names
    words = english_words()
    localities = frozenset(council_localities(settings))  # "NE" is a place, not an acronym
    not_acronyms = compile_all(params["not_acronyms"])
    small_words = frozenset(params["small_words"])
    months = any_month()
    # a name written in capitals here and as a name elsewhere ("JULIUS", "Project Julius")
    as_names = set(re.findall(r"\b[A-Z][a-z]{3,}\b", " ".join((text, kpi_name, service))))
    found: dict[str, Sentence] = {}
    for sentence in ctx.sentences:
        for match in _ACRONYM.finditer(sentence.text):
            acronym = match.group(1)
            letters = re.sub(r"[^A-Z]", "", acronym)
            if len(letters) < 2 or acronym in found:
                continue
            before = sentence.text[: match.start()].split()
            named = f"{before[-1]} {acronym}".upper() if before else ""
            if acronym in known or named in known or acronym in localities or (
                    not_acronyms.fullmatch(acronym)) or months.fullmatch(acronym):
                continue  # the glossary's: a month in capitals ("31 MAR 2026") is a date
            if len(acronym) >= 4 and (acronym.lower() in words or acronym.capitalize() in as_names):
                continue  # a word written in capitals: a heading or a product name
            if any(_expanded(acronym, t, small_words) for t in (text, kpi_name, service)):
                continue  # the service reporting is named in the data ("Office of ... (MO..)")
            found[acronym] = sentence
    if not found:
        return None
    names = [f"'{a}'" for a in found]
    return (list(found.values()), "acronym",
            f"{joined(names)} {'is' if len(found) == 1 else 'are'} not written out in full")


def _expanded(acronym: str, text: str, small_words: frozenset[str]) -> bool:
    """The words the acronym stands for appear in order: 'Child and Adolescent Mental
    Health Services' for CAMHS (small words and hyphens allowed). A small word may stand
    for a letter or be skipped: 'and' is the A of 'A&E' but not of CAMHS."""
    letters = re.sub(r"[^A-Z]", "", acronym).lower()
    # a possessive is part of its word ("Scottish Children's Reporter Administration")
    plain = re.sub(r"[^\w\s/&-]", " ", re.sub(r"(?<=\w)['’]s\b", "", text))
    written = [t for t in re.split(r"[\s/-]+", plain) if t]
    tokens = [t.lower() for t in written]

    def spells(index: int, position: int, initials: bool) -> bool:
        if position == len(letters):
            return True
        if index == len(tokens):
            return False
        word = tokens[index]
        if word.startswith(letters[position]) and spells(index + 1, position + 1, initials):
            return True
        # initials inside the expansion stand for their letters ("UK Financial
        # Intelligence Unit" for UKFIU)
        if (initials and 1 < len(word) < len(letters) and written[index].isupper()
                and written[index].isalpha() and letters.startswith(word, position)
                and spells(index + 1, position + len(word), initials)):
            return True
        return word in small_words and position > 0 and spells(index + 1, position, initials)

    def itself(word: str) -> bool:
        return word in (letters, f"{letters}s")  # the acronym, or its plural ("KPIs")

    # The acronym never spells itself out: 'TEC equipment checks' does not expand TEC.
    return any(tokens[start].startswith(letters[0]) and len(letters) > 1
               and not itself(tokens[start]) and spells(start, 0, True)
               for start in range(len(tokens))) if letters else False

