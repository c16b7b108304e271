"""Issue 16, defect 28: a Word draft is read as the narrative it holds. Headings and the
title (by paragraph style) are not narrative; a table stays where it is in the document,
each row on one line, so a figure stays beside its label."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from narrative_qa.reading import word


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_title_and_headings_are_not_narrative():
    document = Document()
    document.add_heading("Quarterly performance report", 0)  # style 'Title'
    document.add_heading("Delayed discharge", 1)
    document.add_paragraph("Delays rose to 61 in June because two care homes closed.")
    document.add_heading("Actions", 2)
    document.add_paragraph("A discharge team starts in August.")
    text = word.docx_text("draft.docx", _bytes(document))
    assert text.splitlines() == ["Delays rose to 61 in June because two care homes closed.",
                                 "A discharge team starts in August."]


def test_a_heading_style_is_known_by_its_name_not_its_id():
    """A council template's style ids are its own ('Kop1' in a Dutch Word); styles.xml
    names the style, and a style based on a heading is a heading too."""
    document = Document()
    document.add_heading("Introduction", 1)
    document.add_paragraph("The service met its target of 60%.")
    data = _bytes(document)
    data = _rewritten(data, {"word/styles.xml": lambda x: x.replace(
        b'w:styleId="Heading1"', b'w:styleId="Kop1"'),
        "word/document.xml": lambda x: x.replace(b'w:val="Heading1"', b'w:val="Kop1"')})
    assert word.docx_text("draft.docx", data) == "The service met its target of 60%."


def test_a_table_is_read_in_place_one_row_per_line():
    document = Document()
    document.add_paragraph("Performance fell this quarter.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Month", "Value"), ("June", "51%")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Vacancies explain most of the fall.")
    text = word.docx_text("draft.docx", _bytes(document))
    assert text.splitlines() == ["Performance fell this quarter.", "Month; Value",
                                 "June; 51%", "Vacancies explain most of the fall."]


def test_a_heading_inside_a_table_is_left_out_and_empty_cells_add_nothing():
    document = Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).paragraphs[0].style = document.styles["Heading 2"]
    table.cell(0, 0).paragraphs[0].add_run("Staffing")
    table.cell(0, 2).text = "6.5 WTE vacancies"
    assert word.docx_text("draft.docx", _bytes(document)) == "6.5 WTE vacancies"


def _rewritten(data: bytes, changes: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename in changes:
                body = changes[item.filename](body)
            target.writestr(item, body)
    return out.getvalue()


def test_a_text_box_is_read_once_and_its_holder_whole():
    """A text box is written twice (mc:Choice and the VML mc:Fallback); the fallback copy
    is skipped whole, and the paragraph holding the box keeps the text before the box
    (its start was lost when the fallback's paragraph was opened but never closed)."""
    document = Document()
    document.add_paragraph("HOLDER")
    document.add_paragraph("Next paragraph.")
    box = ("<w:txbxContent><w:p><w:r><w:t>Inside the box.</w:t></w:r></w:p>"
           "</w:txbxContent>")
    alternate = ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
                 f'markup-compatibility/2006"><mc:Choice Requires="wps">{box}</mc:Choice>'
                 f"<mc:Fallback>{box}</mc:Fallback></mc:AlternateContent>")
    data = _rewritten(_bytes(document), {"word/document.xml": lambda x: x.replace(
        b"<w:t>HOLDER</w:t>", b"<w:t>Before the box, </w:t></w:r><w:r>" + alternate.encode()
        + b"</w:r><w:r><w:t>after it.</w:t>")})
    assert word.docx_text("draft.docx", data).splitlines() == [
        "Inside the box.", "Before the box, after it.", "Next paragraph."]
