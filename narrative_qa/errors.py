"""Errors a person can act on.

Every problem with an input file, the configuration or a model has an ``NQE`` code and
says where it is (file, row, column) and what to do. File-level problems raise
:class:`InputError`; problems with one row are recorded as :class:`RowProblem` on that
row so the rest of the batch is still scored.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> (short title, what to do). Codes never change meaning.
CODES: dict[str, tuple[str, str]] = {
    "NQE001": ("file not found", "Check the path."),
    "NQE002": ("unsupported file type", "Use .csv, .xlsx, .json or .jsonl."),
    "NQE003": (
        "file cannot be read",
        "Open it in Excel and save a fresh copy as .xlsx or CSV (UTF-8).",
    ),
    "NQE004": (
        "file is password-protected",
        "Remove the password (File > Info > Protect Workbook) and save a copy.",
    ),
    "NQE005": (
        "required column missing",
        "Add the column, or map your header to it with --map 'HEADER=field'.",
    ),
    "NQE006": ("no header row found", "Put the column names in one row above the data."),
    "NQE007": ("sheet not found", "Pass one of the sheet names listed with --sheet."),
    "NQE008": ("bad --map option", "Write it as --map 'Your Header=field'."),
    "NQE009": ("file has no rows", "Check that you exported the right sheet or file."),
    "NQE010": ("configuration error", "Fix the setting named in the message."),
    "NQE011": ("rule catalogue error", "Fix the rule file named in the message."),
    "NQE012": ("language model problem", "Reinstall with the README's install command."),
    "NQE013": (
        "output cannot be written",
        "Choose another output path, or fix the one named (the message says why).",
    ),
    "NQE014": (
        "history store cannot be opened",
        "Check the --db path or URL, and that the database server is running.",
    ),
    "NQE020": ("narrative is empty", "Write the narrative for this KPI."),
    "NQE021": (
        "narrative too long",
        "Narrative this long is usually a paste error: check the cell.",
    ),
    "NQE022": ("value is not a number", "Write a number such as 87, 87% or 1,234."),
    "NQE023": ("duplicate KPI and period", "Keep one row per KPI per period."),
    "NQE024": ("unrecognised value", "Use one of the values listed in the message."),
    "NQE025": ("row cannot be parsed", "Check the row's syntax."),
    "NQE026": ("analysis failed for this row", "Report this row to the product team."),
    # issue 17: values that are not text
    "NQE027": (
        "text is not valid Unicode",
        "Save the file again as UTF-8; the characters that could not be read show as \ufffd.",
    ),
    "NQE028": (
        "value is not text",
        "Give the narrative and the KPI's names as text, not as a JSON object or list, and "
        "without NUL characters.",
    ),
    "NQE029": (
        "cell too long for Excel",
        "The full text is kept in .csv, .json and .jsonl output: write one of those with "
        "--out to read it whole.",
    ),
    "NQE032": (
        "invisible characters in an id",
        "Retype the kpi_id in the source file (it was copied with zero-width or "
        "direction-changing characters).",
    ),
    "NQE033": (
        "narrative not in English",
        "Give the English version of the narrative to be checked; a narrative in another "
        "language is kept but not assessed.",
    ),
    "NQE034": (
        "target and polarity disagree",
        "Set the polarity to the way the target is written (at least: up; no more than: "
        "down), or reword the target; the polarity given was used.",
    ),
    "NQE030": (
        "header spans several rows or merged cells",
        "Keep one header row with one name per column; the row named was used.",
    ),
    # reading (issue 7): columns, sheets, numbers and formulas
    "NQE050": (
        "two columns match one field",
        "If that is the wrong column, pass the --map option given.",
    ),
    "NQE051": ("--map header not in the file", "Copy the header exactly as listed."),
    "NQE052": (
        "ambiguous number",
        "Write it without a thousands separator (such as 1234 or 1,5) so it reads one way.",
    ),
    "NQE053": ("input is a folder", "Pass a file inside it (.csv, .xlsx, .json or .jsonl)."),
    "NQE054": (
        "formula with no saved value",
        "Open the workbook in Excel and save it so the results are stored, or paste the "
        "cells as values.",
    ),
    "NQE055": ("first sheet not read", "Pass --sheet NAME to read another sheet."),
    "NQE056": (
        "previous file matched no KPI",
        "Check that both files use the same kpi_id values (map the ID column with --map "
        "'HEADER=kpi_id' if it has another name).",
    ),
    # hostile files and requests (issue 17): bounded time and memory
    "NQE057": (
        "file over a size limit",
        "Check that this is the right file; if it is, split it, or raise the setting named "
        "under [limits] with --config.",
    ),
    "NQE058": ("input is not a regular file", "Pass a file saved on disk."),
    "NQE059": (
        "file mixes text encodings",
        "Check the characters of the lines named; save the file again as CSV UTF-8 so "
        "every line is read the same way.",
    ),
    # engine (issues 8, 15): the learned models of models/ (gates, readers, confidence)
    "NQE070": (
        "a learned model cannot be used",
        "Restore models/ from the release, or rebuild it with 'narrative-qa train'.",
    ),
    # history store, ingest and reviewers' decisions (issue 7)
    "NQE060": (
        "period in the file differs from --period",
        "Pass the file's own period with --period, or correct the file's period column.",
    ),
    "NQE061": (
        "decision is incomplete",
        "Give the KPI, period, finding code, a reason and the reviewer's name.",
    ),
    "NQE062": (
        "history store is busy",
        "Wait for the other narrative-qa command to finish, then run this one again.",
    ),
    "NQE063": ("database driver not installed", "Install it as the message says."),
    "NQE064": (
        "decisions file lacks a column",
        "Give the CSV the columns kpi_id, period, code, decision, reason and reviewer "
        "(decided_at is optional); 'narrative-qa review export' writes them.",
    ),
    "NQE065": (
        "decision time not understood",
        "Write it as 2025-10-01T09:30:00+00:00 (as 'review export' does), or leave it "
        "empty to record the decision now.",
    ),
    "NQE066": (
        "row has no kpi_id",
        "Fill in the kpi_id: the row was stored, but it cannot be matched with other "
        "quarters or reviewed without one.",
    ),
    # evaluation (issue 9): the labelled-corpus format and the generalisation split
    "NQE080": (
        "labelled record inconsistent",
        "Make the labellers' labels, the adjudication, 'labels' and 'sentences' agree "
        "(corpus/README.md, 'Real-corpus record format').",
    ),
    "NQE081": (
        "real record without its source",
        "Give organisation, source_url, source_title, source_date and licence for every "
        "record whose origin is 'real'.",
    ),
    "NQE082": ("duplicate record id", "Give each record its own id, and pass each file once."),
    "NQE083": (
        "errors are not listed on the test split or the selection set",
        "Pass --split train or --split dev with --errors: the test split is never used to "
        "choose anything, and the selection set is read only for its figures.",
    ),
    "NQE084": (
        "split contradicts the organisation split",
        "Remove the record's 'split': a record with an organisation takes its "
        "organisation's split (corpus/README.md); only a train or dev organisation's record "
        "may say 'select'.",
    ),
    "NQE088": (
        "--out-of-fold asked for on a split other than train",
        "Pass --split train with --out-of-fold: only train was read by the sentence readers "
        "while they were fitted, so only train can be read out of fold.",
    ),
    # the real corpus (issue 14): labels kept here, text kept in ../shared/corpus
    "NQE085": (
        "label names a record the corpus does not hold",
        "Label only ids of ../shared/corpus/real.jsonl; check the id for a typing error.",
    ),
    "NQE086": (
        "the corpus text changed since it was labelled",
        "The record's narrative no longer has the narrative_sha256 its labels were made on: "
        "label the record again (its spans point into the old text).",
    ),
    "NQE087": (
        "sentence span not usable",
        "Give each span as start < end inside the narrative, in order and not overlapping.",
    ),
    # web app (issue 10): sign-in, sessions, forms and uploads
    "NQE100": (
        "not signed in",
        "Sign in again (your draft is kept in this browser) and repeat the request.",
    ),
    "NQE101": ("sign-in failed", "Check the user name and password, or ask an admin."),
    "NQE102": (
        "too many sign-in attempts",
        "Wait for the time given, then try again; an admin can reset the password.",
    ),
    "NQE103": (
        "form expired or not from this site",
        "Reload the page and send it again; your draft is kept in this browser.",
    ),
    "NQE104": (
        "not allowed for this account",
        "Ask an admin if you need access; officers see only the KPIs they own.",
    ),
    "NQE105": (
        "upload is not a Word document",
        "Save the draft as a Word document (.docx) and upload that, or paste the text.",
    ),
    "NQE106": ("required field missing", "Fill in the field named."),
    "NQE107": (
        "user account problem",
        "Use 'narrative-qa users list' to see the accounts and roles.",
    ),
    "NQE108": (
        "request too large",
        "Send a smaller file or a shorter narrative; the limit is in the message.",
    ),
    "NQE110": (
        "check took too long",
        "Try again in a moment; if it happens again, shorten the narrative or tell the "
        "admin (the time budget is WebSettings.request_seconds).",
    ),
    # web app (issue 10, screening, uploads and the JSON API)
    "NQE109": (
        "request not valid",
        "Send each field with the type the API's /docs page gives; the message names the "
        "field and what was wrong with it.",
    ),
    # web app (issue 18): answers that had borrowed NQE024 (404, 409), NQE026 (500) and
    # NQE104 (an unknown page, a method an address does not take)
    "NQE111": (
        "not found",
        "Check the id, period or name in the request; the message lists what is stored.",
    ),
    "NQE112": (
        "not possible yet",
        "Wait until the upload has the status the message asks for (its page shows it), "
        "then try again.",
    ),
    "NQE113": (
        "server error",
        "Try again in a moment; if it happens again, tell the admin (the server's log has "
        "the details).",
    ),
    "NQE114": (
        "method not allowed here",
        "Use the method the API's /docs page gives for this address (a page is read with "
        "GET, a form is sent with POST).",
    ),
    # web app (issue 16): periods open for submission, withdrawals, caches
    "NQE120": (
        "period not open for submissions",
        "Submit for one of the open periods the message lists, or ask the performance "
        "team (an admin) to open the period.",
    ),
    "NQE121": (
        "nothing to withdraw",
        "Only a submission stored for a period that is still open can be withdrawn.",
    ),
    "NQE122": (
        "officers' submissions would be superseded",
        "Check the submissions listed, then confirm the store (supersede) if the file "
        "should replace them; their versions are kept.",
    ),
    # forecasts (issue 19): each is a notice; the forecast is kept and a re-ingest resolves it
    "NQE130": (
        "forecast due before the period it was written in",
        "Check the date in the sentence quoted (a mistyped year?) and re-submit the "
        "narrative; the forecast is kept but not checked.",
    ),
    "NQE131": (
        "period cannot be ordered",
        "Store the quarter under a period such as '2025/26 Q2'; its forecasts are kept but "
        "cannot be checked until then.",
    ),
    "NQE132": (
        "forecast for a KPI not reported this period",
        "If the KPI was renamed, re-ingest with its old kpi_id or note the change in the "
        "narrative; if it was dropped, say so. The forecast is kept.",
    ),
    "NQE133": (
        "forecasts for the same period disagree",
        "Say in this quarter's narrative which forecast stands and why it changed.",
    ),
    "NQE134": (
        "quarter stored before the one it follows",
        "Ingest the earlier quarter named; the forecasts it made are checked against this "
        "one when it is stored.",
    ),
}


def one_line(message: str) -> str:
    """A coded message is one line, so a script can grep it: a database driver's own text
    or a value pasted from a cell may carry line breaks."""
    return " ".join(message.split())


@dataclass(frozen=True)
class Location:
    """Where a problem is: file, 1-based row as a person sees it, and column name."""

    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)


class NarrativeQAError(Exception):
    """A problem that stops a command; carries an NQE code and a location."""

    def __init__(self, code: str, message: str, location: Location | None = None):
        self.code = code
        self.location = location or Location()
        self.detail = message
        super().__init__(self.render())

    def render(self) -> str:
        _, todo = CODES[self.code]
        where = f"{self.location}: " if self.location != Location() else ""
        return one_line(f"{self.code} {where}{self.detail}. {todo}")


class InputError(NarrativeQAError):
    """The input file as a whole cannot be used."""


class ConfigError(NarrativeQAError):
    """A setting, the rule catalogue or a model is wrong."""


@dataclass(frozen=True)
class RowProblem:
    """A problem confined to one row; the row is still reported, and scored where possible."""

    code: str
    message: str
    location: Location
    blocking: bool = False  # True when the row could not be scored at all

    def render(self) -> str:
        _, todo = CODES[self.code]
        return one_line(f"{self.code} {self.location}: {self.message}. {todo}")

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.render(),
            "file": self.location.file,
            "row": self.location.row,
            "column": self.location.column,
            "blocking": self.blocking,
        }
