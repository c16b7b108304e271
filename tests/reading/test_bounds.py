"""Issue 17, probes 1 and 4: files that would cost unbounded memory or never end are
refused with a coded error naming the limit, before they are read."""

from __future__ import annotations

import dataclasses
import os
import zipfile

import pytest

from narrative_qa.errors import InputError
from narrative_qa.reading import word
from narrative_qa.reading.archive import ReadLimits
from narrative_qa.reading.records import read_submissions
from tests.hostile_files import NARRATIVE, docx, docx_bomb, shared_strings_bomb, workbook


@pytest.fixture
def small(settings):
    """The settings with the limits lowered, so the bombs stay small."""
    return dataclasses.replace(settings, max_unzipped_mb=1, max_rows=20)


def test_shared_strings_that_unpack_past_the_limit_are_refused(tmp_path, small):
    path = shared_strings_bomb(tmp_path / "bomb.xlsx", megabytes=4)
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError) as error:
        read_submissions(path, small)
    text = str(error.value)
    assert error.value.code == "NQE057"
    assert "xl/sharedStrings.xml" in text and "1 MB" in text and "max_unzipped_mb" in text
    assert "bomb.xlsx" in text


def test_the_same_workbook_is_read_under_the_default_limit(tmp_path, settings):
    path = shared_strings_bomb(tmp_path / "big.xlsx", megabytes=4)
    subs, _ = read_submissions(path, settings)
    assert subs[0].narrative == NARRATIVE


def test_a_workbook_past_the_row_limit_is_refused_while_streaming(tmp_path, small):
    rows = [["KPI", "Target", "Actual", "Narrative"]] + [
        [f"K{i}", 60, 51, NARRATIVE] for i in range(60)]
    path = workbook(tmp_path / "rows.xlsx", rows)
    with pytest.raises(InputError) as error:
        read_submissions(path, small)
    assert error.value.code == "NQE057" and "20 rows" in str(error.value)
    assert "max_rows" in str(error.value)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
def test_text_files_past_the_row_limit_are_refused(tmp_path, small, suffix):
    path = tmp_path / f"rows{suffix}"
    rows = [{"KPI": f"K{i}", "Narrative": NARRATIVE} for i in range(60)]
    if suffix == ".csv":
        path.write_text("KPI,Narrative\n" + "".join(f"K{i},x\n" for i in range(60)))
    elif suffix == ".jsonl":
        import json
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        import json
        path.write_text(json.dumps(rows))
    with pytest.raises(InputError) as error:
        read_submissions(path, small)
    assert error.value.code == "NQE057"


def test_a_word_draft_that_unpacks_past_the_limit_is_refused(tmp_path):
    path = docx_bomb(tmp_path / "bomb.docx", megabytes=4)
    with pytest.raises(InputError) as error:
        word.docx_text("bomb.docx", path.read_bytes(), ReadLimits(max_unzipped_bytes=1 << 20))
    assert error.value.code == "NQE057" and "word/document.xml" in str(error.value)


def test_a_word_draft_is_read_paragraph_by_paragraph_and_stops_at_the_text_limit(tmp_path):
    text = word.docx_text("d.docx", docx("First line.\nSecond <b>line</b>."))
    assert text == "First line.\nSecond <b>line</b>."
    path = docx_bomb(tmp_path / "long.docx", megabytes=1)
    with pytest.raises(InputError) as error:
        word.docx_text("long.docx", path.read_bytes(), max_chars=1000)
    assert error.value.code == "NQE021"


def test_a_zip_that_is_not_a_word_document_is_nqe105(tmp_path):
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(InputError) as error:
        word.docx_text("x.docx", path.read_bytes())
    assert error.value.code == "NQE105"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused_not_read(tmp_path, settings):
    link = tmp_path / "quarter.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError) as error:
        read_submissions(link, settings)
    assert error.value.code == "NQE058" and "device" in str(error.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path, settings):
    pipe = tmp_path / "quarter.jsonl"
    os.mkfifo(pipe)
    with pytest.raises(InputError) as error:
        read_submissions(pipe, settings)
    assert error.value.code == "NQE058" and "pipe" in str(error.value)
