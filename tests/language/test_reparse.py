"""Re-parsing only what changed (language/reparse.py) gives what a full parse gives."""

from __future__ import annotations

import json
import re

import pytest

from narrative_qa.api import check_draft
from narrative_qa.language import reparse
from narrative_qa.language.nlp import get_nlp
from narrative_qa.reading.records import read_submissions
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def drafts(settings) -> list[str]:
    """Long drafts made of the sample quarter's narratives: one paragraph, several
    paragraphs, and lines."""
    rows, _ = read_submissions(SAMPLE / "qpr-2025-26-Q2.xlsx", settings, None, None)
    texts = [r.narrative for r in rows if r.narrative]
    return [" ".join(texts[0:4]), "\n\n".join(texts[4:8]), "\n".join(texts[8:12]),
            " ".join(texts[12:20])]


def edits(text: str) -> dict[str, str]:
    """One edit of each kind an officer makes while typing, near the middle of `text`."""
    middle = len(text) // 3
    stop, later = [m.start() for m in re.finditer(r"\.\s", text) if m.start() > middle][:2]
    space = text.index(" ", middle)
    return {
        "replace a sentence": text[:stop + 2] + "Waiting times rose to 14 weeks in June."
        + text[later + 1:],
        "merge two sentences": text[:stop] + ", and" + text[stop + 1:],
        "split a sentence": text[:space] + ". We will" + text[space:],
        "delete a sentence": text[:stop + 1] + text[later + 1:],
        "type a word": text[:space] + " urgently" + text[space:],
        "start a paragraph": text[:stop + 1] + "\n\n" + text[stop + 2:],
        "change the first words": "In short, " + text[0].lower() + text[1:],
        "add a sentence at the end": text + " We expect 60% by March 2026.",
    }


def annotations(doc) -> list[tuple]:
    return [(t.text, t.whitespace_, t.tag_, t.pos_, t.lemma_, str(t.morph), t.dep_,
             t.head.i, t.is_sent_start) for t in doc]


def test_a_spliced_parse_equals_the_full_parse(drafts):
    nlp = get_nlp()
    spliced = 0
    for draft in drafts:
        old_doc = nlp(draft)
        for kind, new in edits(draft).items():
            doc = reparse.splice(draft, old_doc, new, nlp)
            if doc is not None:
                spliced += 1
                full = nlp(new)
                assert annotations(doc) == annotations(full), kind
                assert doc.tensor.tobytes() == full.tensor.tobytes(), kind  # tok2vec's too
                assert doc.text == new
    assert spliced >= 28  # nearly every edit is spliced: the test compares something


def test_chained_edits_stay_equal_to_a_full_parse(drafts):
    """Typing goes on: each check's Doc is the base of the next one."""
    nlp, recent = get_nlp(), reparse.RecentParses()
    text = drafts[0]
    reparse.parse_one(text, nlp, recent)
    sentences = re.split(r"(?<=\.) ", text)
    for n in range(6):
        sentences[(n * 5) % len(sentences)] = f"Referrals rose by {n + 3}% in week {n}."
        text = " ".join(sentences)
        assert annotations(reparse.parse_one(text, nlp, recent)) == annotations(nlp(text))


def _check(narrative: str, settings, history=None) -> str:
    assessment = check_draft(narrative, settings, history, kpi_id="CS-05",
                             period="2025/26 Q3", target=60, actual=51, unit="%",
                             polarity="up", previous_actual=55,
                             previous_narrative="Performance fell to 55%. We will recruit.")
    return json.dumps(assessment.to_record(), sort_keys=True, default=str)


# About 100 checks of long drafts: seconds. In the fast lane,
# test_a_spliced_parse_equals_the_full_parse holds each edit's spliced parse to the full
# parse token by token, and the findings are made from the parse alone.
@pytest.mark.slow
def test_findings_are_byte_identical_with_and_without_the_cache(drafts, settings,
                                                                monkeypatch):
    for draft in drafts:
        for new in edits(draft).values():
            monkeypatch.setattr(reparse, "_recent", reparse.RecentParses())
            monkeypatch.setenv(reparse.VARIABLE, "1")
            _check(draft, settings)  # the draft as first checked: the base of the next
            cached = _check(new, settings)
            monkeypatch.setenv(reparse.VARIABLE, "0")
            assert _check(new, settings) == cached


def test_a_failing_splice_falls_back_to_a_full_parse(drafts, monkeypatch):
    def broken(*args):
        raise RuntimeError("a cache bug")

    nlp, recent = get_nlp(), reparse.RecentParses()
    reparse.parse_one(drafts[0], nlp, recent)
    monkeypatch.setattr(reparse, "splice", broken)
    new = edits(drafts[0])["type a word"]
    assert annotations(reparse.parse_one(new, nlp, recent)) == annotations(nlp(new))


def test_a_window_without_the_old_sentence_start_is_not_spliced():
    """The splice point must start a sentence in the window's parse too."""
    nlp = get_nlp()
    old = " ".join(f"Sentence number {n} is about the waiting list." for n in range(30))
    doc = nlp(old)
    # the window cannot confirm a sentence start the old parse has at a character where
    # the new text has none: it refuses rather than guess
    window = nlp("Sentence number 1 is about the waiting list")
    assert reparse._sentence_start_at(window, 9) is None
    assert reparse._sentence_start_at(window, 0) == 0
    assert reparse.splice(old, doc, old + " More.", nlp) is not None


def test_recent_parses_are_bounded_in_texts_and_characters():
    recent = reparse.RecentParses(size=3, chars=100)
    for n in range(5):
        recent.put(f"text {n}", object())
    assert list(recent.docs) == ["text 2", "text 3", "text 4"]
    recent.put("x" * 90, object())
    # the oldest go until at most 100 characters are held
    assert list(recent.docs) == ["text 4", "x" * 90] and recent.held == 96
    assert recent.nearest("y") is None


def test_the_nearest_recent_text_shares_the_most(drafts):
    recent = reparse.RecentParses()
    for text in drafts:
        recent.put(text, object())
    assert recent.nearest(drafts[1] + " One more.")[0] == drafts[1]
    assert reparse._common_prefix("abcd", "abxd") == 2
    assert reparse._common_suffix("abcd", "abxd", 2) == 1
    assert reparse._common_suffix("aaa", "aaaa", 3) == 0  # never overlaps the prefix
