"""A change put down to an event in a clause of its own, read from the parse.

"Compliance fell to 48% as two social workers left", "attendance dropped when the clinic
moved": the reason hangs from the verb of change as an adverbial clause, opened by a
linking word and with a subject of its own. "Fell as expected" and "fell, as in Q1" have
no subject in the clause, and give no cause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing spaCy's types at run time loads torch (a cold check must not)
    from spacy.tokens import Span, Token

    from narrative_qa.language.analysis import Sentence

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})
_COMPLEMENTS = frozenset({"acomp", "attr", "advmod", "dobj"})


def change_with_reason_clause(span: Span, change: re.Pattern[str],
                              links: Iterable[str]) -> bool:
    """Whether a verb of change in `span` (or a verb whose complement is one: "was
    lower") has an adverbial clause opened by one of `links` with its own subject."""
    opening = {word.casefold() for word in links}
    for token in span:
        if token.dep_ != "advcl" or token.lemma_ == "do":  # "as it did in Q1" compares
            continue
        head = token.head
        if not (change.fullmatch(head.text) or any(
                child.dep_ in _COMPLEMENTS and change.fullmatch(child.text)
                for child in head.children)):
            continue
        # "as", "because", "since" mark the clause; "when" is parsed as its adverb
        marks = {child.lower_ for child in token.children if child.dep_ in {"mark", "advmod"}}
        if marks & opening and any(child.dep_ in _SUBJECTS for child in token.children):
            return True
    return False


def token_at(sentence: Sentence, offset: int) -> Token | None:
    """The parse's token at character `offset` of the sentence's text."""
    at = sentence.text_start + offset
    return next((t for t in sentence.span if t.idx <= at < t.idx + len(t)), None)
