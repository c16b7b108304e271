"""Reading a narrative once: sentences, sections, figures, timescales, actions, impact, causes.

An :class:`Analysis` is built from one spaCy ``Doc`` and never changes afterwards; the
detectors only read it (data flows one way, STYLE.md §3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from narrative_qa.language.lexicon import RATE_UNIT, Lexicon, lexicon
from narrative_qa.language.quoting import short

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_BULLET = re.compile(r"^\s*(?:[-•*·▪➤>o]|\d{1,2}[.)]|\(?[a-z][.)])\s+")
_HEADING = re.compile(
    r"^\s*(?P<label>[A-Za-z][A-Za-z /&'()-]{1,60}?)\s*(?::|–|—|-\s)\s*(?P<rest>.*)$", re.S
)
_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")


@dataclass(frozen=True)
class Figure:
    text: str
    kind: str  # percent | money | wte | duration | rate | count
    value: float | None
    start: int  # offset within the sentence
    end: int


@dataclass(frozen=True)
class Action:
    sentence: int  # index of the sentence stating it
    kind: str  # planned | continuing (offered as the remedy) | current | taken
    verb: str  # lemma of the action verb
    summary: str  # a short quote naming the action


@dataclass
class Sentence:
    index: int
    text: str  # without any heading label or bullet
    start: int  # offsets of the sentence in the narrative
    end: int
    section: str | None
    span: Span
    heading_only: bool = False
    figures: list[Figure] = field(default_factory=list)
    timescales: list[str] = field(default_factory=list)
    vague_timing: list[str] = field(default_factory=list)
    impact: str | None = None  # "quantified" | "unquantified" | None
    causal: bool = False
    action: Action | None = None
    text_start: int = 0  # offset of `text` (heading and bullet removed) in the narrative

    @property
    def quote(self) -> str:
        return self.span.text.strip()


@dataclass
class Analysis:
    text: str
    sentences: list[Sentence]

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def actions(self) -> list[Action]:
        return [s.action for s in self.sentences if s.action]

    def content(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.heading_only]


# --- building ------------------------------------------------------------------------

def analyse_docs(docs: Iterable[Doc]) -> list[Analysis]:
    lex = lexicon()
    return [_analyse(doc, lex) for doc in docs]


def analyse_texts(texts: list[str], batch_size: int = 64, processes: int | None = 1,
                  alongside: Callable[[], None] | None = None) -> list[Analysis]:
    """Analyses of `texts`, in order. `processes` parse on that many cores (None: automatic,
    see nlp.processes_for); the analyses are the same either way. A few texts (a draft
    and last period's narrative) reuse recent parses where they can (reparse.py): the
    same Docs as a full parse, in a fraction of the time when one sentence changed.
    `alongside` is called as the parse starts (see nlp.parse)."""
    from narrative_qa.language.nlp import get_nlp, parse, processes_for
    from narrative_qa.language.reparse import FEW, parse_texts

    count = processes_for(len(texts), processes)
    if count == 1 and len(texts) <= FEW:
        if alongside:
            alongside()
        return analyse_docs(parse_texts(texts, get_nlp()))
    return analyse_docs(parse(texts, count, batch_size, alongside))


def _section_of(label: str, lex: Lexicon) -> str | None:
    label = " ".join(label.lower().split())
    for section, pattern in lex.headings:
        if pattern.match(label):
            return section
    return None


def _analyse(doc: Doc, lex: Lexicon) -> Analysis:
    """Split into sentences and give each the section it sits in.

    A heading on a line of its own ("Actions:") covers the lines under it up to a blank
    line or the next heading; an inline heading ("Timescale: ongoing") covers its line.
    """
    sentences: list[Sentence] = []
    block: str | None = None  # section from a heading line
    line: str | None = None  # section from an inline heading
    previous_end = 0
    whole = doc.text  # spaCy joins every token to make it: once, not once a sentence
    for span in doc.sents:
        raw = span.text
        if not raw.strip():
            continue
        if _bare_bullet(raw):
            continue  # the parser cut a list mark from its item: it belongs to the next
        content_start = span.start_char + len(raw) - len(raw.lstrip())
        gap = whole[previous_end: content_start]
        previous_end = span.start_char + len(raw.rstrip())
        if "\n" in gap:
            line = None
        if re.search(r"\n\s*\n", gap):
            block = None
        body, body_offset = raw.strip(), 0
        bullet = _BULLET.match(body)
        if bullet:
            body_offset = bullet.end()
            body = body[body_offset:]
        heading_only = False
        stripped = body.strip().rstrip(":").strip()
        named = _section_of(stripped, lex) if len(stripped) < 60 else None
        if named:
            block, line, heading_only = named, None, True
        else:
            match = _HEADING.match(body)
            if match and (named := _section_of(match["label"], lex)):
                line = named
                body = match["rest"]
        text = body.strip()
        sentence = Sentence(
            index=len(sentences), text=text, start=span.start_char,
            end=span.end_char, section=line or block, span=span, heading_only=heading_only,
            text_start=span.start_char + max(raw.find(text), 0),
        )
        if not heading_only and sentence.text:
            _read_features(sentence, lex)
        sentences.append(sentence)
    return Analysis(whole, sentences)


def _bare_bullet(raw: str) -> bool:
    """A span that is only a list mark ("-", "•", "1."), with no item after it."""
    mark = _BULLET.match(raw.strip() + " ")
    return bool(mark) and mark.end() == len(raw.strip()) + 1


def _read_features(sentence: Sentence, lex: Lexicon) -> None:
    text = sentence.text
    sentence.figures = find_figures(text, lex)
    sentence.timescales = find_timescales(text, lex)
    sentence.vague_timing = [m.group(0) for m in lex.vague_timing.finditer(text)]
    if lex.impact_cue.search(text) or sentence.section == "impact":
        quantified = any(f.kind != "duration" or not _is_timescale_only(f, text)
                         for f in sentence.figures) or lex.impact_quantity.search(text)
        sentence.impact = "quantified" if quantified else "unquantified"
    sentence.causal = bool(lex.causal.search(text))
    sentence.action = _find_action(sentence, lex)


def _is_timescale_only(figure: Figure, text: str) -> bool:
    before = text[max(0, figure.start - 12): figure.start].lower()
    return bool(lexicon().timescale_lead.search(before))


def find_timescales(text: str, lex: Lexicon | None = None) -> list[str]:
    lex = lex or lexicon()
    found = [m.group(0) for m in lex.timescale.finditer(text)]
    found += [m.group(0) for m in lex.months.finditer(text)]
    return found


def find_figures(text: str, lex: Lexicon | None = None) -> list[Figure]:
    lex = lex or lexicon()
    months = lex.months
    figures: list[Figure] = []
    for match in lex.figure.finditer(text):
        kind = match.lastgroup or "count"
        token = match.group(0)
        after = text[match.end():]
        before = text[: match.start()]
        value: float | None = None
        if kind in {"percent", "wte", "number", "money"}:
            digits = re.search(r"\d[\d,]*(?:\.\d+)?", token)
            value = float(digits.group(0).replace(",", "")) if digits else None
        if kind == "number":
            bare = token.replace(",", "")
            if "," not in token and _YEAR.match(bare):
                continue  # a year
            if months.match(after.lstrip()) or lex.month_at_end.search(before):
                continue  # a day of a month: "31 March", "March 31"
            if re.match(r"^\s*(?:st|nd|rd|th)\b", after):
                continue
            if not before.strip() and re.match(r"^[.)]\s", after):
                continue  # list numbering "1."
            if lex.identifier_before.search(before):
                continue  # an identifier, not a quantity
            kind = "count"
            if lex.duration_unit.match(after):
                kind = "duration"
            elif RATE_UNIT.match(after):
                kind = "rate"
        elif kind == "word":
            kind = "count"
            if lex.duration_unit.match(after):
                kind = "duration"
        figures.append(Figure(token, kind, value, match.start(), match.end()))
    return figures


# --- actions -------------------------------------------------------------------------

def _subject(token: Token) -> list[Token]:
    """The subject of a verb, climbing through 'continue to X' and coordination."""
    current = token
    for _ in range(4):
        for child in current.children:
            if child.dep_ in {"nsubj", "nsubjpass", "csubj"}:
                return list(child.subtree)
        if current.dep_ in {"xcomp", "conj", "advcl", "ccomp"} and current.head is not current:
            current = current.head
        else:
            break
    return []


def _has_agent(token: Token, lex: Lexicon) -> bool:
    """The service is the subject: 'we', 'the team', or a named body ('Cordia')."""
    subject = _subject(token)
    text = " ".join(t.lower_ for t in subject)
    return any(t.pos_ == "PROPN" for t in subject) or any(
        re.search(rf"\b{re.escape(a)}\b", text) for a in lex.agents)


def _find_action(sentence: Sentence, lex: Lexicon) -> Action | None:
    span = sentence.span
    chosen: Token | None = None
    for token in span:
        if token.pos_ not in {"VERB", "NOUN"} and not token.tag_.startswith("VB"):
            continue
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN" or any(c.dep_ == "neg" for c in token.children):
            continue  # "replacements will not be trained until February" is no action
        if lemma in lex.strong_verbs and not _is_descriptive(token):
            chosen = token
            break
        if lemma in lex.weak_verbs and _has_agent(token, lex):
            chosen = chosen or token
    in_actions = sentence.section == "actions"
    root = span.root
    if chosen is None and root.lemma_.lower() == "continue" and not any(
            c.dep_ == "xcomp" for c in root.children):
        # "The weekly careers sessions and the monthly panel will continue."
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            # "We will continue with these actions": a pronoun does not name the action.
            named = sentence.text if subject.pos_ == "PRON" else " ".join(
                t.text for t in subject.subtree)
            return Action(sentence.index, "continuing", "continue", short(named, 12))
    if chosen is None and not in_actions:
        return None
    if chosen is None:  # a nominal bullet under "Actions": "Weekly huddles with GP practices"
        root = span.root
        kind = _tense(root, span) if root.pos_ in {"VERB", "AUX"} else None
        return Action(sentence.index, kind or "planned", "", short(sentence.text, 12))
    kind = _tense(chosen, span)
    if kind is None:
        kind = "planned" if in_actions else None
    if kind is None:
        return None
    summary = (short(span.doc[chosen.i: chosen.right_edge.i + 1].text, 12)
               or short(sentence.text, 12))
    if len(summary.split()) < 3:
        summary = short(sentence.text, 12)
    return Action(sentence.index, kind, chosen.lemma_.lower(), summary)


def _is_descriptive(token: Token) -> bool:
    """'the service offered' as adjective, or a participle inside a noun phrase."""
    return token.dep_ in {"amod", "compound"} or (
        token.tag_ == "VBN" and token.dep_ == "acl")


def _tense(verb: Token, span: Span) -> str | None:
    if verb.dep_ == "xcomp" and verb.head is not verb and verb.head.i >= span.start:
        # "we are working with Housing Services to develop…": the tense is the head's
        return _tense(verb.head, span)
    window = span.doc[span.start: min(verb.right_edge.i + 1, span.end)].text
    head_window = span.doc[span.start: verb.i + 1].text
    if re.search(r"\bcontinu\w*\b", head_window, re.I) or re.search(
            r"\bongoing\b", window, re.I):
        return "continuing"
    if lexicon().planned.search(head_window):
        return "planned"
    aux = {c.lemma_.lower() for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if "be" in aux and verb.tag_ == "VBG":
        return "continuing"
    if re.search(r"\b(?:is|are) being\b", head_window, re.I):
        return "continuing"
    if verb.tag_ == "VBN" and "be" in aux and "have" not in aux and any(
            c.dep_ == "auxpass" and c.lower_ in {"is", "are"} for c in verb.children):
        return "current"  # "staff are supported through mentoring"
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and aux & {"have", "be"}):
        return "taken"
    if verb.tag_ in {"VBP", "VBZ"}:
        return "current"  # "the module sends alerts at day 3": in operation, not offered
    if verb.tag_ == "VB" and verb.i == span.start:
        return "planned"  # imperative bullet: "Introduce weekly clinics"
    if verb.tag_ == "VBG" and verb.i == span.start:
        return "continuing"  # "Recruiting two practitioners"
    return None


