"""Ratings on a Red-to-Green scale (a Delivery Confidence Assessment, a RAG), and the moves
between them a narrative states ("our rating went up from Amber to Red").

The scale and the wording are rules/language.yml's `rating_*` entries, shared by NQ06 (a
move to a worse rating is a decline the text states) and NQ10 (a move stated the wrong way
round, or to a rating other than the submitted one, contradicts the data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narrative_qa.language.lexicon import shared
from narrative_qa.language.words import compile_all


def rating_rank(text: str) -> int | None:
    """The rating's place on the scale, worst (0) first; None for anything else."""
    key = re.sub(r"[\s/-]+", "/", text.strip().lower())
    for rank, names in enumerate(shared("rating_scale")):
        if key in names:
            return rank
    return None


@dataclass(frozen=True)
class RatingMove:
    verb: str
    before: str
    after: str
    before_rank: int
    after_rank: int
    said_up: bool | None  # the verb's direction; None when it says neither
    start: int = 0  # where the move is stated in the text

    @property
    def worse(self) -> bool:
        return self.after_rank < self.before_rank

    @property
    def wrong_way(self) -> bool:
        """The verb says the opposite of the scale ("increased from Amber to Red")."""
        return self.said_up is not None and self.said_up != (self.after_rank > self.before_rank)


def rating_moves(text: str) -> list[RatingMove]:
    """The moves between two different ratings that `text` states."""
    up, down = compile_all(shared("rating_up")), compile_all(shared("rating_down"))
    moves = []
    for m in compile_all(shared("rating_moves")).finditer(text):
        before, after = rating_rank(m.group("before")), rating_rank(m.group("after"))
        if before is None or after is None or before == after:
            continue
        said_up, said_down = bool(up.search(m.group("verb"))), bool(down.search(m.group("verb")))
        moves.append(RatingMove(m.group("verb"), m.group("before"), m.group("after"), before,
                                after, said_up if said_up != said_down else None, m.start()))
    return moves
