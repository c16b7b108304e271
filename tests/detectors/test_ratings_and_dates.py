"""A rating or an end date as the actual (LABELLING.md §1): its fall or slip is a
deterioration NQ06 asks the narrative to explain, and a rating needs its reasons (NQ09)."""

from __future__ import annotations

from narrative_qa.engine import assess_batch
from narrative_qa.reading.records import submission_from_mapping

ROW = {"kpi_id": "P-1", "kpi_name": "Delivery confidence: records system",
       "period": "2025/26 Q2"}


def _codes(settings, **fields):
    sub = submission_from_mapping({**ROW, **fields}, settings, file="in.csv", row=2)
    (assessment,) = assess_batch([sub], settings)
    return {f.code: f for f in assessment.findings}


def test_a_rating_that_fell_with_no_reason_is_unexplained_deterioration(settings):
    found = _codes(settings, actual="Amber/Red", previous_actual="Amber",
                   narrative="The project board met and the supplier attended its workshop.")
    assert "NQ06" in found
    assert "from Amber to Amber/Red" in found["NQ06"].message


def test_a_rating_that_fell_for_a_stated_reason_is_explained(settings):
    found = _codes(settings, actual="Amber/Red", previous_actual="Amber",
                   narrative="The rating fell because the supplier delivered the data "
                   "migration tools three months late.")
    assert "NQ06" not in found


def test_an_unjustified_rating_is_a_rag_finding_and_a_justified_one_is_not(settings):
    bare = _codes(settings, actual="Amber/Red",
                  narrative="The project board met and the supplier attended its workshop.")
    assert "NQ09" in bare and "Amber/Red" in bare["NQ09"].message
    # a judged rating is not contradicted by any data: its basis is what is missing
    assert bare["NQ09"].message.startswith("The rating is not explained:")
    assert "does not match the data" not in bare["NQ09"].message
    assert bare["NQ09"].elt_message.startswith("Rating Amber/Red not explained:")
    reasoned = _codes(settings, actual="Amber/Red",
                      narrative="The rating of Amber/Red reflects the late data migration.")
    assert "NQ09" not in reasoned


def test_an_end_date_that_slipped_with_no_reason_is_unexplained_deterioration(settings):
    found = _codes(settings, kpi_name="Schedule: latest approved end date",
                   actual="31/03/2027", previous_actual="31/03/2026",
                   narrative="The project board met and the supplier attended its workshop.")
    assert "NQ06" in found
    assert "from 31/03/2026 to 31/03/2027" in found["NQ06"].message


def test_a_rag_computed_from_the_figures_is_claimed_at_the_detectors_confidence(settings):
    # Arithmetic on the submitted data is not recalibrated from the text (Hit.exact).
    found = _codes(settings, kpi_name="% of reports submitted on time", target="95",
                   actual="88", polarity="up", stated_rag="amber", unit="%",
                   narrative="Performance was 88% against a target of 95%.")
    mismatch = found["NQ09"]
    assert not mismatch.low_confidence
    assert mismatch.confidence == 0.95  # rules/NQ09-rag-mismatch.yml params.confidence


def test_with_no_polarity_a_rag_the_data_give_neither_way_round_is_settled(settings):
    # 78 against 90 is red if higher is better and green if lower is: amber is wrong
    # whichever way the indicator points, so the guessed direction does not weaken it.
    found = _codes(settings, kpi_name="% of referrals seen within 4 weeks", target="90",
                   actual="78", stated_rag="amber", unit="%",
                   narrative="Performance was 78% against a target of 90%.")
    mismatch = found["NQ09"]
    assert not mismatch.low_confidence and mismatch.confidence == 0.95
    assert "red if higher is better and green if not" in mismatch.message
    assert "amber fits neither" in mismatch.message


def test_with_no_polarity_a_rag_that_fits_the_other_direction_rests_on_the_guess(settings):
    # Green would be right if lower were better: the finding rests on the assumed direction,
    # says so, and takes the guessed-polarity confidence, calibrated from the text.
    found = _codes(settings, kpi_name="% of referrals seen within 4 weeks", target="90",
                   actual="78", stated_rag="green", unit="%",
                   narrative="Performance was 78% against a target of 90%.")
    mismatch = found["NQ09"]
    assert "higher is better as assumed: no polarity was given" in mismatch.message
    assert mismatch.confidence != 0.95


def test_with_no_polarity_a_target_met_exactly_is_green_either_way(settings):
    found = _codes(settings, kpi_name="Home visits completed", target="90", actual="90",
                   stated_rag="amber", narrative="We completed 90 home visits this quarter.")
    mismatch = found["NQ09"]
    assert not mismatch.low_confidence and mismatch.confidence == 0.95
    assert "green whichever way the indicator points" in mismatch.message


def test_a_reason_in_the_sentence_after_the_rating_justifies_it(settings):
    # "Rated Amber. That is down to ...": the reason refers back to the rating in
    # the next sentence; it justifies the rating as if written in one (LABELLING.md, NQ09).
    found = _codes(settings, actual="Amber",
                   narrative="The assessment of the records system is Amber. This is "
                   "mainly due to the supplier's late delivery of the test environment.")
    assert "NQ09" not in found


def test_a_reason_two_sentences_on_or_about_something_else_does_not_justify_it(settings):
    # Only the next sentence, and only when it refers back ("This ..."), is read with the
    # rating: a later "due to" about another matter is no reason for the rating.
    far = _codes(settings, actual="Amber",
                 narrative="The assessment of the records system is Amber. The project "
                 "board met in May. This is the board's third meeting, due to the "
                 "summer recess.")
    assert "NQ09" in far
    unrelated = _codes(settings, actual="Amber",
                       narrative="The assessment of the records system is Amber. Staff "
                       "moved offices due to the refurbishment.")
    assert "NQ09" in unrelated


def test_check_says_which_direction_the_rag_from_the_figures_assumed(tmp_path):
    from typer.testing import CliRunner

    from narrative_qa.cli import app

    draft = tmp_path / "draft.txt"
    draft.write_text("Performance was 78% against a target of 90%.")
    common = ["check", str(draft), "--kpi-name", "% of referrals seen within 4 weeks",
              "--target", "90%", "--actual", "78%", "--rag", "red"]
    guessed = CliRunner().invoke(app, common)
    given = CliRunner().invoke(app, [*common, "--polarity", "up"])
    assert guessed.exit_code == 0 and given.exit_code == 0
    said = "No polarity was given: the RAG from the figures assumes higher is better"
    assert said in " ".join(guessed.output.split())
    assert "No polarity was given" not in given.output


def test_the_web_check_shows_the_assumed_direction_as_a_notice(settings):
    from narrative_qa.web.views import check_view

    sub = submission_from_mapping({**ROW, "kpi_name": "Average days to process a claim",
                                   "target": "10", "actual": "12", "stated_rag": "red",
                                   "narrative": "Claims took 12 days on average."},
                                  settings, file="<draft>")
    (assessment,) = assess_batch([sub], settings)
    notices = check_view(assessment, {"high": 20, "medium": 10, "low": 3}).notices
    assert any("assumes lower is better" in n for n in notices)
