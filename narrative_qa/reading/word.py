"""The text of a Word draft (.docx), read the same way by `narrative-qa check` and the web
app's self-check.

The document part is streamed (paragraph by paragraph, each dropped once read), after the
archive's unpacked size is checked, so a small .docx that inflates to gigabytes is refused
(NQE057) and a large genuine one costs memory for its text only.

What is read is the narrative: the title and headings (paragraphs whose style is, or is
based on, Title, Subtitle or Heading N, or has an outline level) are left out, since an
officer's "Staffing" heading is not a sentence to check. A table stays where it is, one
row per line with its cells joined by '; ', so a figure keeps its label beside it ("June;
51%") and NQ04 sees a table's figures next to the sentence that introduces them.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from xml.etree.ElementTree import ParseError, iterparse

from narrative_qa.errors import InputError, Location
from narrative_qa.reading.archive import ReadLimits, check_archive

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OFFICE_DOCUMENT = "/officeDocument"
STYLES = "/styles"
HEADING_NAME = re.compile(r"(title|subtitle|heading \d)", re.IGNORECASE)
HEADING_ID = re.compile(r"(Title|Subtitle|Heading\d)")  # when styles.xml does not say
CELL_SEPARATOR = "; "
ZIP_MAGIC = b"PK\x03\x04"


def is_docx(name: str, data: bytes) -> bool:
    return name.lower().endswith(".docx") or data[:4] == ZIP_MAGIC


def docx_text(name: str, data: bytes, limits: ReadLimits | None = None,
              max_chars: int | None = None) -> str:
    """The narrative paragraphs one per line, in document order (headings left out, a
    table row per line).

    NQE105 for a file that is not a Word document, NQE057 past the unpacked-size limit,
    NQE021 when the text runs past `max_chars` (reading stops there), NQE020 when empty.
    """
    where = Location(name)
    not_word = InputError("NQE105", "this is not a Word document (.docx)", where)
    source = io.BytesIO(data)
    if not zipfile.is_zipfile(source):
        raise not_word
    check_archive(source, limits or ReadLimits(), where)
    try:
        with zipfile.ZipFile(source) as archive:
            part = _main_part(archive)
            if part is None:
                raise not_word
            headings = _heading_styles(archive, part)
            with archive.open(part) as stream:
                lines = _paragraphs(stream, headings, max_chars, where)
    except (zipfile.BadZipFile, ParseError, KeyError, OSError, EOFError):
        raise not_word from None
    text = "\n".join(line.rstrip() for line in lines).strip()
    if not text:
        raise InputError("NQE020", "the Word document has no text in it", where)
    return text


def _main_part(archive: zipfile.ZipFile) -> str | None:
    """The document part the package's relationships name (word/document.xml as a rule)."""
    return _related(archive, "", "_rels/.rels", OFFICE_DOCUMENT)


def _related(archive: zipfile.ZipFile, base: str, rels_name: str, kind: str) -> str | None:
    """The part a relationships file names for a relationship type, if it is there."""
    names = set(archive.namelist())
    if rels_name not in names:
        return None
    with archive.open(rels_name) as rels:
        for _, element in iterparse(rels):
            if element.tag == RELS and element.get("Type", "").endswith(kind):
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else \
                    posixpath.join(base, target)
                path = posixpath.normpath(path)
                return path if path in names else None
    return None


def _heading_styles(archive: zipfile.ZipFile, part: str) -> Callable[[str], bool]:
    """Which paragraph style ids are headings: by the style's name (its id is the
    template's own, 'Kop1' in a Dutch Word), its outline level, or a style it is based on."""
    base, leaf = posixpath.split(part)
    styles = _related(archive, base, posixpath.join(base, "_rels", leaf + ".rels"), STYLES)
    heading: dict[str, bool] = {}
    based_on: dict[str, str] = {}
    if styles is not None:
        with archive.open(styles) as stream:
            for _, element in iterparse(stream):
                if element.tag != W + "style" or element.get(W + "type") != "paragraph":
                    continue
                style_id = element.get(W + "styleId", "")
                name = element.find(W + "name")
                outline = element.find(f"{W}pPr/{W}outlineLvl")
                heading[style_id] = bool(
                    (name is not None and HEADING_NAME.fullmatch(name.get(W + "val", "")))
                    or (outline is not None and outline.get(W + "val", "9") != "9"))
                parent = element.find(W + "basedOn")
                if parent is not None:
                    based_on[style_id] = parent.get(W + "val", "")
                element.clear()

    def is_heading(style_id: str) -> bool:
        seen: set[str] = set()
        while style_id and style_id not in seen:  # a loop of basedOn ends the walk
            if heading.get(style_id, style_id not in heading and
                           HEADING_ID.fullmatch(style_id) is not None):
                return True
            seen.add(style_id)
            style_id = based_on.get(style_id, "")
        return False
    return is_heading


def _paragraphs(stream, is_heading: Callable[[str], bool], max_chars: int | None,
                where: Location) -> list[str]:
    """Each w:p's text, in document order (a text box's paragraphs before the one holding
    it), headings left out and a table row's cells on one line; the fallback copy of
    alternate content is skipped so nothing is read twice."""
    lines: list[str] = []
    open_paragraphs: list[list[str]] = []
    headings: list[bool] = []  # per open paragraph: is its style a heading
    cells: list[list[str]] = []  # per open table cell: its paragraphs
    rows: list[list[str]] = []  # per open table row: its cells' text
    parents: list = []
    fallback = 0
    size = 0

    def keep(line: str) -> None:
        nonlocal size
        (cells[-1] if cells else lines).append(line)
        size += len(line) + 1
        if max_chars is not None and size > max_chars + 1:
            raise InputError("NQE021", f"the Word document holds more than "
                             f"{max_chars:,} characters of text, over the limit; it "
                             "was not read further", where)

    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            parents.append(element)
            if tag == MC + "Fallback":
                fallback += 1
            elif fallback:
                pass  # the fallback copy is skipped whole: nothing opened, nothing closed
            elif tag == W + "p":
                open_paragraphs.append([])
                headings.append(False)
            elif tag == W + "tc":
                cells.append([])
            elif tag == W + "tr":
                rows.append([])
            continue
        parents.pop()
        if tag == MC + "Fallback":
            fallback -= 1
        elif fallback:
            pass
        elif tag == W + "tc" and cells:
            text = " ".join(p.strip() for p in cells.pop() if p.strip())
            if rows and text:
                rows[-1].append(text)
        elif tag == W + "tr" and rows:
            row = rows.pop()
            if row:
                keep(CELL_SEPARATOR.join(row))
        elif not open_paragraphs:
            pass
        elif tag == W + "pStyle" and len(parents) >= 2 and parents[-1].tag == W + "pPr":
            headings[-1] = is_heading(element.get(W + "val", ""))
        elif tag == W + "outlineLvl" and parents and parents[-1].tag == W + "pPr":
            headings[-1] = element.get(W + "val", "9") != "9"
        elif tag == W + "t":
            open_paragraphs[-1].append(element.text or "")
        elif tag == W + "tab":
            open_paragraphs[-1].append("\t")
        elif tag in (W + "br", W + "cr"):
            open_paragraphs[-1].append("\n")
        elif tag == W + "p":
            line = "".join(open_paragraphs.pop())
            if not headings.pop():
                keep(line)
        if parents:  # what was read is dropped, so memory follows the open elements only
            parents[-1].remove(element)
    return lines
