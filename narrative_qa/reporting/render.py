"""Rendering view models: one Jinja2 environment, autoescaped for HTML."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from narrative_qa.output.files import safe_cell
from narrative_qa.reporting.view import Bar, ReportView, feedback_by_owner
from narrative_qa.store.history import History


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("narrative_qa.reporting", "templates"),
                      autoescape=select_autoescape(["html", "html.j2", "svg.j2"],
                                                   default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_text
    return env


def markdown_text(value: object) -> str:
    """Text for Markdown: no raw HTML and no accidental formatting from the narrative."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", " ".join(text.split()))


def chart(bars: list[Bar]) -> Markup:
    return Markup(environment().get_template("chart.svg.j2").render(bars=bars))


def render_report_html(view: ReportView) -> str:
    return environment().get_template("report.html.j2").render(view=view, chart=chart)


def write_report(history: History, period: str, out: Path) -> Path:
    from narrative_qa.reporting.view import build_report

    view = build_report(history, period)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        _write_screening_xlsx(view, out)
    else:
        out.write_text(render_report_html(view), encoding="utf-8")
    return out


def _write_screening_xlsx(view: ReportView, out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Screening"
    sheet.append(["kpi_id", "kpi_name", "service", "owner", "verdict", "findings",
                  "messages"])
    for item in view.items:
        sheet.append([safe_cell(v) for v in (
            item.kpi_id, item.kpi_name, item.service, item.owner, item.verdict,
            ", ".join(f["code"] for f in item.findings),
            "\n".join(f"{f['code']}: {f['elt_message']}" for f in item.findings))])
    book.save(out)


def _slug(owner: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-") or "owner"


def write_feedback(history: History, period: str, folder: Path) -> list[Path]:
    from narrative_qa.catalogue import load_catalogue

    rules = {r.code: r for r in load_catalogue()}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    seen: dict[str, int] = {}
    for owner, items in feedback_by_owner(history, period).items():
        name = _slug(owner)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:  # two owners whose names differ only in punctuation
            name = f"{name}-{seen[name]}"
        for kind in ("md", "html"):
            path = folder / f"{name}.{kind}"
            path.write_text(environment().get_template(f"feedback.{kind}.j2").render(
                owner=owner, period=period, items=items, rules=rules), encoding="utf-8")
            written.append(path)
        written.append(_write_feedback_docx(folder / f"{name}.docx", owner, period, items,
                                            rules))
    return written


def _write_feedback_docx(path: Path, owner: str, period: str, items, rules) -> Path:
    """The same feedback as the Markdown, as a Word document (python-docx)."""
    from docx import Document

    document = Document()
    document.add_heading(f"Feedback on your QPR narrative – {period}", level=1)
    document.add_paragraph(f"For: {owner}")
    document.add_paragraph(
        "Thank you for your narrative. Below, for each of your KPIs, is what a reader on the "
        "Executive Leadership Team would want added or changed, with the sentence it is "
        "about and an example of what good looks like.")
    for item in items:
        document.add_heading(f"{item.kpi_id} – {item.kpi_name}", level=2)
        document.add_paragraph(f"Target {item.record.get('target')}, actual "
                               f"{item.record.get('actual')}.")
        if not item.findings:
            document.add_paragraph("Nothing to add: this narrative meets every check.")
        for finding in item.findings:
            rule = rules[finding["code"]]
            title = rule.title + (" (please check: our tool is less sure about this one)"
                                  if finding.get("low_confidence") else "")
            document.add_heading(title, level=3)
            document.add_paragraph(" … ".join(finding["evidence"]), style="Intense Quote")
            document.add_paragraph(finding["message"])
            for label, text in (("Why it matters: ", rule.docs["why"]),
                                ("What to add: ", finding["suggestion"]),
                                ("What good looks like: ", rule.good_example)):
                paragraph = document.add_paragraph()
                paragraph.add_run(label).bold = True
                paragraph.add_run(_docx_text(text))
    document.save(path)
    return path


def _docx_text(text: str) -> str:
    """Word rejects control characters other than tab and newline."""
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 32)
