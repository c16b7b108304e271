"""Write the real-text figures into README.md and models/CARD.md, from one evaluate run.

    .venv/bin/python tools/real_figures.py [--split test|select]

Runs `evaluate` on the real corpus joined with corpus/real_labels.jsonl (the split given,
test by default) and replaces the block between the split's two markers below in each
file (test: README and the model card; the selection set: the model card), so the
published figures are always the command's, never typed by hand. Figures only: no text of
the corpus.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from narrative_qa.measure.evaluation import BUNDLED_CORPUS, CLAIMED, Report, Section, evaluate
from narrative_qa.real_corpus import corpus_by_id

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- real-text:start -->", "<!-- real-text:end -->"
TARGETS = (ROOT / "README.md", ROOT / "models" / "CARD.md")
# The selection set's figures go to the model card only, in their own block.
SELECT_MARKERS = ("<!-- selection-text:start -->", "<!-- selection-text:end -->")
ABOUT = {
    "test": "(organisations never used to choose anything)",
    "select": "(records of train organisations set aside: no rule was developed on their "
              "labels and nothing is fitted to them, though rounds 19's and 21's 845 had their "
              "raised findings read for false alarms, unlabelled, in stop 42; the claim "
              "thresholds are chosen on them, so the claimed figures here are not "
              "independent; the test split's are)",
}


def _ci(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.2f}–{pair[1]:.2f}"


def finding_table(section: Section) -> list[str]:
    main, ci = section.systems["narrative_qa"], section.intervals["narrative_qa"]
    claimed = section.systems[CLAIMED]
    lines = ["| finding | positives | precision | recall | F1 (95% interval) | claimed: "
             "precision / recall / F1 | F1 keyword | F1 tfidf_lr |",
             "|---|---|---|---|---|---|---|---|"]
    for code, s in main.items():
        c = claimed[code]
        lines.append(
            f"| {code} | {s.tp + s.fn} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} "
            f"({_ci(ci.per_code[code]['f1'])}) | {c.precision:.2f} / {c.recall:.2f} / "
            f"{c.f1:.2f} | {section.systems['keyword'][code].f1:.2f} | "
            f"{section.systems['tfidf_lr'][code].f1:.2f} |")
    lines.append(
        f"| **macro** | | | | **{section.macro_f1('narrative_qa'):.2f}** "
        f"({_ci(ci.macro_f1)}) | F1 {section.macro_f1(CLAIMED):.2f} | "
        f"{section.macro_f1('keyword'):.2f} | {section.macro_f1('tfidf_lr'):.2f} |")
    lines += ["", "*All findings* counts every finding shown; *claimed* only those at or above "
              "their claim threshold (the rest are shown as worth a look and never count for "
              "the verdict)."]
    return lines


def ceiling(section: Section) -> list[str]:
    agreement = section.agreement
    if agreement is None:
        return []
    lines = ["| finding | kappa A–B | F1 labeller A | F1 labeller B | F1 narrative_qa |",
             "|---|---|---|---|---|"]
    for code, kappa in agreement.kappa.items():
        f1 = [agreement.systems[s][code].f1 for s in ("labeller A", "labeller B",
                                                       "narrative_qa")]
        lines.append(f"| {code} | {'n/a' if kappa is None else f'{kappa:.2f}'} | "
                     + " | ".join(f"{v:.2f}" for v in f1) + " |")
    defined = [k for k in agreement.kappa.values() if k is not None]
    lines.append(f"| **macro** | {sum(defined) / len(defined):.2f} | "
                 + " | ".join(f"{agreement.macro_f1(s):.2f}" for s in
                              ("labeller A", "labeller B", "narrative_qa")) + " |")
    return lines


def attribution() -> list[str]:
    lines = sorted({r["attribution"] for r in corpus_by_id().values() if r.get("attribution")})
    return [f"- {line}" for line in lines]


def block(report: Report, split: str, markers: tuple[str, str] = (START, END)) -> str:
    real = report.sections["real"]
    families = [(name.removeprefix("real: "), s) for name, s in report.sections.items()
                if name.startswith("real: ")]
    written = report.sections.get("written")
    lines = [markers[0], "",
             f"**Real text first.** {real.n} published narratives of the real corpus's "
             f"**{'selection set' if split == 'select' else f'{split} split'}** "
             f"{ABOUT.get(split, '')}, labelled "
             "blind by two labellers and adjudicated (`corpus/README.md`), from "
             f"`narrative-qa evaluate --split {split}` (all findings shown, then the claimed "
             "ones):", ""]
    lines += finding_table(real)
    if len(families) > 1:
        lines += ["", "By family (macro-F1, 95% interval; keyword and tfidf_lr beside, and "
                  "each labeller against the adjudicated labels, the family's ceiling):", "",
                  "| family | records | narrative_qa | keyword | tfidf_lr | labeller A | "
                  "labeller B |", "|---|---|---|---|---|---|---|"]
    for name, s in families if len(families) > 1 else []:
        lines.append(f"| {name} | {s.n} | {s.macro_f1('narrative_qa'):.2f} "
                     f"({_ci(s.intervals['narrative_qa'].macro_f1)}) | "
                     f"{s.macro_f1('keyword'):.2f} | {s.macro_f1('tfidf_lr'):.2f} | "
                     + " | ".join("–" if s.agreement is None else
                                  f"{s.agreement.macro_f1(f'labeller {who}'):.2f}"
                                  for who in "AB") + " |")
    if written is not None:
        lines += ["", f"On the team's written test split ({written.n} records) in the same "
                  f"run: macro-F1 {written.macro_f1('narrative_qa'):.2f} "
                  f"({_ci(written.intervals['narrative_qa'].macro_f1)})."]
    lines += ["", "The ceiling: the two labellers' agreement on the same records (Cohen's "
              "kappa) and each one's F1 against the adjudicated labels:", ""]
    lines += ceiling(real)
    if split != "select":
        lines += ["", "The real corpus is credited as its sources ask:", ""] + attribution()
    lines += ["", markers[1]]
    return "\n".join(lines)


def replace_block(path: Path, text: str, markers: tuple[str, str] = (START, END)) -> None:
    current = path.read_text(encoding="utf-8")
    start, end = markers
    if start in current and end in current:
        head, rest = current.split(start, 1)
        tail = rest.split(end, 1)[1]
        path.write_text(head + text + tail, encoding="utf-8")
    else:
        raise SystemExit(f"{path}: no {start} ... {end} block to replace")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=("train", "dev", "test", "select"))
    args = parser.parse_args()
    report = evaluate([BUNDLED_CORPUS], args.split, real=True)
    markers = SELECT_MARKERS if args.split == "select" else (START, END)
    targets = TARGETS[1:] if args.split == "select" else TARGETS
    text = block(report, args.split, markers)
    for path in targets:
        replace_block(path, text, markers)
        print(f"written: {path}")


if __name__ == "__main__":
    main()
