"""Bounds on what a file may cost to read: zip-based inputs (XLSX, DOCX) by the size they
unpack to, every table by its rows, and the input by being a regular file.

Python's zipfile never inflates a member past the size the archive's directory declares
for it (it cuts the stream there and the CRC check then fails), so adding up the declared
sizes before anything is opened bounds the bytes openpyxl or the Word reader can inflate.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from narrative_qa.errors import InputError, Location

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """The [limits] of the settings that bound reading (see defaults.toml)."""

    max_unzipped_bytes: int = 200 * MB
    max_rows: int = 100_000
    max_members: int = 10_000  # files inside one archive (each costs a directory entry)

    @classmethod
    def of(cls, settings: object) -> ReadLimits:
        return cls(max_unzipped_bytes=getattr(settings, "max_unzipped_mb", 200) * MB,
                   max_rows=getattr(settings, "max_rows", 100_000))


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} bytes"


def check_archive(source: Path | IO[bytes], limits: ReadLimits, where: Location) -> None:
    """Refuse (NQE057) an archive that would unpack past the limit; a file that is not a
    zip at all is left for its reader to refuse in its own words."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    finally:
        if not isinstance(source, Path):
            source.seek(0)
    if len(members) > limits.max_members:
        raise InputError("NQE057", f"the file holds {len(members):,} parts, over the limit "
                         f"of {limits.max_members:,}", where)
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        largest = max(members, key=lambda m: m.file_size)
        raise InputError(
            "NQE057", f"the file unpacks to {_mb(total)} ({largest.filename} alone "
            f"{_mb(largest.file_size)}), over the limit of {_mb(limits.max_unzipped_bytes)} "
            "(limits.max_unzipped_mb)", where)


def too_many_rows(count: int, limits: ReadLimits, where: Location) -> InputError:
    return InputError("NQE057", f"the file has more than {limits.max_rows:,} rows "
                      f"(limits.max_rows); {count:,} were read before it was refused", where)


def require_regular_file(path: Path) -> None:
    """A link to /dev/zero, a pipe or a socket never ends or never answers: refuse it
    (NQE058) before it is opened. Folders are refused by the callers in their own words."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError("NQE001", "file not found", Location(str(path))) from None
    except OSError as exc:
        raise InputError("NQE003", f"cannot open ({exc.strerror})", Location(str(path))) \
            from exc
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        kind = ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                "a pipe" if stat.S_ISFIFO(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise InputError("NQE058", f"this is {kind}, not a file to read",
                         Location(str(path)))
