from __future__ import annotations

import pytest

from narrative_qa.language.analysis import analyse_texts, find_figures, find_timescales


@pytest.mark.parametrize("text", [
    "by the end of Q3 2025/26", "by March 2026", "within 12 weeks", "in 2026",
    "over the next six months", "by 31/03/2026", "next quarter", "in 2025-26",
])
def test_concrete_timescales(text):
    assert find_timescales(f"We will do it {text}.")


@pytest.mark.parametrize("text", ["soon", "in due course", "going forward", "ongoing",
                                  "in the coming months", "may help"])
def test_vague_timing_is_not_a_timescale(text):
    assert not find_timescales(f"We will do it {text}.")


def test_figures_are_quantities_not_dates_or_ordinals():
    kinds = [(f.text, f.kind) for f in find_figures(
        "There are 6.5 WTE vacancies (18% of establishment), £250k was spent on "
        "31 March 2025 and 1,234 referrals arrived in Q2 2025/26, the 3rd rise; "
        "waits are 12 weeks and six posts are vacant.")]
    assert kinds == [("6.5 WTE", "wte"), ("18%", "percent"), ("£250k", "money"),
                     ("1,234", "count"), ("12", "duration"), ("six", "count")]


@pytest.mark.parametrize("year", ["2018-19", "2018–19", "2019—20"])
def test_the_second_year_of_a_fiscal_year_is_not_a_count(year):
    """'the 2018–19 report' names a year: its '19' is no figure NQ10 could compare."""
    figures = [(f.text, f.kind) for f in find_figures(
        f"This matches the {year} annual report, where 12-15 teams took part.")]
    assert figures == [("12", "count"), ("15", "count")]


def test_sentences_sections_and_actions():
    analysis = analyse_texts(["Reasons: three posts were vacant.\nActions:\n"
                              "- We will recruit two social workers by March 2026.\n"
                              "- Weekly huddles have been introduced.\n"
                              "- The team continues to work with Police Scotland.\n"
                              "Timescale: ongoing"])[0]
    content = analysis.content()
    assert [s.section for s in content] == ["reasons", "actions", "actions", "actions",
                                            "timescale"]
    assert [s.action.kind if s.action else None for s in content] == [
        None, "planned", "taken", "continuing", None]
    assert content[1].timescales == ["March"] and content[4].vague_timing == ["ongoing"]


def test_expected_impact_needs_a_quantity():
    quantified, vague = analyse_texts([
        "This is expected to return compliance to 60% by Q4.",
        "This will improve performance."])
    assert quantified.sentences[0].impact == "quantified"
    assert vague.sentences[0].impact == "unquantified"


def test_a_continuing_action_is_named_by_its_words_not_by_a_pronoun():
    analysis = analyse_texts(["We will continue with these actions. The weekly panel and the "
                              "duty rota will continue."])[0]
    summaries = [s.action.summary for s in analysis.sentences if s.action]
    assert summaries[0] == "We will continue with these actions"
    assert summaries[1] == "The weekly panel and the duty rota"
