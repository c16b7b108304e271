"""Re-reading a draft that changed a little: only the sentences around the change are parsed.

An officer typing in the self-check sends the whole draft again after each pause, with one
sentence changed. Parsing it all again cost most of the check. Here the parse of a recent
text (kept in a small in-process LRU) is reused: the changed stretch, with a margin of whole
sentences on each side, is parsed alone, and its middle is spliced between the unchanged
sentences of the old parse.

Why the result equals a parse of the whole new text: spaCy's pipeline sees a bounded
neighbourhood of each token. The tok2vec layer (depth 4, window 1) sees 4 tokens either
side; the parser is greedy, left to right, reads a few tokens ahead, and its stack is empty
at every sentence start. So a sentence start at least MARGIN tokens from the change is a
sentence start of both parses, with the same state and the same token vectors after it;
the window keeps CONTEXT tokens beyond each such splice point. Every splice point is found
in the old parse and checked in the window's parse; whatever cannot be checked (no recent
text alike, a splice point the window does not confirm, a text that does not come out
exactly) falls back to a full parse. The cache is an optimisation only: a miss is a full
parse. tests/language/test_reparse.py compares spliced and full parses token by token.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Tokens between a splice point (a sentence start) and the change: tok2vec reaches 4
# tokens, the parser reads 1 token past the buffer's front, the attribute ruler's patterns
# span 2 tokens; twice their sum.
MARGIN = 12
# Tokens of context the window keeps beyond each splice point (tok2vec's 4, doubled).
CONTEXT = 8
CUT_AFTER = frozenset(" \n")
# Recent parses kept per process: a 300-word draft's Doc holds about 100 KB.
RECENT = 64
RECENT_CHARS = 400_000
# Texts shorter than this many characters are parsed whole: splicing would not repay.
MIN_CHARS = 400
# Batches of up to this many texts go through here (a check has two); larger ones are
# quarters, parsed in one pass (nlp.parse).
FEW = 4
VARIABLE = "NARRATIVE_QA_REPARSE"  # "0" turns re-parsing off (every text parsed whole)


class RecentParses:
    """A bounded LRU of recent texts and their Docs: at most `size` texts and `chars`
    characters in all. The web app checks drafts on several threads: a lock guards it."""

    def __init__(self, size: int = RECENT, chars: int = RECENT_CHARS) -> None:
        self.size, self.chars, self.held = size, chars, 0
        self.docs: OrderedDict[str, Doc] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, text: str) -> Doc | None:
        with self.lock:
            doc = self.docs.get(text)
            if doc is not None:
                self.docs.move_to_end(text)
            return doc

    def put(self, text: str, doc: Doc) -> None:
        with self.lock:
            if text not in self.docs:
                self.held += len(text)
            self.docs[text] = doc
            self.docs.move_to_end(text)
            while len(self.docs) > self.size or (self.held > self.chars
                                                 and len(self.docs) > 1):
                old, _ = self.docs.popitem(last=False)
                self.held -= len(old)

    def nearest(self, text: str) -> tuple[str, Doc] | None:
        """The recent text sharing the longest prefix plus suffix with `text`."""
        with self.lock:
            recent = list(self.docs.items())
        best, best_shared = None, 0
        for old, doc in recent:
            prefix = _common_prefix(old, text)
            shared = prefix + _common_suffix(old, text, prefix)
            if shared > best_shared:
                best, best_shared = (old, doc), shared
        return best


_recent = RecentParses()


def enabled() -> bool:
    return os.environ.get(VARIABLE, "1").strip() != "0"


def parse_texts(texts: list[str], nlp: Language) -> list[Doc]:
    """Docs for a few texts (a draft and last period's narrative), reusing recent parses."""
    if not enabled():
        return list(nlp.pipe(texts))
    return [parse_one(text, nlp, _recent) for text in texts]


def parse_one(text: str, nlp: Language, recent: RecentParses) -> Doc:
    doc = recent.get(text)
    if doc is not None:
        return doc
    doc = None
    if len(text) >= MIN_CHARS:
        base = recent.nearest(text)
        if base is not None:
            try:
                doc = splice(base[0], base[1], text, nlp)
            except Exception:  # an optimisation never fails the check: parse it whole
                doc = None
    if doc is None:
        doc = nlp(text)
    recent.put(text, doc)
    return doc


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    low, high = 0, n  # a[:low] == b[:low] and a[:high] != b[:high]
    while high - low > 1:
        mid = (low + high) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    """The shared tail of `a` and `b`, not overlapping their shared head of `prefix`."""
    limit = min(len(a), len(b)) - prefix
    return _common_prefix(a[len(a) - limit:][::-1], b[len(b) - limit:][::-1])


def splice(old: str, old_doc: Doc, new: str, nlp: Language) -> Doc | None:
    """`new`'s Doc made from `old_doc` and a parse of the stretch around the change, or None
    when no splice can be checked (the caller then parses `new` whole)."""
    from spacy.attrs import IDX, SENT_START
    from spacy.tokens import Doc

    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, prefix)
    shift = len(new) - len(old)
    tokens = len(old_doc)
    starts_at = old_doc.to_array([IDX, SENT_START])
    offsets = [int(i) for i in starts_at[:, 0]] + [len(old)]
    # the first token touching the change (with its trailing space), the first one after it
    first = next((i for i in range(tokens) if offsets[i + 1] > prefix), tokens)
    after = next((i for i in range(first, tokens) if offsets[i] >= len(old) - suffix),
                 tokens)
    # a cut after a space or a line break: spaCy splits the text there before anything else
    cuts = [i for i in range(tokens) if i == 0 or old[offsets[i] - 1] in CUT_AFTER]
    starts = [i for i in cuts if i == 0 or starts_at[i, 1] == 1]
    left = max((i for i in starts if i <= first - MARGIN), default=0)
    right = min((i for i in starts if i >= after + MARGIN), default=tokens)
    window_start = max((c for c in cuts if c <= left - CONTEXT), default=0)
    window_end = min((c for c in cuts if c >= right + CONTEXT), default=tokens)
    if window_start == 0 and window_end == tokens:
        return None  # the window is the whole text
    begin, end = offsets[window_start], offsets[window_end] + shift
    window = nlp(new[begin:end])
    # the window starts at the text's start (left == 0) or ends at its end: no check needed
    cut_left = 0 if left == 0 else _sentence_start_at(window, offsets[left] - begin)
    cut_right = len(window) if right == tokens else _sentence_start_at(
        window, offsets[right] + shift - begin)
    if cut_left is None or cut_right is None or cut_right < cut_left:
        return None
    pieces = [old_doc[:left].as_doc() if left else None,
              window[cut_left:cut_right].as_doc() if cut_right > cut_left else None,
              old_doc[right:].as_doc() if right < tokens else None]
    doc = Doc.from_docs([p for p in pieces if p is not None], ensure_whitespace=False)
    return doc if doc.text == new else None


def _sentence_start_at(window: Doc, offset: int) -> int | None:
    """The index of the window's token at character `offset` if it starts a sentence."""
    for token in window:
        if token.idx == offset:
            return token.i if token.is_sent_start else None
        if token.idx > offset:
            return None
    return None
