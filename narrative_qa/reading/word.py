"""The text of a Word draft (.docx), read the same way by `narrative-qa check` and the web
app's self-check.

The document part is streamed (paragraph by paragraph, each dropped once read), after the
archive's unpacked size is checked, so a small .docx that inflates to gigabytes is refused
(NQE057) and a large genuine one costs memory for its text only.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from xml.etree.ElementTree import ParseError, iterparse

from narrative_qa.errors import InputError, Location
from narrative_qa.reading.archive import ReadLimits, check_archive

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OFFICE_DOCUMENT = "/officeDocument"
ZIP_MAGIC = b"PK\x03\x04"


def is_docx(name: str, data: bytes) -> bool:
    return name.lower().endswith(".docx") or data[:4] == ZIP_MAGIC


def docx_text(name: str, data: bytes, limits: ReadLimits | None = None,
              max_chars: int | None = None) -> str:
    """The paragraphs (table cells included, in document order) one per line.

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
            with archive.open(part) as stream:
                lines = _paragraphs(stream, max_chars, where)
    except (zipfile.BadZipFile, ParseError, KeyError, OSError, EOFError):
        raise not_word from None
    text = "\n".join(line.rstrip() for line in lines).strip()
    if not text:
        raise InputError("NQE020", "the Word document has no text in it", where)
    return text


def _main_part(archive: zipfile.ZipFile) -> str | None:
    """The document part the package's relationships name (word/document.xml as a rule)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        with archive.open("_rels/.rels") as rels:
            for _, element in iterparse(rels):
                if element.tag == RELS and element.get("Type", "").endswith(OFFICE_DOCUMENT):
                    target = posixpath.normpath(element.get("Target", "").lstrip("/"))
                    return target if target in names else None
    return None


def _paragraphs(stream, max_chars: int | None, where: Location) -> list[str]:
    """Each w:p's text, in document order (a text box's paragraphs before the one holding
    it); the fallback copy of alternate content is skipped so nothing is read twice."""
    lines: list[str] = []
    open_paragraphs: list[list[str]] = []
    parents: list = []
    fallback = 0
    size = 0
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            parents.append(element)
            if tag == W + "p":
                open_paragraphs.append([])
            elif tag == MC + "Fallback":
                fallback += 1
            continue
        parents.pop()
        if tag == MC + "Fallback":
            fallback -= 1
        elif fallback or not open_paragraphs:
            pass
        elif tag == W + "t":
            open_paragraphs[-1].append(element.text or "")
        elif tag == W + "tab":
            open_paragraphs[-1].append("\t")
        elif tag in (W + "br", W + "cr"):
            open_paragraphs[-1].append("\n")
        elif tag == W + "p":
            line = "".join(open_paragraphs.pop())
            lines.append(line)
            size += len(line) + 1
            if max_chars is not None and size > max_chars + 1:
                raise InputError("NQE021", f"the Word document holds more than "
                                 f"{max_chars:,} characters of text, over the limit; it "
                                 "was not read further", where)
        if parents:  # what was read is dropped, so memory follows the open elements only
            parents[-1].remove(element)
    return lines
