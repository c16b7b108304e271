"""Issue 17: CSV, JSON and JSONL files are read as they stream, so the row limit stops
reading a file long before it is all in memory (20,000 rows: bench/bench_large.py)."""

from __future__ import annotations

import dataclasses
import json
import tracemalloc

import pytest

from narrative_qa.errors import InputError
from narrative_qa.reading.records import read_submissions

ROWS = 150_000  # 5-9 MB of text: read whole, it costs several times that


def _write(path, suffix):
    rows = ({"KPI": f"K{i}", "Narrative": f"Row {i} was on target."} for i in range(ROWS))
    with path.open("w", encoding="utf-8") as out:
        if suffix == ".csv":
            out.write("KPI,Narrative\n")
            out.writelines(f"{r['KPI']},{r['Narrative']}\n" for r in rows)
        elif suffix == ".jsonl":
            out.writelines(json.dumps(r) + "\n" for r in rows)
        else:
            out.write('{"submissions": [\n')
            out.write(",\n".join(json.dumps(r) for r in rows))
            out.write("\n]}\n")


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
def test_a_file_past_the_row_limit_is_refused_without_being_read_whole(tmp_path, settings,
                                                                       suffix):
    path = tmp_path / f"big{suffix}"
    _write(path, suffix)
    assert path.stat().st_size > 4_000_000
    small = dataclasses.replace(settings, max_rows=20)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as error:
            read_submissions(path, small)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.value.code == "NQE057" and "20 rows" in str(error.value)
    assert peak < 1_500_000, f"{peak:,} bytes held to refuse a {path.stat().st_size:,}-byte file"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json"])
@pytest.mark.slow
def test_a_file_within_the_limit_is_read_as_before(tmp_path, settings, suffix):
    path = tmp_path / f"ok{suffix}"
    _write(path, suffix)
    subs, problems = read_submissions(path, dataclasses.replace(settings, max_rows=ROWS))
    assert len(subs) == ROWS and not [p for p in problems if p.blocking]
    assert subs[-1].narrative == f"Row {ROWS - 1} was on target."
