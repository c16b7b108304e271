"""Forecasts kept in the history store and checked when due, on SQLite and PostgreSQL
(issue 19): stored with their submission version, resolved against the actual, evidence
for NQ03 and NQ05, and each kind of bad input a notice that loses nothing."""

from __future__ import annotations

import csv

import pytest

from narrative_qa.api import check_draft, ingest_file
from narrative_qa.errors import InputError
from narrative_qa.forecasts.check import check_period
from narrative_qa.store.forecasts import forecasts_due, stored_forecasts

Q1, Q2, Q3 = "2025/26 Q1", "2025/26 Q2", "2025/26 Q3"
HEAD = ["kpi_id", "kpi_name", "service", "owner", "target", "actual", "unit", "polarity",
        "narrative"]
# One forecast: the staff have started (told in the past), the value is promised.
PROMISE = ("Two new social workers started in September and we expect compliance to return "
           "to 60% by Q3.")
SILENT = "Compliance was 52% this quarter. Staff absence remains high."


def quarter(tmp_path, name, rows):
    path = tmp_path / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEAD)
        for kpi_id, actual, narrative in rows:
            writer.writerow([kpi_id, "% of SCRA reports submitted on time", "Children",
                             "Head of Children's Services", "60", actual, "%", "up",
                             narrative])
    return path


def codes(notices):
    return [n.code for n in notices]


def test_forecasts_are_stored_with_their_version_and_kept_on_resubmission(
        history, settings, tmp_path):
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", PROMISE)]), Q2, history,
                settings=settings)
    [first] = stored_forecasts(history)
    assert (first.kpi_id, first.made_in, first.version, first.value, first.due_period) == (
        "CS-07", Q2, 1, "60%", Q3)
    ingest_file(quarter(tmp_path, "q2b", [("CS-07", "55", PROMISE.replace("60%", "58%"))]),
                Q2, history, settings=settings)
    [current] = stored_forecasts(history)
    assert (current.version, current.value) == (2, "58%")
    every = stored_forecasts(history, current_only=False)
    assert [(f.version, f.value) for f in every] == [(1, "60%"), (2, "58%")]


def test_a_rating_kpis_forecast_figure_is_stored_as_another_measure(
        history, settings, tmp_path):
    # The KPI's actual is a rating: '40 new masts' is not the value it will reach, so it is
    # not checked against the rating when due.
    path = tmp_path / "q2.csv"
    path.write_text("kpi_id,kpi_name,unit,actual,narrative\n"
                    "GM-01,Delivery confidence: mobile masts,rating,Amber/Red,The project is "
                    "expected to deliver 40 new masts by December 2025.\n", encoding="utf-8")
    ingest_file(path, Q2, history, settings=settings)
    [stored] = stored_forecasts(history)
    assert (stored.what, stored.value) == ("other", "40")


def test_a_missed_forecast_nobody_mentions_is_evidence_for_nq03_and_nq05(
        history, settings, tmp_path):
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", PROMISE)]), Q2, history,
                settings=settings)
    result, _ = ingest_file(quarter(tmp_path, "q3", [("CS-07", "52", SILENT)]), Q3, history,
                            settings=settings)
    [checked] = check_period(history, Q3).checked
    assert (checked.status, checked.actual, checked.gap) == ("missed", 52.0, 8.0)
    assert checked.quote == ("In 2025/26 Q2 you forecast 60% by 2025/26 Q3; the actual is "
                             "52%, 8 percentage points short.")
    assert not checked.mentioned
    findings = {f.code: f for f in result.assessments[0].findings}
    assert checked.quote in findings["NQ03"].evidence
    assert checked.quote in findings["NQ05"].evidence


def test_a_forecast_met_and_reported_is_no_evidence(history, settings, tmp_path):
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", PROMISE)]), Q2, history,
                settings=settings)
    reported = ("Compliance reached 61%: the two new social workers who started in September "
                "have cleared the backlog of reports.")
    result, _ = ingest_file(quarter(tmp_path, "q3", [("CS-07", "61", reported)]), Q3,
                            history, settings=settings)
    [checked] = check_period(history, Q3).checked
    assert checked.status == "met" and checked.mentioned
    for finding in result.assessments[0].findings:
        assert not any("you forecast" in e for e in finding.evidence)


def test_the_draft_check_sees_the_forecasts_falling_due(history, settings, tmp_path):
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", PROMISE)]), Q2, history,
                settings=settings)
    draft = check_draft(SILENT, settings, history=history, kpi_id="cs-07", period=Q3,
                        target="60", actual="52", unit="%", polarity="up")
    assert [f.value for f in draft.submission.forecasts_due] == ["60%"]
    assert any("you forecast 60%" in e for f in draft.findings for e in f.evidence)


# --- bad input: each a notice naming the submission and the sentence; nothing lost ----

def test_a_due_date_before_the_period_written_in(history, settings, tmp_path):
    text = "We expect the backlog to be cleared by June 2024."
    result, _ = ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", text)]), Q2, history,
                            settings=settings)
    [notice] = [n for n in result.notices if n.code == "NQE130"]
    assert "CS-07" in notice.render() and "backlog to be cleared" in notice.render()
    assert [f.due for f in stored_forecasts(history)] == ["2024-06"]  # kept
    fixed = "We expect the backlog to be cleared by June 2026."
    result, _ = ingest_file(quarter(tmp_path, "q2b", [("CS-07", "55", fixed)]), Q2, history,
                            settings=settings)
    assert "NQE130" not in codes(result.notices)
    assert [f.due for f in stored_forecasts(history)] == ["2026-06"]


def test_a_period_the_store_cannot_order(history, settings, tmp_path):
    path = quarter(tmp_path, "q5", [("CS-07", "55", PROMISE)])
    with pytest.raises(InputError) as refused:
        ingest_file(path, "2025/26 Q5", history, settings=settings)
    assert refused.value.code == "NQE024"
    assert stored_forecasts(history) == []
    # stored by a route that does not check the label: kept, named, not checked
    from narrative_qa.api import score_file

    history.ingest(score_file(path, settings=settings).assessments, "2025/26 Q5", str(path))
    notices = check_period(history, "2025/26 Q5").notices
    assert codes(notices) == ["NQE131"] and "2025/26 Q5" in notices[0].render()
    assert len(stored_forecasts(history)) == 1
    ingest_file(path, Q2, history, settings=settings)  # stored again under a real quarter
    assert [f.made_in for f in forecasts_due(history, Q3)] == [Q2]


def test_a_forecast_for_a_kpi_renamed_or_dropped(history, settings, tmp_path):
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", PROMISE)]), Q2, history,
                settings=settings)
    result, _ = ingest_file(quarter(tmp_path, "q3", [("CS-7A", "52", SILENT)]), Q3, history,
                            settings=settings)
    [notice] = [n for n in result.notices if n.code == "NQE132"]
    assert "CS-07" in notice.render() and "return to 60%" in notice.render()
    [checked] = check_period(history, Q3).checked
    assert checked.status == "not reported"
    result, _ = ingest_file(quarter(tmp_path, "q3b", [("CS-07", "52", SILENT)]), Q3, history,
                            settings=settings)
    assert "NQE132" not in codes(result.notices)
    assert check_period(history, Q3).checked[0].status == "missed"


def test_two_forecasts_for_the_same_period_that_disagree(history, settings, tmp_path):
    ingest_file(quarter(tmp_path, "q1", [("CS-07", "50", "We expect compliance to reach 60% "
                                          "by Q3.")]), Q1, history, settings=settings)
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", "We now expect compliance to reach "
                                          "56% by Q3.")]), Q2, history, settings=settings)
    result, _ = ingest_file(quarter(tmp_path, "q3", [("CS-07", "57", SILENT)]), Q3, history,
                            settings=settings)
    [notice] = [n for n in result.notices if n.code == "NQE133"]
    assert "60%" in notice.render() and "56%" in notice.render()
    statuses = {c.forecast.value: c.status for c in check_period(history, Q3).checked}
    assert statuses == {"60%": "missed", "56%": "met"}  # both kept and checked


def test_a_quarter_ingested_out_of_order(history, settings, tmp_path):
    ingest_file(quarter(tmp_path, "q1", [("CS-07", "50", "Compliance was 50%.")]), Q1,
                history, settings=settings)
    result, _ = ingest_file(quarter(tmp_path, "q3", [("CS-07", "52", SILENT)]), Q3, history,
                            settings=settings)
    [notice] = [n for n in result.notices if n.code == "NQE134"]
    assert Q2 in notice.render()
    assert check_period(history, Q3).checked == []
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", PROMISE)]), Q2, history,
                settings=settings)
    assert [c.status for c in check_period(history, Q3).checked] == ["missed"]
    result, _ = ingest_file(quarter(tmp_path, "q3", [("CS-07", "52", SILENT)]), Q3, history,
                            settings=settings)  # the re-ingest brings it into the findings
    assert "NQE134" not in codes(result.notices)
    assert any("you forecast 60%" in e for f in result.assessments[0].findings
               for e in f.evidence)


def test_migration_0005_reads_the_forecasts_of_quarters_already_stored(tmp_path):
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from narrative_qa.store.history import MIGRATIONS, History

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with sa.create_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(sa.text(
            "INSERT INTO submission (kpi_id, period, version, is_current, ingested_at, "
            "source, narrative, record) VALUES ('OLD-1', :p, 1, 1, 'then', 'x', :n, "
            "'{\"kpi_id\": \"OLD-1\"}')"), {"p": Q2, "n": PROMISE})
    history = History(url)
    [forecast] = stored_forecasts(history)
    assert (forecast.kpi_id, forecast.value, forecast.due_period) == ("OLD-1", "60%", Q3)


def test_the_forecasts_command_lists_them_formula_safe(tmp_path, settings):
    import json

    import openpyxl
    from typer.testing import CliRunner

    from narrative_qa.cli import app
    from narrative_qa.store.history import History

    db = tmp_path / "h.db"
    history = History(f"sqlite:///{db}")
    ingest_file(quarter(tmp_path, "q2", [("=CS-07", "55", PROMISE)]), Q2, history,
                settings=settings)
    ingest_file(quarter(tmp_path, "q3", [("=CS-07", "52", SILENT)]), Q3, history,
                settings=settings)
    runner = CliRunner()
    shown = runner.invoke(app, ["forecasts", "--period", Q3, "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    [row] = json.loads(shown.stdout)
    assert (row["kpi_id"], row["status"], row["value"], row["made_in"]) == (
        "=CS-07", "missed", "60%", Q2)
    as_csv = runner.invoke(app, ["forecasts", "--period", Q3, "--db", str(db),
                                 "--format", "csv"])
    assert "\n'=CS-07," in as_csv.stdout
    out = tmp_path / "f.xlsx"
    written = runner.invoke(app, ["forecasts", "--period", Q3, "--db", str(db),
                                  "--format", "xlsx", "--out", str(out)])
    assert written.exit_code == 0, written.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(2, 1).value == "'=CS-07" and sheet.cell(2, 1).data_type == "s"
    refused = runner.invoke(app, ["forecasts", "--period", Q3, "--db", str(db),
                                  "--format", "xlsx"])
    assert refused.exit_code == 2 and "NQE013" in refused.output
    made = runner.invoke(app, ["forecasts", "--period", Q2, "--db", str(db)])
    assert [r["status"] for r in json.loads(made.stdout)] == ["not yet due"]


def test_the_report_shows_forecasts_due_this_quarter_escaped(history, settings, tmp_path):
    from narrative_qa.reporting.render import render_report_html
    from narrative_qa.reporting.view import build_report

    evil = PROMISE.replace("Two new", "<script>x</script> Two new")
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", evil), ("CS-08", "50", PROMISE)]),
                Q2, history, settings=settings)
    ingest_file(quarter(tmp_path, "q3", [("CS-07", "52", SILENT), ("CS-08", "61", SILENT)]),
                Q3, history, settings=settings)
    view = build_report(history, Q3).forecasts
    assert view.counts["missed"] == 1 and view.counts["met"] == 1
    assert view.groups == [{"service": "Children", "owner": "Head of Children's Services",
                            "met": 1, "missed": 1, "not measurable": 0, "to confirm": 0,
                            "not reported": 0}]
    assert [(q["period"], q["met"], q["missed"]) for q in view.accuracy] == [(Q3, 1, 1)]
    html = render_report_html(build_report(history, Q3))
    assert 'id="forecasts"' in html and "you forecast 60% by 2025/26 Q3" in html
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_narrative_qa_check_shows_the_forecasts_falling_due(tmp_path, settings):
    import json

    from typer.testing import CliRunner

    from narrative_qa.cli import app
    from narrative_qa.store.history import History

    db = tmp_path / "h.db"
    ingest_file(quarter(tmp_path, "q2", [("CS-07", "55", PROMISE)]), Q2,
                History(f"sqlite:///{db}"), settings=settings)
    draft = tmp_path / "draft.txt"
    draft.write_text(SILENT, encoding="utf-8")
    common = ["check", str(draft), "--kpi-id", "CS-07", "--period", Q3, "--db", str(db),
              "--target", "60", "--actual", "52", "--unit", "%", "--polarity", "up"]
    runner = CliRunner()
    shown = runner.invoke(app, common)
    assert "Forecasts falling due in 2025/26 Q3:" in shown.stdout
    assert "[missed] In 2025/26 Q2 you forecast 60% by 2025/26 Q3" in shown.stdout
    as_json = json.loads(runner.invoke(app, [*common, "--format", "json"]).stdout)
    assert [f["status"] for f in as_json["forecasts_due"]] == ["missed"]


@pytest.mark.slow
def test_the_bundled_sample_checks_q1_and_q2_forecasts_in_q3(tmp_path, settings):
    from narrative_qa.reporting.render import render_report_html
    from narrative_qa.reporting.view import build_report
    from narrative_qa.store.history import History
    from tests.conftest import SAMPLE

    history = History(f"sqlite:///{tmp_path / 'h.db'}")
    for quarter_ in ("Q1", "Q2", "Q3"):
        result, stored = ingest_file(SAMPLE / f"qpr-2025-26-{quarter_}.xlsx",
                                     f"2025/26 {quarter_}", history, settings=settings)
        assert stored == 40 and not [n for n in result.notices if n.code.startswith("NQE13")]
    view = build_report(history, Q3).forecasts
    assert {r["made_in"] for r in view.rows} == {Q1, Q2}
    assert view.counts["met"] >= 3 and view.counts["missed"] >= 5
    assert [q["period"] for q in view.accuracy] == [Q2, Q3]
    html = render_report_html(build_report(history, Q3))
    assert "In 2025/26 Q2 you forecast 93% by 2025/26 Q3; the actual is 93.2%." in html
