"""Hostile files built inside the tests (never committed): small zips that unpack far past
a limit the test lowers, so the probes of issue 17 stay fast."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

NARRATIVE = "Performance is 51% against 60% because 3 of 15 posts were vacant in Q2."


def workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _rewrite(path: Path, member: str, chunks) -> None:
    """Replace one member of a zip with the text `chunks` yields, written as a stream."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            if name == member:
                with out.open(name, "w") as handle:
                    for chunk in chunks:
                        handle.write(chunk.encode())
            else:
                out.writestr(name, data)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument"'
        ' Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="QPR" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/sharedStrings"'
        ' Target="sharedStrings.xml"/></Relationships>'),
}


def shared_strings_bomb(path: Path, megabytes: int = 4) -> Path:
    """A workbook whose shared-strings table unpacks to `megabytes` MB (the zip stays a
    few KB): a header, one KPI with its narrative, then one huge string in a second row."""
    strings = ["KPI", "Target", "Actual", "Narrative", "Delays", NARRATIVE, "Pad"]
    cells = [[(0, "s"), (1, "s"), (2, "s"), (3, "s")], [(4, "s"), (60, "n"), (51, "n"),
             (5, "s")], [(6, "s"), (1, "n"), (1, "n"), (7, "s")]]
    rows = "".join(
        f'<row r="{r}">' + "".join(
            f'<c r="{"ABCD"[i]}{r}"' + (' t="s"' if kind == "s" else "") + f"><v>{v}</v></c>"
            for i, (v, kind) in enumerate(row)) + "</row>"
        for r, row in enumerate(cells, start=1))
    blob = "A" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in _PARTS.items():
            out.writestr(name, text)
        out.writestr("xl/worksheets/sheet1.xml",
                     f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}</sheetData></worksheet>')
        with out.open("xl/sharedStrings.xml", "w") as handle:
            handle.write((f'<sst xmlns="{_MAIN}">' + "".join(
                f"<si><t>{s}</t></si>" for s in strings) + "<si><t>").encode())
            for _ in range(megabytes):
                handle.write(blob.encode())
            handle.write(b"</t></si></sst>")
    return path


def docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_bomb(path: Path, megabytes: int = 4) -> Path:
    """A Word draft whose document part unpacks to `megabytes` MB of empty paragraphs."""
    path.write_bytes(docx(NARRATIVE))
    body = '<w:body><w:p><w:r><w:t>' + NARRATIVE + '</w:t></w:r></w:p>'
    empty = "<w:p/>" * (1024 * 1024 // 6)

    def chunks():
        yield ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
               '2006/main">' + body)
        for _ in range(megabytes):
            yield empty
        yield "</w:body></w:document>"

    _rewrite(path, "word/document.xml", chunks())
    return path
