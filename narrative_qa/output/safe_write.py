"""Safe output: text cleaned for every writer, spreadsheet cells that never run as formulas,
and files written whole or not at all.

Every writer (CSV, XLSX, DOCX, Markdown, HTML) takes text through :func:`clean_text`;
spreadsheet writers take every cell, headers too, through :func:`safe_cell`, which cleans
first and neutralises formulas second, so a control character cannot hide a formula.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from narrative_qa.errors import InputError, Location

# Line and paragraph separators (Word's soft line break is \x0b) become a line break.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Other control characters, and what XML (XLSX, DOCX) cannot hold, become a space, so
# words either side of them stay apart.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_NOT_XML = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def clean_text(text: str) -> str:
    """Text any writer can hold: tab and newline kept, line separators made newlines,
    other control characters made spaces."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub(" ", text)
    return _NOT_XML.sub("\ufffd", text)


def safe_cell(value: Any) -> Any:
    """A spreadsheet cell: numbers, dates and empty cells as they are; anything else as
    cleaned text, with an apostrophe before it when it would start a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = clean_text(str(value))
    if text[:1] in _FORMULA_START or text.lstrip()[:1] in _FORMULA_START:
        return "'" + text
    return text


def output_error(path: Path, detail: str) -> InputError:
    return InputError("NQE013", detail, Location(str(path)))


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _listed(suffixes: tuple[str, ...]) -> str:
    return ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]


def check_file_target(path: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse, before any work, a path that cannot become an output file of these types."""
    if path.is_dir():
        raise output_error(path, "this is a folder; give a file name inside it ending in "
                           + _listed(suffixes))
    if path.suffix.lower() not in suffixes:
        raise output_error(path, f"the file name does not end in {_listed(suffixes)} (the "
                           "format follows the extension)")
    check_folder_target(path.parent, path)


def check_folder_target(folder: Path, named: Path | None = None) -> None:
    """Refuse a folder that is a file, sits under a file, or cannot be written."""
    named = named or folder
    for ancestor in (folder, *folder.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                raise output_error(named, f"'{ancestor}' is a file, not a folder, so "
                                   "nothing can be written in it")
            if not os.access(ancestor, os.W_OK | os.X_OK):
                raise output_error(named, f"the folder '{ancestor}' cannot be written to "
                                   "(ask for write access, or choose another folder)")
            return


def refuse_input_as_output(out: Path, inputs: list[Path | None]) -> None:
    """The output must not be (a name for) one of the input files."""
    for source in inputs:
        if source is None:
            continue
        same = out.resolve() == source.resolve()
        if not same and out.exists() and source.exists():
            same = os.path.samefile(out, source)
        if same:
            raise output_error(out, f"this is the input file '{source}'; writing the results "
                               "there would replace it")


def make_folder(folder: Path) -> list[Path]:
    """Create a folder and any missing parents; return those created (outermost first)."""
    check_folder_target(folder)
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise output_error(folder, f"the folder cannot be created: {_reason(error)}"
                           ) from None
    return missing


def remove_created(created: list[Path]) -> None:
    """Undo make_folder after a failure: remove the folders it made, if still empty."""
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            return


def _file_mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path in the target's folder to write to; on success it replaces the
    target in one step, on failure it is removed and the target is left as it was."""
    created = make_folder(path.parent)
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:40]}.",
                                        suffix=f".tmp{path.suffix}")
    except OSError as error:
        remove_created(created)
        raise output_error(path, f"the file cannot be written: {_reason(error)}") from None
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        remove_created(created)
        if isinstance(error, OSError):
            raise output_error(path, f"cannot write '{path}' ({_reason(error)}); nothing was "
                               "written: free some space or choose another path") from None
        raise


def install_files(folder: Path, build: Callable[[Path], None]) -> tuple[list[Path], list[Path]]:
    """Build a set of files with `build(staging)` in a hidden folder inside `folder`; only
    when all are built, move them into place. Returns (files written, files replaced)."""
    created = make_folder(folder)
    try:
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".staging-"))
    except OSError as error:
        remove_created(created)
        raise output_error(folder, f"the folder cannot be written to: {_reason(error)}"
                           ) from None
    written: list[Path] = []
    replaced: list[Path] = []
    try:
        build(staging)
        for built in sorted(staging.iterdir()):
            target = folder / built.name
            if target.exists():
                replaced.append(target)
            os.chmod(built, _file_mode(target))
            os.replace(built, target)
            written.append(target)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if not written:
            remove_created(created)
        if isinstance(error, OSError):
            done = (f"{len(written)} files were already in place" if written
                    else "nothing was written")
            raise output_error(folder, f"the files cannot be written: {_reason(error)}; "
                               f"{done}") from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written, replaced


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write a whole text file in one step (see atomic_path)."""
    with atomic_path(path) as temp:
        temp.write_text(text, encoding=encoding, newline="")
