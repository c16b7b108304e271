"""Reporting periods: which quarters came before this one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from narrative_qa.language.lexicon import lexicon, shared

_PERIOD_QUARTER = re.compile(r"\bQ([1-4])\b|\bquarter\s*([1-4])\b", re.I)
_YEAR = r"(20\d\d)(?:\s*[/-]\s*(?:20)?\d\d)?"
# "Q2", "Quarter 1", "Q2 2023/24", "2023/24 Q2", "quarter 3 of 2024/25"
_MENTION = re.compile(
    rf"(?:\b{_YEAR}\s+)?\b(?:Q|quarter\s*)([1-4])\b(?:\s+(?:of\s+)?{_YEAR}\b)?", re.I)
_PERIOD_YEAR = re.compile(rf"\b{_YEAR}")


# The reporting period as the store, the web app and the readers write it: '2025/26 Q2'
# ('2025-26 q2' too). The home of the grammar; the store's order, next and previous use it.
_PERIOD = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2})\s*Q(\d+)\s*$", re.I)
_QUARTER_NUMBER = re.compile(r"\bQ(?:uarter)?\s*(\d+)\b", re.I)
_YEAR_PAIR = re.compile(r"\b(\d{4})\s*[/-]\s*(\d{2,4})\b")


def parse_period(period: str | None) -> tuple[int, int] | None:
    """'2025/26 Q2' -> (2025, 2); None unless it is a real quarter of a financial year."""
    match = _PERIOD.match(period or "")
    if not match or period_problem(period) is not None:
        return None
    return int(match.group(1)), int(match.group(3))


def period_name(start: int, quarter: int) -> str:
    """(2025, 2) -> '2025/26 Q2': the one spelling periods are written in."""
    return f"{start}/{str(start + 1)[-2:]} Q{quarter}"


def canonical_period(period: str | None) -> str | None:
    """'2025-26 q2' -> '2025/26 Q2'; None for text that is not a quarter."""
    parsed = parse_period(period)
    return period_name(*parsed) if parsed else None


def previous_period(period: str | None) -> str | None:
    """'2025/26 Q2' -> '2025/26 Q1'; '2025/26 Q1' -> '2024/25 Q4'."""
    parsed = parse_period(period)
    if not parsed:
        return None
    start, quarter = parsed
    return period_name(start, quarter - 1) if quarter > 1 else period_name(start - 1, 4)


def next_period(period: str | None) -> str | None:
    """'2025/26 Q1' -> '2025/26 Q2'; '2025/26 Q4' -> '2026/27 Q1'."""
    parsed = parse_period(period)
    if not parsed:
        return None
    start, quarter = parsed
    return period_name(start, quarter + 1) if quarter < 4 else period_name(start + 1, 1)


def period_key(period: str | None) -> tuple[int, int] | str:
    """What periods are compared by: (start year, quarter) for a quarter, else the text
    with spaces collapsed and case folded."""
    parsed = parse_period(period)
    if parsed:
        return parsed
    return " ".join((period or "").split()).casefold()


def period_order(period: str) -> tuple[str, str]:
    """The order periods are listed in (the store's periods(), the latest of a KPI)."""
    return str(period_key(period)), period


def same_period(first: str | None, second: str | None) -> bool:
    """'2025/26 Q2' and '2025-26 q2' are the same period."""
    return period_key(first) == period_key(second)


def not_after(first: str | None, second: str | None) -> bool:
    """`first` is `second` or a quarter before it; text that is not a quarter is only
    itself."""
    one, other = period_key(first), period_key(second)
    if isinstance(one, tuple) and isinstance(other, tuple):
        return one <= other
    return one == other


def period_problem(period: str | None) -> str | None:
    """Why a period names no real quarter ('Q5', 'Q0', '2025/27'), or None. Text that does
    not try to name a quarter ('September 2025') is left alone."""
    text = period or ""
    quarter = _QUARTER_NUMBER.search(text)
    if quarter and not 1 <= int(quarter.group(1)) <= 4:
        return f"there is no quarter {quarter.group(1)} (quarters are Q1 to Q4)"
    years = _YEAR_PAIR.search(text) if quarter else None  # (a date such as 2025-12-31 is not)
    if years:
        first, second = int(years.group(1)), years.group(2)
        if int(second) != (first + 1) % (10 ** len(second)) and len(second) in (2, 4):
            return f"{years.group(0)} is not a financial year (it would be " \
                   f"{first}/{str(first + 1)[-2:]})"
    return None


@dataclass(frozen=True)
class QuarterMention:
    start: int
    end: int
    quarter: int
    year: int | None  # the (financial) year it starts in, when written


def earlier_quarters(period: str | None) -> set[int]:
    """Quarter numbers that came before the current one ('2025/26 Q2' -> {1}; Q1 -> {4})."""
    match = _PERIOD_QUARTER.search(period or "")
    if not match:
        return set()
    current = int(match.group(1) or match.group(2))
    return set(range(1, current)) or {4}


def quarter_mentions(text: str) -> list[QuarterMention]:
    """Every quarter named in text, with its year when one is written beside it."""
    found = []
    for match in _MENTION.finditer(text):
        year = match.group(1) or match.group(3)
        found.append(QuarterMention(match.start(), match.end(), int(match.group(2)),
                                    int(year) if year else None))
    return found


def is_earlier(mention: QuarterMention, period: str | None) -> bool:
    """Whether the quarter named came before the current period ('Q2 2023/24' for
    '2024/25 Q2'; 'Q1' for '2025/26 Q2'). False when the current period is unknown."""
    quarter = _PERIOD_QUARTER.search(period or "")
    if not quarter:
        return False
    current = int(quarter.group(1) or quarter.group(2))
    year = _PERIOD_YEAR.search(_PERIOD_QUARTER.sub(" ", period or ""))
    if mention.year is not None and year:
        return (mention.year, mention.quarter) < (int(year.group(1)), current)
    return mention.quarter in earlier_quarters(period)


def is_previous(mention: QuarterMention, period: str | None) -> bool:
    """Whether the quarter named is the one just before the current period ('Q3' or 'Q3
    2025/26' for '2025/26 Q4'; 'Q4 2024/25' for '2025/26 Q1')."""
    quarter = _PERIOD_QUARTER.search(period or "")
    if not quarter:
        return False
    current = int(quarter.group(1) or quarter.group(2))
    previous = current - 1 or 4
    if mention.quarter != previous:
        return False
    year = _PERIOD_YEAR.search(_PERIOD_QUARTER.sub(" ", period or ""))
    if mention.year is None or not year:
        return True
    return mention.year == int(year.group(1)) - (1 if current == 1 else 0)


# --- due dates: when a forecast falls due, as the last calendar month it covers ----------
# UK financial years run April to March ('2025/26' ends March 2026; its Q1 ends June 2025).
# 'FY2024' is a US city's fiscal year, July to June (ends June 2024). A quarter, a month or
# a year named without its year is the next one at or after the period it was written in.

# The words (months, counts, seasons, what leads a date) are rules/language.yml's; the
# patterns are built from them once, on first use.


@lru_cache(maxsize=1)
def _months() -> tuple[str, ...]:
    return tuple(m.lower() for m in shared("months"))


@lru_cache(maxsize=1)
def _numbers() -> dict[str, int]:
    return {str(k): int(v) for k, v in shared("count_words").items()}


@lru_cache(maxsize=1)
def _seasons() -> dict[str, int]:
    """The last month of a season or part of a year; over 12 is a month of the next year."""
    return {str(k): int(v) for k, v in shared("season_months").items()}


@lru_cache(maxsize=1)
def _season_parts() -> dict[str, int]:
    """'early summer' is June: the months before the season's last month."""
    return {str(k): int(v) for k, v in shared("season_parts").items()}


@lru_cache(maxsize=1)
def _holidays() -> dict[str, int]:
    """A holiday named for when something is due ('by Christmas'): the month it falls in."""
    return {str(k): int(v) for k, v in shared("holiday_months").items()}


@lru_cache(maxsize=1)
def _year_parts() -> dict[str, int]:
    """Part of a year named before it ('the start of next year', 'early next year'): the
    months after its first that it ends with, as the forecast labelling guide reads 'early
    2026' (April) and 'mid-2026' (June); 'late' is the span's last month."""
    return {str(k): int(v) for k, v in shared("year_parts").items()}


@lru_cache(maxsize=1)
def _quarter_parts() -> dict[str, int]:
    return {str(k): int(v) for k, v in shared("quarter_parts").items()}


def _part_of(last: tuple[int, int], months: int, part: str | None) -> tuple[int, int]:
    """The month a part of the span of `months` ending in `last` ends with."""
    offsets = _year_parts() if months == 12 else _quarter_parts() if months == 3 else {}
    offset = offsets.get((part or "").lower())
    return last if offset is None else _add_months(last, offset - months + 1)


@lru_cache(maxsize=1)
def _lead() -> re.Pattern[str]:
    """What is written just before a date: "by March 2026", "before the end of Q3"."""
    words = "|".join(shared("date_leads"))
    return re.compile(rf"\b(as\s+at|{words}|end\s+of)\s+(?:the\s+)?(?:end\s+of\s+)?(?:the\s+)?"
                      r"(?:(?:(?:financial|fiscal|calendar)\s+)?year\s+)?"
                      # part of a month: 'by end March', 'by mid-November', 'by the end of'
                      r"(?:(?:early|mid|late|end)(?:\s*-\s*|\s+)(?:of\s+)?)?$", re.I)


@lru_cache(maxsize=1)
def _due() -> re.Pattern[str]:
    month_name = ("(?P<month>" + "|".join([*shared("months"), *shared("month_abbreviations")])
                  + r")\b")
    counts = "|".join(sorted(_numbers(), key=len, reverse=True))
    seasons = "|".join(_seasons())
    parts = "|".join(_season_parts())
    # a season with no year is only one after a lead ('by the summer'); 'fall' is a verb
    bare_seasons = "|".join(s for s in _seasons() if s not in _season_parts() and s != "fall")
    count_leads = "|".join(shared("count_leads"))
    relative_leads = "|".join(shared("relative_leads"))
    which = "|".join(shared("relative_which"))
    year_leads = "|".join(shared("due_year_leads"))
    abbreviations = "|".join(["May", *shared("month_abbreviations")])
    # 'start' and 'beginning' name a part only before 'of' ('we start in the new year')
    year_parts = "|".join(p + r"(?=\s+of\b)" if p in ("start", "beginning") else p
                          for p in _year_parts())
    names = "|".join([*shared("months"), *shared("month_abbreviations")])
    holidays = "|".join(_holidays())
    reports = "|".join(shared("report_nouns"))
    return re.compile(
        # a quarter, month or season of next year ('Q1 next year' is the next financial
        # year's; 'March next year', 'spring next year' the next calendar year's)
        r"(?P<nyx>\b(?:(?:Q|quarter\s*)(?P<nyq>[1-4])|(?P<nym>(?-i:" + names + r"))|"
        rf"(?P<nys>{bare_seasons}))\s+(?:of\s+)?(?:the\s+)?(?:next|following)\s+"
        r"(?P<nyfin>financial\s+|fiscal\s+)?year\b(?!['’]s))"
        r"|(?P<iq>\b(?P<iqy>20\d\d)-Q(?P<iqq>[1-4])\b)"
        r"|(?P<sq>\b(?P<sq1>\d\d)/(?P<sq2>\d\d)(?:\s*-\s*|\s+)Q(?P<sqq>[1-4])\b)"
        r"|(?P<qs>\bQ(?P<qsq>[1-4])\s+(?:of\s+)?(?:FY\s*)?(?P<qs1>\d\d)[/-](?P<qs2>\d\d)\b(?![/\d]))"
        # gmpp's 'Q2 1920' (2019/20 Q2), its two years run together; 'Q2 2021' stays a year
        r"|(?P<qc>\bQ(?P<qcq>[1-4])\s+(?P<qc1>(?!20)\d\d)(?P<qc2>\d\d)\b(?![/\d]))"
        r"|(?P<sdate>\b(?P<sd1>\d{1,2})/(?P<sd2>\d{1,2})/(?P<sdy>\d\d)\b(?![/\d]))"
        # a month and its year ('12/2025'); a half year ('H1 2026', 'H2 2026/27')
        r"|(?P<mys>\b(?P<mysm>0?[1-9]|1[0-2])/(?P<mysy>20\d\d)\b(?![/\d]))"
        r"|(?P<hx>\bH(?P<hxn>[12])\s*(?P<hxy>20\d\d)(?P<hxpair>\s*[/\-–]\s*(?:20)?\d\d)?\b)"
        r"|(?P<fysp>\bFY\s*(?P<fs1>\d\d)\s*[-–]\s*(?P<fs2>\d\d)\b(?![/\d]))"
        r"|(?P<sp>(?:\bFY\s*|(?<![\w/.,£$]))(?P<sp1>\d\d)/(?P<sp2>\d\d)\b(?![/\d%]))"
        rf"|(?P<dmy>\b\d{{1,2}}-(?P<dmm>{abbreviations})-(?P<dmyy>\d\d)\b)"
        r"|(?P<date>\b\d{1,2}[/.](?P<dm>\d{1,2})[/.](?P<dy>20\d\d)\b|\b(?P<iy>20\d\d)-(?P<im>\d\d)-\d\d\b)"
        r"|\bFY\s*(?P<uy>(?:20)?\d\d)\s+Q(?P<uq>[1-4])\b"
        r"|\bQ(?P<uq2>[1-4])\s+(?:of\s+)?FY\s*(?P<uy2>(?:20)?\d\d)\b(?!\s*[/\-–]\s*\d)"
        r"|(?P<half>\b(?P<hw>first|second)\s+(?:half|part)\s+of\s+(?:the\s+)?(?P<hy>20\d\d)"
        r"(?P<hpair>\s*[/\-–]\s*(?:20)?\d\d)?\b)"
        rf"|(?:(?P<mlead>\d{{1,2}}(?:st|nd|rd|th)?\s+)?{month_name}"
        r"(?:\s+(?P<mday>\d{1,2})(?P<mord>st|nd|rd|th)?(?![\d:]))?"
        r"(?:(?:,?\s+(?:of\s+)?|-)(?P<my>20\d\d)\b|\s+['’](?P<my2>\d\d)\b)?)"
        # a quarter named by its ordinal: 'the first quarter of 2025', '... of 2025/26', 'the
        # fourth quarter 2017-18', 'the 2nd quarter of FY26'; with no year, as 'Q2' is read
        r"|(?P<oq>\b(?P<oqn>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+|"
        r"financial\s+)?quarter\b(?:\s+(?:of\s+)?(?:the\s+)?(?:(?:FY|fiscal\s+year)\s*'?"
        r"(?P<oqfy>(?:20)?\d\d)\b(?!\s*[/\-–]\s*\d)|(?:FY\s*)?(?P<oqs1>\d\d)[/-](?P<oqs2>\d\d)\b"
        r"(?![/\d])|(?P<oqy>20\d\d)(?P<oqpair>\s*[/-]\s*(?:20)?\d\d)?\b))?)"
        r"|(?:(?:Q|quarter\s*)(?P<q>[1-4])\b(?:\s+(?:of\s+)?(?P<qy>20\d\d)"
        r"(?P<qpair>\s*[/-]\s*(?:20)?\d\d)?\b)?)"
        r"|\b(?P<qy2>20\d\d)\s*[/-]\s*(?:20)?\d\d\s+(?:Q|quarter\s*)(?P<q2>[1-4])\b"
        # the next report: the next period's end ('we will update the ELT in the next report')
        r"|(?P<nrep>\bnext\s+(?:quarterly\s+|annual\s+|performance\s+)?"
        rf"(?:{reports})\b(?!\s+(?:on|of|about)\b))"
        # a quarter by its number in words, with no year: 'in quarter three'
        r"|(?P<qw>\bquarter\s+(?P<qwn>one|two|three|four)\b)"
        r"|(?P<fy>\b(?:FY|fiscal\s+year)\s*'?(?P<fyy>(?:20)?\d\d)\b(?!\s*[/\-–]\s*\d))"
        r"|(?P<pair>(?<!\d)(?P<py>20\d\d)\s*[/\-–]\s*(?:20)?(?P<py2>\d\d)\b)"
        rf"|(?P<count>\b(?:{count_leads}|for\s+another)\s+(?:the\s+)?(?:next\s+|coming\s+|"
        rf"following\s+)?(?:(?:\d+|{counts})\s*(?:[-–]|to)\s*)?(?P<n>\d+|{counts})\s+"
        r"(?:working\s+)?"
        r"(?P<unit>weeks?|months?|years?|quarters?)\b)"
        # a season after 'next', 'this' or 'coming' ('next spring'); 'the new (financial)
        # year' and a part of it; half of 'the year'; the start of a year written
        rf"|(?P<nxs>\b(?P<nxq>next|this|coming)\s+(?P<nxw>{bare_seasons})\b)"
        rf"|(?P<newy>\b(?:(?P<npart>{year_parts})(?:\s+|-)(?:(?:in|of)\s+)?)?the\s+new\s+"
        r"(?P<nfin>financial\s+|fiscal\s+)?year\b(?!['’]s|-))"
        r"|(?P<hthe>\b(?P<htw>first|second)\s+(?:half|part)\s+of\s+(?:the|this)\s+"
        r"(?:financial\s+|fiscal\s+|calendar\s+)?year\b)"
        r"|(?P<ystart>\b(?:start|beginning)\s+of\s+(?P<ysy>20\d\d)\b(?!\s*[/\-–]\s*\d))"
        rf"|(?P<rel>\b(?:{relative_leads})?\s*(?:the\s+)?(?:end\s+of\s+|"
        rf"(?P<rpart>{year_parts}|later)(?:\s+|-)(?:(?:in|of)\s+)?)?"
        rf"(?:the\s+)?(?P<which>{which})\s+(?:financial\s+|fiscal\s+|"
        r"calendar\s+)?(?P<span>quarter|year|month|reporting\s+period|FY)\b)"
        r"|(?P<yearend>\b(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:financial\s+|fiscal\s+|"
        r"calendar\s+)?year"
        r"|(?:financial\s+)?year[- ]end)\b(?!\s+(?:20\d\d|\d\d/\d\d)))"
        # ('early 2026', 'early in 2026', 'spring of 2026')
        rf"|(?P<season>\b(?:(?P<smod>{parts})[\s-]+)?(?P<sw>{seasons})[\s-]+(?:(?:of|in)\s+)?"
        r"(?:(?P<sy>20\d\d)|['’]?(?P<sy2>\d\d)(?![\d%]|[.,]\d))\b)"
        rf"|(?P<nsw>(?<=\s)(?:(?P<nmod>{parts})[\s-]+)?(?P<nsn>{bare_seasons})\b)"
        rf"|(?P<hol>\b(?:{holidays})\b)"
        rf"|(?P<bare>\b(?:{year_leads}|and|or|end\s+of|the\s+end\s+of|end[\s-])\s*(?P<by>20\d\d)\b"
        r"(?!\s*[/\-–]\s*\d|-Q))",
        re.I)


@dataclass(frozen=True)
class DueDate:
    """A date or period named in a sentence: where, and the last month it covers."""

    start: int
    end: int
    text: str
    due: str | None  # 'YYYY-MM', the last calendar month covered; None when unresolved
    lead: str | None  # 'by', 'in', 'within', ... when written before it


_US_FISCAL = re.compile(r"\bFY\s*'?(?:20)?\d\d\b(?!\s*[/\-–]\s*\d)")


def fiscal_start(period: str | None) -> int:
    """The month a period's financial year starts: July for a US city's 'FY2026', else
    April (the UK's, and Canada's '2016-17')."""
    return 7 if _US_FISCAL.search(period or "") else 4


def calendar_years(period: str | None) -> bool:
    """Whether a period's 'this year' and 'next year' are calendar years: a GMPP annual
    report's ('next year' after 'Annual Report 2018' is 2019, as the labelling guide reads
    a record that uses calendar years), not its budget years ('In-year', 'Financial year
    2013/2014'); its quarters stay financial ('Q2 19/20')."""
    return bool(_ANNUAL_REPORT.search(period or "")) and not _BUDGET_YEAR.search(period or "")


def is_annual(period: str | None) -> bool:
    """Whether a period is a whole year ('FY2024 (Jul 2023-Jun 2024)', 'GMPP data for IPA
    Annual Report 2020', 'FY2016-17'): it names a year, no quarter or half, and no month
    but in brackets (a year's span). Then the previous period is last year, and 'since
    last year' compares with it."""
    text = period or ""
    outside = re.sub(r"\([^)]*\)", " ", text)
    return (bool(re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", text))
            and not _QUARTER_NUMBER.search(text) and not _PART_OF_YEAR.search(text)
            and not lexicon().months.search(outside))


_PART_OF_YEAR = re.compile(r"\bquarter|\bhalf\b|\bH[12]\b|\bmonth", re.I)


def period_end(period: str | None) -> tuple[int, int] | None:
    """The last month (year, month) a reporting period covers: '2025/26 Q2' -> (2025, 9),
    '2025/26 Q4' -> (2026, 3), 'FY2024' -> (2024, 6), '2016-17' -> (2017, 3), 'Annual
    Report 2018' -> (2018, 3), a year written alone -> its December; None when the text
    names no period."""
    parsed = parse_period(period)
    if parsed:
        start, quarter = parsed
        return _quarter_end(start, quarter)
    for match in _due().finditer(period or ""):
        due = _resolve(match, None, fiscal=fiscal_start(period))
        if due:
            return due
    report = _ANNUAL_REPORT.search(period or "")
    if report:
        return int(report.group(1)), 3
    year = re.search(r"(?<!\d)(20\d\d)\b", period or "")
    return (int(year.group(1)), 12) if year else None


def period_start(period: str | None) -> tuple[int, int] | None:
    """The first month a period covers: eleven months before its end for a whole year,
    two for anything shorter."""
    end = period_end(period)
    return _add_months(end, -11 if is_annual(period) else -2) if end else None


def earliest_written(period: str | None) -> tuple[int, int] | None:
    """The earliest month a period's narrative may tell as now: its end, except a GMPP
    annual report of year Y, whose data (and text) may be as at September of Y-1 (its
    2014-2021 narratives cite 'Q2 2013', '30th September 2019'), though it is read as
    written by March of Y (period_end)."""
    report = _ANNUAL_REPORT.search(period or "")
    if report and not _BUDGET_YEAR.search(period or ""):
        return int(report.group(1)) - 1, 9
    return period_end(period)


def period_of_month(year: int, month: int) -> str:
    """The UK reporting period holding a month: (2025, 11) -> '2025/26 Q3'."""
    start = year if month >= 4 else year - 1
    return period_name(start, (month - 4) % 12 // 3 + 1)


def month_text(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"



def _attributive(match: re.Match[str]) -> bool:
    """Whether a count of time is written as an adjective: more than one, its unit singular
    ('a 10 year plan', 'the three month pilot'), not 'within 12 weeks' or 'in one year'."""
    word = match.group("n").lower()
    n = int(word) if word.isdigit() else _numbers()[word]
    return n != 1 and not match.group("unit").lower().endswith("s")


def due_dates(text: str, period: str | None, ahead: bool = False) -> list[DueDate]:
    """Every date, quarter, year or duration named in `text`, resolved against `period`
    (the reporting period it was written in) to the last month it covers. A month or
    quarter named without its year is the latest one up to the period ('97% in Q1'),
    unless it is a deadline ('by Q1') or the sentence looks `ahead` ('we will open in
    March'): then the next one from the period on."""
    written = period_end(period)
    found: list[DueDate] = []
    yearless: set[int] = set()  # where a month or season with no year of its own starts
    for match in _due().finditer(text):
        if not match.group(0).strip():
            continue
        if match.group("month") and not match.group("month")[0].isupper():
            continue  # "may" is a verb; a month is written with a capital
        due = _resolve(match, written, period, ahead or _looks_ahead(match),
                       fiscal_start(period), calendar_years(period))
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        before = _lead().search(text[max(0, start - 30):start])
        lead = before.group(1).lower().split()[0] if before else None
        if lead == "end":
            lead = "by"  # a long lead cut to its last words ('... end of the ... year 2026/27')
        if lead == "as":
            lead = "as at"  # 'as at Apr 26': a point of reference, not a deadline
        if match.group("count") and _attributive(match):
            continue  # 'in the 10 year funding plan': a length naming a thing, no time
        if match.group("count") or match.group("rel") or match.group("bare"):
            first = re.split(r"[\s-]+", match.group(0).strip())[0].lower()
            if re.match(r"(?:the\s+)?end\b", match.group(0), re.I):
                lead = "by"  # 'the end of next year'
            elif first == "for" and match.group("bare") and \
                    not _for_a_year().search(text, 0, match.start()):
                continue  # 'the threshold for 2026' names a thing; 'planned for 2026' is due
            elif first in ("and", "or"):  # 'in 2026 and 2027': only after a date
                if not (found and not text[found[-1].end:match.start()].strip()):
                    continue
                lead = found[-1].lead
            elif first not in ("the", "late", "later", *_year_parts()):
                lead = first  # 'within 12 weeks'; 'into the next year' keeps what is before
        # 'before May' ends with April; not 'before the end of May', nor 'not before May'
        # (May at the earliest)
        if lead == "before" and due and \
                not re.search(r"\b(?:end|mid|late|early)\b", before.group(0) if before
                              else match.group(0), re.I) \
                and not _NOT_BEFORE.search(text, max(0, start - 60), start):
            due = _add_months(due, -_span_months(match))
        if found and lead is None and _JOINED.fullmatch(text[found[-1].end:start]):
            lead = found[-1].lead  # 'in 2026 and 2027', 'late spring/early summer 2026'
            if yearless and found[-1].start in yearless:
                # 'late spring/early summer 2026': one date, the year written once
                start = found.pop().start
        if (match.group("nsw") or match.group("hol")) and lead is None:
            continue  # 'the winter and early spring': a season with no lead is no date
        if match.group("nsw") or match.group("qw") or (
                match.group("q") and not match.group("qy")) or (
                match.group("month") and not match.group("my") and not match.group("my2")
                and not match.group("mday")):
            yearless.add(start)
        found.append(DueDate(start, match.end(), text[start:match.end()].strip(),
                             month_text(due) if due else None, lead))
    return found


_JOINED = re.compile(r"\s*(?:and|or|/|&)\s*", re.I)


_NOT_BEFORE = re.compile(r"(?:\b(?:not|never)\b|n['’]t\b)[^.;,]*$", re.I)


def _iso_month(match: re.Match[str]) -> bool:
    """A pair of numbers that is a year and a month ('2026-02'), not a financial year
    ('2025-26'): the second is no year after the first, and it could be a month."""
    first, second = match.group("py"), match.group("py2")
    return bool(first and second) and "-" in match.group(0) and \
        not _consecutive(first[2:], second) and 1 <= int(second) <= 12


def _span_months(match: re.Match[str]) -> int:
    """How many months a date written whole spans: a month named without its day, a
    quarter, or a year, written or relative ('next year'); 0 for a day, a season or a
    duration (not counted back from: 'before 30 June' still ends in June)."""
    group = match.group
    if (group("month") and not group("mday") and not group("mlead")) or group("mys") \
            or (group("pair") and _iso_month(match)):
        return 1
    if group("nyq"):
        return 3
    if group("nym"):
        return 1
    if group("half") or group("hx") or group("hthe"):
        return 6
    if group("ystart") or (group("rpart") or "").lower() in _year_parts():
        return 1  # 'before the start of 2027', 'before early next year': the month before
    if group("q") or group("q2") or group("qw") or group("oq") or group("iq") or group("sq") or \
            group("qs") or group("qc") or group("uq") or group("uq2"):
        return 3
    if group("bare") or group("pair") or group("fy") or group("sp") or group("fysp"):
        return 12
    if group("rel") and not group("rpart"):  # 'before next year'
        return {"year": 12, "fy": 12, "quarter": 3, "month": 1}.get(group("span").lower(), 0)
    return 0


@lru_cache(maxsize=1)
def _for_a_year() -> re.Pattern[str]:
    """A year after 'for' is when something is due only after words of timing ('planned
    for 2026', not 'the threshold for 2026'): rules/language.yml due_for_leads."""
    return re.compile(r"\b(?:" + "|".join(shared("due_for_leads")) + r")\s+$", re.I)
# A GMPP annual report of year Y gives its data as at a date in the year before or early in
# Y: its narrative is read as written by Y's first quarter, so 'in Autumn' is Y's autumn
# and a deadline from April Y on is still ahead.
_ANNUAL_REPORT = re.compile(r"\bannual\s+report\s+(20\d\d)\b", re.I)
_BUDGET_YEAR = re.compile(r"\bfinancial\s+year\b|\bin-year\b", re.I)  # GMPP's budget records


def _consecutive(first: str, second: str) -> bool:
    return (int(first) + 1) % 100 == int(second)


def _short_year(match: re.Match[str], written: tuple[int, int] | None, fiscal: int) -> bool:
    """'July 22' is July 2022 where the day comes first (the UK's '22 July'), when it is
    within five years of the period; after a day ('16 July 22'), or past any day ('December
    48'), always."""
    day = match.group("mday")
    if not day or match.group("mord") or len(day) != 2:
        return False
    if match.group("mlead") or int(day) > 31:  # 'December 48' has no day 48
        return True
    return fiscal == 4 and written is not None and abs(2000 + int(day) - written[0]) <= 5


def _looks_ahead(match: re.Match[str]) -> bool:
    """'by Q1', 'before Q1', 'until Q1': a quarter named as a deadline is the next one."""
    before = _lead().search(match.string[max(0, match.start() - 30):match.start()])
    return bool(before) and before.group(1).lower() in ("by", "before", "until", "till")


def _quarter_end(start_year: int, quarter: int, fiscal: int = 4) -> tuple[int, int]:
    """The last month of a quarter of the financial year starting in (start_year, fiscal):
    UK Q1 ends June, Q3 December, Q4 March of the next year."""
    return _add_months((start_year, fiscal), 3 * quarter - 1)


def _fy_start(written: tuple[int, int], fiscal: int = 4) -> int:
    year, month = written
    return year if month >= fiscal else year - 1


def _add_months(at: tuple[int, int], months: int) -> tuple[int, int]:
    index = at[0] * 12 + at[1] - 1 + months
    return index // 12, index % 12 + 1


def _first_start(written: tuple[int, int] | None) -> tuple[int, int] | None:
    """The first month of the quarter ending at `written`."""
    return _add_months(written, -2) if written else None


def _month_number(name: str) -> int:
    """'Sept' -> 9, 'March' -> 3: the month a name or its abbreviation starts."""
    return next(k for k, month in enumerate(_months(), 1) if month.startswith(name.lower()[:3]))


def _season_month(season: str, part: str | None) -> int:
    """'summer' -> 8, 'early summer' -> 6, 'winter' -> 14 (February of the next year)."""
    return _seasons()[season.lower()] - (_season_parts()[part.lower()] if part else 0)


# a fiscal year's report, written after its year ('FY2024 (Jul 2023–Jun 2024)', 'FY2016–17
# (Departmental Performance Report)'): a month it looks ahead to is after the year
_WRITTEN_AFTER_YEAR = re.compile(r"^\s*FY\s*\d{4}")


def _month_without_year(month: int, written: tuple[int, int] | None,
                        ahead: bool, after_year: bool = False) -> tuple[int, int] | None:
    """A month named without its year: the next one from the period's first month when
    the sentence looks ahead (from the month after the period in a year's report written
    after the year), else the latest one up to the period's end."""
    if not written:
        return None
    first = _add_months(written, 1) if after_year else _first_start(written) or written
    if ahead:
        return (first[0], month) if month >= first[1] else (first[0] + 1, month)
    return (written[0], month) if month <= written[1] else (written[0] - 1, month)


def _yearless_quarter(quarter: int, written: tuple[int, int] | None, period: str | None,
                      ahead: bool, fiscal: int) -> tuple[int, int] | None:
    """A quarter named without its year: this financial year's, or the next year's when it
    is already past and the sentence looks ahead ("(97% in Q1)" is this year's; "by Q1"
    next year's)."""
    if not written:
        return None
    start = _fy_start(written, fiscal)
    current = parse_period(period)
    now = current[1] if current else ((written[1] - fiscal) % 12) // 3 + 1
    if quarter < now:
        return _quarter_end(start + 1 if ahead else start, quarter, fiscal)
    return _quarter_end(start, quarter, fiscal)


def _resolve(match: re.Match[str], written: tuple[int, int] | None,
             period: str | None = None, ahead: bool = True,
             fiscal: int = 4, calendar: bool = False) -> tuple[int, int] | None:
    group = match.group
    # 'this year' in a record of calendar years; 'the financial year' is one in any record
    # ('the end of the calendar year' runs from January in any record)
    years_from = 1 if calendar and not re.search(r"financial|fiscal|\bFY", group(0), re.I) \
        or re.search(r"\bcalendar\b", group(0), re.I) else fiscal
    if group("iq"):  # gmpp's '2023-Q4': a quarter of the financial year ending in 2023
        return _quarter_end(int(group("iqy")) - 1, int(group("iqq")))
    if group("sq"):  # gmpp's '21/22-Q4'
        return _quarter_end(2000 + int(group("sq1")), int(group("sqq"))) \
            if _consecutive(group("sq1"), group("sq2")) else None
    if group("sp"):  # '28/29', 'FY20/21': a financial year, when the two years follow
        return (2000 + int(group("sp2")), 3) if _consecutive(group("sp1"), group("sp2")) \
            else None
    if group("qs"):  # gmpp's 'Q2 13/14', 'Q4 FY21/22': a quarter of a short financial year
        return _quarter_end(2000 + int(group("qs1")), int(group("qsq"))) \
            if _consecutive(group("qs1"), group("qs2")) else None
    if group("qc"):  # gmpp's 'Q2 1920'
        return _quarter_end(2000 + int(group("qc1")), int(group("qcq"))) \
            if _consecutive(group("qc1"), group("qc2")) else None
    if group("fysp"):  # 'FY 13-14'
        return (2000 + int(group("fs2")), 3) if _consecutive(group("fs1"), group("fs2")) \
            else None
    if group("sdate"):  # '30/5/14' (a US city's '6/30/24' puts the month first)
        first, second = int(group("sd1")), int(group("sd2"))
        month = first if (fiscal == 7 or second > 12) and first <= 12 else second
        return (2000 + int(group("sdy")), month) if 1 <= month <= 12 else None
    if group("mys"):  # '12/2025'
        return int(group("mysy")), int(group("mysm"))
    if group("half") or group("hx"):  # 'the first half of 2026', 'H1 2026' (calendar),
        # '... of 2026/27', 'H2 2026/27' (financial)
        year = int(group("hy") or group("hxy"))
        second_half = (group("hw") or "").lower() == "second" or group("hxn") == "2"
        if group("hpair") or group("hxpair"):
            return _add_months((year, fiscal), 5 + 6 * second_half)
        return (year, 12) if second_half else (year, 6)
    if group("hol"):  # 'by Christmas': its month, of no year written
        return _month_without_year(_holidays()[group("hol").lower()], written, ahead)
    if group("nsw"):  # 'by the summer': the season's last month, of no year written
        month = _season_month(group("nsn"), group("nmod"))
        return _month_without_year((month - 1) % 12 + 1, written, ahead)
    if group("dmy"):  # '16-Apr-21'
        month = _month_number(group("dmm"))
        return 2000 + int(group("dmyy")), month
    if group("oq"):  # 'the first quarter of 2025' (calendar), '... of 2025/26' (financial)
        quarter = int(group("oqn")[0]) if group("oqn")[0].isdigit() else \
            ("first", "second", "third", "fourth").index(group("oqn").lower()) + 1
        if group("oqfy"):  # '... of FY26': a US fiscal year, named by its end (as 'Q2 FY26')
            year = int(group("oqfy"))
            return _quarter_end((year if year > 99 else 2000 + year) - 1, quarter, 7)
        if group("oqs1"):  # '... of FY 14/15': a short financial year, when the years follow
            return _quarter_end(2000 + int(group("oqs1")), quarter) \
                if _consecutive(group("oqs1"), group("oqs2")) else None
        if group("oqpair"):
            return _quarter_end(int(group("oqy")), quarter, fiscal)
        if group("oqy"):
            return int(group("oqy")), 3 * quarter
        return _yearless_quarter(quarter, written, period, ahead, fiscal)
    if group("uq") or group("uq2"):  # 'FY2026 Q1': a US fiscal year, named by its end
        year = int(group("uy") or group("uy2"))
        return _quarter_end((year if year > 99 else 2000 + year) - 1,
                            int(group("uq") or group("uq2")), 7)
    if group("date"):
        if not group("dy"):
            return int(group("iy")), int(group("im"))
        first, second = (int(n) for n in re.findall(r"\d+", group("date"))[:2])
        # a US city writes the month first ('03/14/2024'); a day over 12 says which it is
        month = first if (fiscal == 7 or second > 12) and first <= 12 else second
        return (int(group("dy")), month) if 1 <= month <= 12 else None
    if group("month"):
        month = _month_number(group("month"))
        if group("my") or group("my2"):  # 'March 2026', "March '26"
            return int(group("my") or "20" + group("my2")), month
        if _short_year(match, written, fiscal):  # UK 'July 22' (a US text's is a day)
            return 2000 + int(group("mday")), month
        return _month_without_year(month, written, ahead, bool(
            _WRITTEN_AFTER_YEAR.match(period or "") and is_annual(period)))
    if group("qw"):  # 'quarter three', read as 'Q3' is
        return _yearless_quarter(_numbers()[group("qwn").lower()], written, period, ahead,
                                 fiscal)
    if group("q") or group("q2"):
        quarter = int(group("q") or group("q2"))
        year = group("qy") or group("qy2")
        if year and group("q") and not group("qpair"):
            return int(year), 3 * quarter  # 'Q3 2021' with one year: a calendar quarter
        if year:
            return _quarter_end(int(year), quarter, fiscal)
        return _yearless_quarter(quarter, written, period, ahead, fiscal)
    if group("fy"):
        year = int(group("fyy"))
        return (year if year > 99 else 2000 + year), 6
    if group("pair"):
        if _iso_month(match):  # '2026-02': ISO's year and month, not a financial year
            return int(group("py")), int(group("py2"))
        return int(group("py")) + 1, 3
    if group("count"):
        if not written:
            return None
        word = group("n").lower()
        n = int(word) if word.isdigit() else _numbers()[word]
        unit = group("unit").lower().rstrip("s")
        months = {"week": n * 7 / 30.44, "month": n, "quarter": 3 * n, "year": 12 * n}[unit]
        return _add_months(written, int(-(-months // 1)))  # a part month counts whole
    if not written and (group("nxs") or group("newy") or group("hthe") or group("nyx")
                        or group("nrep")):
        return None
    if group("nrep"):  # a year's report comes a year on, a quarter's a quarter on
        named = re.search(r"quarterly|annual", group("nrep"), re.I)
        yearly = named.group(0).lower() == "annual" if named else is_annual(period)
        return _add_months(written, 12 if yearly else 3)
    if group("nyx"):
        following = _fy_start(written, fiscal) + 1  # the next financial year's start
        if group("nyq"):
            return _quarter_end(following, int(group("nyq")), fiscal)
        if group("nym"):
            month = _month_number(group("nym"))
            if group("nyfin"):  # 'March of the next financial year'
                return (following if month >= fiscal else following + 1), month
            return written[0] + 1, month
        return _add_months((written[0] + 1, 1), _season_month(group("nys"), None) - 1)
    if group("nxs"):  # 'next spring': the first to start after the period; 'this winter'
        # the one under way at the period's start or the next
        last = _season_month(group("nxw"), None)
        if group("nxq").lower() == "this":
            at = _add_months((written[0] - 1, 1), last - 1)
            while at < _add_months(written, -2):
                at = _add_months(at, 12)
            return at
        begins = _add_months((written[0], 1), last - 3)
        while begins <= written:
            begins = _add_months(begins, 12)
        return _add_months(begins, 2)
    if group("newy"):  # 'the new financial year' is the next one; 'the new year' a calendar
        # year's, its first quarter unless a part is named
        if group("nfin"):
            last = _add_months((_fy_start(written, fiscal) + 1, fiscal), 11)
            return _part_of(last, 12, group("npart"))
        return _part_of((written[0] + 1, 12), 12, group("npart")) if group("npart") \
            else (written[0] + 1, 3)
    if group("hthe"):  # 'the second half of this year': of the period's year
        first = (_fy_start(written, years_from), years_from)
        return _add_months(first, 11 if group("htw").lower() == "second" else 5)
    if group("ystart"):  # 'the start of 2027'
        return int(group("ysy")), 1
    if group("rel"):
        if not written:
            return None
        step = 0 if group("which").lower() in ("this", "current") else 1
        span = group("span").lower()
        if span in ("year", "fy"):
            last = _add_months((_fy_start(written, years_from), years_from), 11 + 12 * step)
            return _part_of(last, 12, group("rpart"))
        if span == "month":
            return _add_months(written, step)
        return _part_of(_add_months(written, 3 * step), 3, group("rpart"))
    if group("yearend"):
        return _add_months((_fy_start(written, years_from), years_from), 11) \
            if written else None
    if group("season"):  # 'spring 2026', 'early summer 2026', "Spring '26"
        month = _season_month(group("sw"), group("smod"))
        return _add_months((int(group("sy") or "20" + group("sy2")), 1), month - 1)
    if group("bare"):
        return int(group("by")), 12
    return None
