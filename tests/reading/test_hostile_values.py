"""Issue 17, items 5, 7, 9, 18 and 20: values that used to crash the batch or be scored as
something they are not become coded row errors, and the other rows are scored."""

from __future__ import annotations

import dataclasses
import json

import pytest

from narrative_qa.api import score_file
from narrative_qa.config import PARSER_MAX_CHARS, load_settings
from narrative_qa.errors import ConfigError, InputError
from narrative_qa.reading.records import read_submissions

GOOD = "Performance fell to 51% because 3 of 15 posts were vacant in the quarter."


def _codes(sub) -> set[str]:
    return {p.code for p in sub.problems}


def _lines(path, *lines: str):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_lone_surrogate_is_replaced_with_a_notice_and_the_batch_is_scored(tmp_path, settings):
    path = _lines(tmp_path / "q.jsonl",
                  '{"kpi_id": "A", "narrative": "Performance fell \\ud800 to 51% as 3 posts '
                  'were vacant."}',
                  json.dumps({"kpi_id": "B", "narrative": GOOD}))
    out = tmp_path / "out.jsonl"
    result = score_file(path, out=out, settings=settings)
    first, second = result.assessments
    assert "\ufffd" in first.submission.narrative and first.verdict != "error"
    [notice] = [p for p in first.submission.problems if p.code == "NQE027"]
    assert notice.location.column == "narrative" and notice.location.row == 1
    assert second.verdict != "error"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_json_nested_200000_deep_is_a_coded_refusal(tmp_path, settings):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(InputError) as error:
        read_submissions(path, settings)
    assert error.value.code == "NQE003" and "nested too deeply" in str(error.value)


def test_a_deep_jsonl_line_is_a_row_error_and_the_rest_is_read(tmp_path, settings):
    path = _lines(tmp_path / "deep.jsonl", json.dumps({"kpi_id": "A", "narrative": GOOD}),
                  '{"a":' * 100_000 + "1" + "}" * 100_000)
    subs, _ = read_submissions(path, settings)
    assert subs[0].narrative == GOOD and not subs[0].blocked
    assert subs[1].blocked and "NQE025" in _codes(subs[1])


def test_the_narrative_limit_cannot_be_set_past_what_the_parser_reads(tmp_path):
    config = tmp_path / "s.toml"
    config.write_text(f"[limits]\nmax_narrative_chars = {PARSER_MAX_CHARS + 1}\n")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert "max_narrative_chars" in str(error.value)


def test_a_narrative_past_the_parser_limit_is_a_row_error_whatever_the_settings(tmp_path,
                                                                                settings):
    loose = dataclasses.replace(settings, max_narrative_chars=10 * PARSER_MAX_CHARS)
    path = _lines(tmp_path / "q.jsonl",
                  json.dumps({"kpi_id": "A", "narrative": "word " * (PARSER_MAX_CHARS // 5 + 1)}),
                  json.dumps({"kpi_id": "B", "narrative": GOOD}))
    result = score_file(path, settings=loose)
    first, second = result.assessments
    assert first.verdict == "error" and "NQE021" in _codes(first.submission)
    assert second.verdict != "error"


@pytest.mark.parametrize("value,kind", [({"text": GOOD}, "JSON object"), ([GOOD], "list")])
def test_an_object_or_list_as_narrative_is_not_scored_as_its_python_text(tmp_path, settings,
                                                                          value, kind):
    path = _lines(tmp_path / "q.jsonl", json.dumps({"kpi_id": "A", "narrative": value}),
                  json.dumps({"kpi_id": "B", "narrative": GOOD}))
    subs, _ = read_submissions(path, settings)
    assert subs[0].blocked and "NQE028" in _codes(subs[0])
    [problem] = [p for p in subs[0].problems if p.code == "NQE028"]
    assert kind in problem.message and problem.location.column == "narrative"
    assert subs[0].kpi_id == "A" and "NQE020" not in _codes(subs[0])
    assert not subs[1].blocked


def test_nul_bytes_in_one_narrative_refuse_that_row_not_the_file(tmp_path, settings):
    path = tmp_path / "q.csv"
    path.write_bytes(f"KPI,Narrative\nA,Fell\x00\x00 to 51%\nB,{GOOD}\n".encode())
    subs, _ = read_submissions(path, settings)
    assert subs[0].blocked and "NQE028" in _codes(subs[0])
    assert subs[0].problems[-1].location.row == 2
    assert subs[1].narrative == GOOD and not subs[1].blocked


def test_a_binary_file_named_csv_is_still_refused(tmp_path, settings):
    path = tmp_path / "q.csv"
    path.write_bytes(b"KPI,Narrative\n" + bytes(range(256)) * 20)
    with pytest.raises(InputError) as error:
        read_submissions(path, settings)
    assert error.value.code == "NQE003"


# --- item 10: one Windows-1252 byte no longer garbles the UTF-8 rows ----------------------

@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_mixed_encodings_are_decoded_line_by_line_and_the_lines_named(tmp_path, settings,
                                                                       suffix):
    utf8 = "The café’s waits fell to 51% – see the plan."
    stray = "Staff said “busy”."  # pasted from Word, saved as Windows-1252
    if suffix == ".csv":
        lines = [b"KPI,Narrative", f"A,{utf8}".encode(), f"B,{stray}".encode("cp1252"),
                 f"C,{utf8}".encode()]
    else:
        lines = [json.dumps({"kpi_id": k, "narrative": t}, ensure_ascii=False).encode(enc)
                 for k, t, enc in (("A", utf8, "utf-8"), ("B", stray, "cp1252"),
                                   ("C", utf8, "utf-8"))]
    path = tmp_path / f"mixed{suffix}"
    path.write_bytes(b"\n".join(lines) + b"\n")
    subs, notices = read_submissions(path, settings)
    assert [s.narrative for s in subs] == [utf8, stray, utf8]
    [notice] = [n for n in notices if n.code == "NQE059"]
    line = 3 if suffix == ".csv" else 2
    assert f"line(s) {line} " in notice.message and notice.location.row == line


def test_a_windows_1252_file_throughout_is_read_without_a_notice(tmp_path, settings):
    path = tmp_path / "q.csv"
    path.write_bytes("KPI,Narrative\nA,The café’s waits fell.\n".encode("cp1252"))
    subs, notices = read_submissions(path, settings)
    assert subs[0].narrative == "The café’s waits fell."
    assert not [n for n in notices if n.code == "NQE059"]


# --- item 12: a quote left open no longer swallows the next KPI -----------------------------

def test_an_unclosed_quote_names_its_row_and_every_kpi_is_kept(tmp_path, settings):
    rows = [f'K{i},60,51,"Narrative {i}, with a comma."' for i in range(1, 11)]
    rows[3] = 'K4,60,51,"Narrative 4 whose quote is never closed.'
    path = tmp_path / "q.csv"
    path.write_text("kpi_id,Target,Actual,Narrative\n" + "\n".join(rows) + "\n")
    subs, _ = read_submissions(path, settings)
    assert [s.kpi_id for s in subs] == [f"K{i}" for i in range(1, 11)]
    assert subs[4].narrative == "Narrative 5, with a comma."
    flagged = [s for s in subs if "NQE025" in _codes(s)]
    assert [s.kpi_id for s in flagged] == ["K4"] and not flagged[0].blocked
    assert flagged[0].narrative == '"Narrative 4 whose quote is never closed.'


def test_quoted_line_breaks_and_doubled_quotes_are_still_read(tmp_path, settings):
    path = tmp_path / "q.csv"
    path.write_text('KPI,Narrative\nK1,"Two\nlines, and ""quoted"" words"\nK2,Plain\n')
    subs, _ = read_submissions(path, settings)
    assert subs[0].narrative == 'Two\nlines, and "quoted" words'
    assert subs[1].narrative == "Plain" and not any(_codes(s) & {"NQE025"} for s in subs)
