"""Build the bundled sample QPR workbooks from narrative_qa/data/sample/source.json.

    python tools/build_sample.py

writes one workbook per quarter in source.json, e.g. qpr-2025-26-Q1.xlsx and
qpr-2025-26-Q2.xlsx, laid out as a council export: a title in row 1, a blank row 2,
the header in row 3 and one KPI per row below it. Values are written as councils
write them ("87%", "95.0 %", "1,234", "Higher is better", "Red", "n/a"). There are no
previous-actual or previous-narrative columns: the tool joins those from the previous
quarter's file by KPI Ref. The `intended_findings` in source.json are documentation
for people and are not written to the workbooks.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "narrative_qa" / "data" / "sample"

HEADERS = [
    "KPI Ref", "Indicator", "Service Area", "Locality", "Period", "Target", "Actual",
    "Unit", "Direction of Improvement", "RAG Status", "Lead Officer", "Commentary",
]
WIDTHS = [9, 48, 24, 12, 12, 14, 11, 8, 18, 11, 34, 90]

# Services whose officers write percentages with one decimal and a space ("95.0 %");
# the others write "87%". Real exports mix both styles in one sheet.
SPACED_PERCENT_SERVICES = {"Older People & Primary Care", "Homelessness", "Health Improvement"}


def plain(number: float | int) -> str:
    """The shortest decimal text for a number: 90.24 -> '90.24', 56.0 -> '56'."""
    text = format(Decimal(str(number)).normalize(), "f")
    return text


def format_value(value, unit: str, service: str) -> str | None:
    """A target or actual as it appears in a council spreadsheet."""
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if unit == "%":
        if service in SPACED_PERCENT_SERVICES:
            decimals = max(1, -Decimal(str(value)).normalize().as_tuple().exponent)
            return f"{value:.{decimals}f} %"
        return f"{plain(value)}%"
    if unit == "count":
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    return plain(value)


def period_slug(period: str) -> str:
    """'2025/26 Q1' -> '2025-26-Q1'."""
    return period.replace("/", "-").replace(" ", "-")


def build(period: str, records: list[dict], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "QPR"
    ws["A1"] = f"Glasgow City HSCP \u2013 Quarterly Performance Report {period}"
    ws["A1"].font = Font(bold=True, size=14)
    header_fill = PatternFill("solid", fgColor="1F4E78")
    for col, name in enumerate(HEADERS, start=1):
        cell = ws.cell(row=3, column=col, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width

    for row, r in enumerate(records, start=4):
        values = [
            r["kpi_id"],
            r["kpi_name"],
            r["service"],
            r.get("locality") or "",
            r["period"],
            format_value(r["target"], r["unit"], r["service"]),
            format_value(r["actual"], r["unit"], r["service"]),
            r["unit"],
            "Higher is better" if r["polarity"] == "up" else "Lower is better",
            r["stated_rag"].capitalize() if r.get("stated_rag") else "",
            r["owner"],
            r["narrative"],
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Rough height so wrapped commentary is visible when the file is opened.
        text = r["narrative"]
        lines = sum(max(1, -(-len(part) // 95)) for part in text.split("\n"))
        name_lines = -(-len(r["kpi_name"]) // 45)
        ws.row_dimensions[row].height = max(15, 15 * max(lines, name_lines))

    ws.freeze_panes = "C4"
    wb.save(path)


def main() -> int:
    source = json.loads((SAMPLE / "source.json").read_text(encoding="utf-8"))
    for period, records in source["quarters"].items():
        path = SAMPLE / f"qpr-{period_slug(period)}.xlsx"
        build(period, records, path)
        print(f"wrote {path.relative_to(ROOT)} ({len(records)} KPIs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
