"""Rendering view models: one Jinja2 environment autoescaped for HTML, one that escapes
every value for Markdown; every document written whole or not at all."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from jinja2 import Environment, PackageLoader, Undefined, select_autoescape
from markupsafe import Markup

from narrative_qa.errors import InputError, Location
from narrative_qa.output.safe_write import (
    atomic_path,
    check_file_target,
    clean_text,
    install_files,
    safe_cell,
    write_text,
)
from narrative_qa.reporting.view import Bar, Item, ReportView, feedback_by_owner
from narrative_qa.store.history import History

REPORT_FORMATS = (".html", ".htm", ".xlsx")


def figure(value: Any, unit: Any = None) -> str:
    """A KPI figure as a reader writes it: 90 not 90.0, 87.5%, and 'not given' for none."""
    if value is None or value == "" or isinstance(value, Undefined):  # a record may lack it
        return "not given"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    shown = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{shown}%" if unit == "%" else shown


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("narrative_qa.reporting", "templates"),
                      autoescape=select_autoescape(["html", "html.j2", "svg.j2"],
                                                   default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_text
    env.filters["figure"] = figure
    return env


@lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    """For .md templates: every {{ value }} is escaped for Markdown, filtered or not, so a
    template edit cannot forget it (as autoescape does for HTML)."""
    env = Environment(loader=PackageLoader("narrative_qa.reporting", "templates"),
                      autoescape=False, finalize=markdown_text,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = markdown_text
    env.filters["figure"] = figure
    return env


class MarkdownText(str):
    """Text already escaped for Markdown (escaping it again would show the backslashes)."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
# A list item, rule or setext underline at the start of a line: "- x", "---", "1. x".
_MD_LINE_START = re.compile(r"^([-+=](?=[-=\s]|$)|\d+[.)](?=\s|$))")


def markdown_text(value: object) -> MarkdownText:
    """Text for Markdown: no raw HTML, comments or links, and no accidental formatting or
    line-start blocks (lists, rules) from the narrative."""
    if isinstance(value, MarkdownText):
        return value
    text = "" if value is None else clean_text(str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    text = _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)
    return MarkdownText(text)


def chart(bars: list[Bar]) -> Markup:
    return Markup(environment().get_template("chart.svg.j2").render(bars=bars))


def render_report_html(view: ReportView) -> str:
    return environment().get_template("report.html.j2").render(view=view, chart=chart)


def render_feedback_markdown(owner: str, period: str, items: list[Item],
                             rules: dict[str, Any]) -> str:
    template = markdown_environment().get_template("feedback.md.j2")
    return clean_text(template.render(owner=owner, period=period, items=items, rules=rules))


def render_feedback_html(owner: str, period: str, items: list[Item],
                         rules: dict[str, Any]) -> str:
    template = environment().get_template("feedback.html.j2")
    return clean_text(template.render(owner=owner, period=period, items=items, rules=rules))


def require_stored(history: History, period: str, todo: str = "") -> None:
    """Refuse (NQE009) a period with nothing stored: its report would be empty."""
    if not history.current(period, with_findings=False):
        raise InputError("NQE009", f"nothing is stored for period '{period}'{todo}",
                         Location(history.url))


def report_html(history: History, period: str) -> str:
    """The ELT's screening report for a period, as one self-contained HTML page."""
    from narrative_qa.reporting.view import build_report

    return render_report_html(build_report(history, period))


def report_xlsx(history: History, period: str) -> bytes:
    """The screening table for a period, as the bytes of an .xlsx workbook."""
    from narrative_qa.reporting.view import build_report

    return screening_xlsx(build_report(history, period))


def screening_xlsx(view: ReportView) -> bytes:
    """A report view's screening table as .xlsx bytes (the web app passes a reviewer's view)."""
    buffer = io.BytesIO()
    _write_screening_xlsx(view, buffer)
    return buffer.getvalue()


def write_report(history: History, period: str, out: Path) -> Path:
    """report_html or report_xlsx (by the extension), written whole or not at all."""
    check_file_target(out, REPORT_FORMATS)
    if out.suffix.lower() == ".xlsx":
        data = report_xlsx(history, period)
        with atomic_path(out) as temp:
            temp.write_bytes(data)
    else:
        write_text(out, report_html(history, period))
    return out


SCREENING_COLUMNS = (  # (header, width in characters)
    ("KPI", 10), ("KPI name", 40), ("Service", 24), ("Owner", 28), ("RAG stated", 11),
    ("RAG from the figures", 11), ("Verdict", 15), ("Findings", 16),
    ("What the ELT should know", 80))
RAG_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE",
             "not-acceptable": "FFC7CE", "revise": "FFEB9C", "ready": "C6EFCE"}


def _write_screening_xlsx(view: ReportView, out: Path | BinaryIO) -> None:
    """Formatted as a council's own workbook would be: plain headers in bold on a band,
    the header row frozen with a filter on it, set widths, wrapped messages, and the RAG
    and verdict cells coloured red, amber or green."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Screening"
    sheet.append([header for header, _ in SCREENING_COLUMNS])
    for item in view.items:
        sheet.append([safe_cell(v) for v in (
            item.kpi_id, item.kpi_name, item.service, item.owner,
            item.record.get("stated_rag"),
            "a judgement" if isinstance(item.record.get("target"), str)
            else item.record.get("rag_computed"), item.verdict,
            ", ".join(f["code"] for f in item.findings),
            "\n".join(f"{f['code']}: {f['elt_message']}" for f in item.findings))])
    band = PatternFill("solid", fgColor="1F3864")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = band
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, (_, width) in enumerate(SCREENING_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            fill = RAG_FILLS.get(str(cell.value)) if cell.column in (5, 6, 7) else None
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(out)


def file_slug(text: str, limit: int) -> str:
    """Lower-case ASCII letters, digits and hyphens ("José Núñez" -> "jose-nunez")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def feedback_names(owners: list[str], period: str) -> dict[str, str]:
    """A file name (without extension) per owner: the period, then the owner's name, then,
    when two owners' names give the same text ("A Smith", "A. Smith"), a short hash of the
    exact name. The same owners get the same names every run; each fits a file system."""
    prefix = file_slug(period, 40) or "period"
    bases = {owner: file_slug(owner, 80) or "owner" for owner in owners}
    shared = Counter(bases.values())
    names = {}
    for owner, base in bases.items():
        digest = hashlib.sha256(owner.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        names[owner] = f"{prefix}-{base}" + (f"-{digest}" if shared[base] > 1 else "")
    return names


@dataclass
class FeedbackFiles:
    written: list[Path]
    replaced: list[Path]  # files of the same name that were there before


def write_feedback(history: History, period: str, folder: Path) -> list[Path]:
    return write_feedback_files(history, period, folder).written


def feedback_documents(history: History, period: str) -> dict[str, bytes]:
    """One document per owner, as Markdown, HTML and Word: file name -> bytes. Names are
    the period and the owner (see feedback_names), each fit for any file system."""
    from narrative_qa.catalogue import load_catalogue

    rules = {r.code: r for r in load_catalogue()}
    owners = feedback_by_owner(history, period)
    names = feedback_names(list(owners), period)
    documents: dict[str, bytes] = {}
    for owner, items in owners.items():
        name = names[owner]
        documents[f"{name}.md"] = render_feedback_markdown(
            owner, period, items, rules).encode("utf-8")
        documents[f"{name}.html"] = render_feedback_html(
            owner, period, items, rules).encode("utf-8")
        documents[f"{name}.docx"] = feedback_docx(owner, period, items, rules)
    return documents


def feedback_docx(owner: str, period: str, items: list[Item], rules: dict[str, Any]) -> bytes:
    """One owner's feedback as the bytes of a Word document."""
    buffer = io.BytesIO()
    _write_feedback_docx(buffer, owner, period, items, rules)
    return buffer.getvalue()


def write_feedback_files(history: History, period: str, folder: Path) -> FeedbackFiles:
    """feedback_documents written to `folder`: all are built first, in a hidden folder
    inside it, and moved into place only when every one is written."""
    documents = feedback_documents(history, period)

    def build(staging: Path) -> None:
        for name, data in documents.items():
            (staging / name).write_bytes(data)

    written, replaced = install_files(folder, build)
    return FeedbackFiles(written, replaced)


def _write_feedback_docx(path: Path | BinaryIO, owner: str, period: str, items: list[Item],
                         rules: dict[str, Any]) -> Path | BinaryIO:
    """The same feedback as the Markdown, as a Word document (python-docx). Every text is
    cleaned: Word rejects control characters, and a soft line break becomes a real one."""
    from docx import Document

    def text(value: object) -> str:
        return clean_text(str(value))

    document = Document()
    document.add_heading(text(f"Feedback on your QPR narrative – {period}"), level=1)
    document.add_paragraph(text(f"For: {owner}"))
    document.add_paragraph(
        "Thank you for your narrative. Below, for each of your KPIs, is what a reader on the "
        "Executive Leadership Team would want added or changed, with the sentence it is "
        "about and an example of what good looks like.")
    for item in items:
        document.add_heading(text(f"{item.kpi_id} – {item.kpi_name}"), level=2)
        unit = item.record.get("unit")
        document.add_paragraph(text(f"Target {figure(item.record.get('target'), unit)}, "
                                    f"actual {figure(item.record.get('actual'), unit)}."))
        if not item.findings:
            document.add_paragraph("Nothing to add: this narrative meets every check.")
        for finding in item.findings:
            rule = rules[finding["code"]]
            title = rule.title + (" (please check: our tool is less sure about this one)"
                                  if finding.get("low_confidence") else "")
            document.add_heading(text(title), level=3)
            document.add_paragraph(text(" … ".join(finding["evidence"])),
                                   style="Intense Quote")
            document.add_paragraph(text(finding["message"]))
            for label, value in (("Why it matters: ", rule.docs["why"]),
                                 ("What to add: ", finding["suggestion"]),
                                 ("What good looks like: ", rule.good_example)):
                paragraph = document.add_paragraph()
                paragraph.add_run(label).bold = True
                paragraph.add_run(text(value))
    document.save(path)
    return path
