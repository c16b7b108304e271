"""Check a labeller's rows against the reading copy they were made from.

    .venv/bin/python -m tools.labelling.check_labels VIEW OUT

Says how many records are done and the next one, and lists format problems: an id not
in the copy, an unknown code or tag, a sentence number outside the record, evidence for
a finding not labelled 1, a malformed action rating, an id labelled twice.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from tools.assemble_labels import SHORT

CODES = {f"NQ{n:02d}" for n in range(1, 12)}
TAGS = set(SHORT)  # the short tags of docs/LABELLING.md §4


def sentences_per_record(view: str) -> dict[str, int]:
    blocks = view.split("=== RECORD ")[1:]
    return {re.search(r"id (\S+)", b).group(1): len(re.findall(r"^  s\d+ ", b, re.M))
            for b in blocks}


def problems_of(row: dict, n: int, k: int) -> list[str]:
    where, found = f"line {n} {row.get('id')}", []
    if not set(row.get("pos", [])) <= CODES:
        found.append(f"{where}: unknown code in pos")
    for s, tags in row.get("s", {}).items():
        if not s.isdigit() or not 1 <= int(s) <= k:
            found.append(f"{where}: sentence {s} out of 1..{k}")
        if not set(tags) <= TAGS:
            found.append(f"{where}: unknown tag in {tags}")
    for code, cited in row.get("ev", {}).items():
        if code not in row.get("pos", []):
            found.append(f"{where}: ev for {code} not in pos")
        if any(not isinstance(s, int) or not 1 <= s <= k for s in cited):
            found.append(f"{where}: ev sentence out of range")
    for s, pair in row.get("act", {}).items():
        good = isinstance(pair, list) and len(pair) == 2 and set(pair) <= {0, 1}
        if not s.isdigit() or not 1 <= int(s) <= k or not good:
            found.append(f"{where}: bad act entry {s}: {pair}")
    return found


def rows_of(out: Path) -> tuple[list[tuple[int, dict]], list[str]]:
    """(line number, row) for each JSON line of `out` (none yet if it does not exist), and
    a problem for each line that is not JSON."""
    rows, problems = [], []
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append((n, json.loads(line)))
        except json.JSONDecodeError as error:
            problems.append(f"line {n}: not JSON ({error})")
    return rows, problems


def main() -> None:
    view, out = Path(sys.argv[1]), Path(sys.argv[2])
    sizes = sentences_per_record(view.read_text(encoding="utf-8"))
    done: list = []
    rows, problems = rows_of(out)
    for n, row in rows:
        done.append(row.get("id"))
        if row.get("id") not in sizes:
            problems.append(f"line {n}: id {row.get('id')} not in the reading copy")
            continue
        problems += problems_of(row, n, sizes[row["id"]])
    twice = sorted({i for i in done if done.count(i) > 1})
    if twice:
        problems.append(f"ids twice: {twice}")
    missing = [i for i in sizes if i not in done]
    print(f"{len(set(done))} of {len(sizes)} records labelled; {len(missing)} still to do"
          + (f", next {missing[0]}" if missing else ""))
    print("\n".join(problems[:30]) or "format OK")


if __name__ == "__main__":
    main()
