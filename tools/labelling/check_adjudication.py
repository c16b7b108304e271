"""Is every dispute of an adjudicator's reading copy settled in their rows?

    .venv/bin/python -m tools.labelling.check_adjudication VIEW OUT

VIEW is adj/views/part-N.txt (tools/assemble_labels.py disputes), OUT the adjudicator's
rows: {"id", "labels": {code: [0/1, "reason"]}, "s": {sentence: [tags]}, "act":
{sentence: [relevant, mechanism]}}.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tools.assemble_labels import SHORT
from tools.labelling.check_labels import rows_of

TAGS = set(SHORT)  # the short tags of docs/LABELLING.md §4


def disputes(view: str) -> dict[str, tuple[set[str], set[str], set[str]]]:
    need = {}
    for block in view.split("=== RECORD ")[1:]:
        listed = block.split("DISPUTES:")[1]
        need[re.search(r"id (\S+)", block).group(1)] = (
            set(re.findall(r"^  (NQ\d\d): labeller", listed, re.M)),
            set(re.findall(r"^  s(\d+) tags:", listed, re.M)),
            set(re.findall(r"^  s(\d+) action", listed, re.M)))
    return need


def format_problems(row: dict, n: int) -> list[str]:
    where, found = f"line {n} {row.get('id')}", []
    for code, value in row.get("labels", {}).items():
        if not (isinstance(value, list) and len(value) == 2 and value[0] in (0, 1)
                and isinstance(value[1], str) and value[1].strip()):
            found.append(f"{where}: labels.{code} must be [0/1, 'reason']")
    for s, tags in row.get("s", {}).items():
        if not set(tags) <= TAGS:
            found.append(f"{where}: unknown tag in s{s}")
    for s, pair in row.get("act", {}).items():
        if not (isinstance(pair, list) and len(pair) == 2 and set(pair) <= {0, 1}):
            found.append(f"{where}: act.{s} must be [0/1, 0/1]")
    return found


def main() -> None:
    view, out = Path(sys.argv[1]), Path(sys.argv[2])
    need = disputes(view.read_text(encoding="utf-8"))
    got = {}
    rows, problems = rows_of(out)
    for n, row in rows:
        got[row.get("id")] = row
        problems += format_problems(row, n)
    todo = [i for i in need if i not in got]
    for record, (codes, tags, acts) in need.items():
        row = got.get(record)
        if row is None:
            continue
        gaps = ((codes - set(row.get("labels", {})))
                | {f"s{s}" for s in tags - set(row.get("s", {}))}
                | {f"act s{s}" for s in acts - set(row.get("act", {}))})
        if gaps:
            problems.append(f"{record}: unresolved {sorted(gaps)}")
    print(f"{len(need) - len(todo)} of {len(need)} disputed records done"
          + (f"; next {todo[0]}" if todo else ""))
    print("\n".join(problems[:30]) or "format OK")


if __name__ == "__main__":
    main()
