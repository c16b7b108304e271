"""Readable terminal output: one draft's findings by severity, and a quarter's summary."""

from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.table import Table
from rich.text import Text

from narrative_qa.assessment import SEVERITIES, VERDICTS, Assessment
from narrative_qa.catalogue import Rule
from narrative_qa.data_checks import polarity_assumed
from narrative_qa.errors import RowProblem
from narrative_qa.summary import ScoreSummary

# C0 and C1 control characters, DEL included; tab and newline are kept.
# Control characters, and the bidirectional and zero-width ones that can make text read
# other than it is ("Trojan Source"): shown as escapes, never obeyed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                      "\u2060-\u2064\u2066-\u2069\ufeff]")


def terminal_safe(text: object) -> str:
    """User text as the terminal should show it: a vertical tab (Word's soft line break) or
    a carriage return is a line break, and every other control character (ANSI escapes
    among them) is shown as a visible symbol rather than obeyed by the terminal."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _CONTROL.sub(_escaped, value)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: object) -> str:
    """User text inside a markup string: brackets escaped and control characters visible."""
    return escape_markup(terminal_safe(text))


def print_problem(problem: RowProblem | str, console: Console, style: str) -> None:
    """A coded message on one line (never wrapped, so file, row and column stay together)."""
    text = problem if isinstance(problem, str) else problem.render()
    console.print(Text(terminal_safe(text), style=style), soft_wrap=True)


_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
_BEST_FIRST = (*VERDICTS[-2::-1], VERDICTS[-1])  # ready, revise, not-acceptable; error
_VERDICT = {"ready": "green", "revise": "yellow", "not-acceptable": "bold red", "error": "red"}


def print_assessment(assessment: Assessment, console: Console) -> None:
    sub, facts = assessment.submission, assessment.facts
    title = sub.kpi_name or sub.kpi_id or "Draft narrative"
    console.print(f"[bold]{escape(title)}[/bold]")
    data = []
    if facts.rag_computed:
        data.append(f"RAG from the data: {facts.rag_computed}")
    if sub.stated_rag:
        data.append(f"stated: {sub.stated_rag}")
    if facts.assumed_off_target:
        data.append("no target/actual given: checked as an off-target KPI")
    if data:
        console.print(escape(" · ".join(data)))
    assumed = polarity_assumed(sub, facts)
    if assumed:
        console.print(escape(assumed))
    for problem in sub.problems:
        print_problem(problem, console, "red")
    verdict_style = _VERDICT[assessment.verdict]
    score = "" if assessment.score is None else f" (score {assessment.score}/100)"
    console.print(f"Verdict: [{verdict_style}]{assessment.verdict}[/{verdict_style}]{score}\n")
    if not assessment.findings and not sub.blocked:
        console.print("[green]No findings: this narrative meets every check.[/green]")
    for severity in SEVERITIES:
        group = [f for f in assessment.findings if f.severity == severity]
        if not group:
            continue
        console.print(f"[{_STYLE[severity]}]{severity.upper()}[/{_STYLE[severity]}]")
        for f in group:
            flag = " [dim](worth a look: not counted)[/dim]" if f.low_confidence else ""
            console.print(f"  [bold]{f.code} {f.slug}[/bold]{flag}: {escape(f.message)}")
            for quote in f.evidence:
                console.print(f"    [dim]“{escape(quote)}”[/dim]")
            console.print(f"    [green]What to add:[/green] {escape(f.suggestion)}")
        console.print()


def print_summary(summary: ScoreSummary, console: Console, out: str | None) -> None:
    verdicts, codes = summary.verdicts, summary.codes
    console.print(f"[bold]{summary.rows} submissions[/bold] · " + " · ".join(
        f"{verdicts.get(v, 0)} {v}" for v in _BEST_FIRST))
    table = Table("code", "finding", "submissions", title="Findings by code")
    for code in sorted(codes):
        table.add_row(code, summary.slugs[code], str(codes[code]))
    if codes:
        console.print(table)
    for problem in [*summary.notices, *summary.row_problems]:
        print_problem(problem, console, "yellow")
    if out:
        print_problem(f"Written: {out}", console, "")


def print_rules(rules: tuple[Rule, ...], console: Console) -> None:
    """The catalogue; what the settings changed is marked beside the rule file's value."""
    table = Table("code", "slug", "severity", "applies to", "title")
    for rule in rules:
        scope = "amber/red KPIs" if rule.scope == "amber-or-red" else "all KPIs"
        table.add_row(rule.code, rule.slug, Text(severity_label(rule)), scope,
                      Text(terminal_safe(rule.title)))
    console.print(table)
    changes = [(rule, key) for rule in rules for key in rule.changed if key != "severity"]
    if changes:
        console.print("Parameters the settings change:")
    for rule, key in changes:
        for line in _change_lines(rule, key.removeprefix("params.")):
            console.print(Text(terminal_safe(line)), soft_wrap=True)


def _change_lines(rule: Rule, name: str) -> list[str]:
    """'NQ11 min_similarity = 0.9 (settings; rule file: 0.85)'; for a mapping, one line per
    key the settings changed."""
    now, before = rule.params[name], rule.changed[f"params.{name}"]
    if isinstance(now, dict) and isinstance(before, dict):
        pairs = [(f"{name}.{k}", v, before.get(k)) for k, v in now.items() if before.get(k) != v]
    else:
        pairs = [(name, now, before)]
    return [f"  {rule.code} {key} = {_short(value)} (settings; rule file: {_short(old)})"
            for key, value, old in pairs]


def severity_label(rule: Rule) -> str:
    """'high', 'medium (settings; rule file: high)', or 'off (settings)'."""
    if not rule.enabled:
        return "off (settings)"
    if "severity" in rule.changed:
        return f"{rule.severity} (settings; rule file: {rule.changed['severity']})"
    return rule.severity


def _short(value: object, width: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_rule(rule: Rule, console: Console) -> None:
    console.print(f"[bold]{rule.code} {rule.slug}[/bold] — {escape(rule.title)}")
    console.print(f"Severity: {escape(severity_label(rule))}. Source: {escape(rule.source)}\n")
    console.print(f"[bold]Applies[/bold]\n{escape(rule.applies)}\n")
    if rule.makes is not None:
        made = rule.makes
        console.print(f"[bold]What makes it[/bold] ({escape(made.kind)})\n{escape(made.says)}")
        if made.tags:
            console.print(f"Reading-layer tags: {escape(', '.join(made.tags))}")
        if made.facts:
            console.print(f"Data: {escape(', '.join(made.facts))}")
        if made.bespoke:
            console.print(f"Its own module: {escape(made.bespoke)}")
        console.print()
    for key, heading in (("what", "What it checks"), ("why", "Why it matters"),
                         ("not", "What does not trigger it")):
        if key in rule.docs:
            console.print(f"[bold]{heading}[/bold]\n{escape(rule.docs[key])}\n")
    console.print(f"[bold]What to write instead[/bold]\n{escape(rule.good_example)}\n")
    console.print("[bold]Examples[/bold]")
    for example in rule.examples:
        verdict = "triggers" if example.label == "fail" else "does not trigger"
        console.print(f"  [{'red' if example.label == 'fail' else 'green'}]{verdict}"
                      f"[/]: {escape(example.note)}")
        console.print(f"    [dim]{escape(' '.join(example.submission['narrative'].split()))}"
                      "[/dim]")
