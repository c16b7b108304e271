"""Meta-tests: the catalogue matches FINDINGS.md and every rule's examples behave as labelled."""

from __future__ import annotations

import re

import pytest

from narrative_qa.catalogue import load_catalogue
from narrative_qa.measure.rule_examples import example_behaves, run_example
from tests.conftest import ROOT

SPEC = ROOT / "docs" / "FINDINGS.md"
SHARED_SPEC = ROOT.parent / "shared" / "FINDINGS.md"
RULES = load_catalogue()


def spec_codes(path) -> dict[str, str]:
    return dict(re.findall(r"^### (NQ\d\d) `([a-z0-9-]+)`", path.read_text(), re.M))


def test_every_finding_in_the_spec_has_a_rule_file():
    codes = spec_codes(SPEC)
    assert codes
    assert {r.code: r.slug for r in RULES} == codes


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="no ../shared checkout beside the project")
def test_vendored_spec_has_the_same_codes_as_the_shared_one():
    assert spec_codes(SPEC) == spec_codes(SHARED_SPEC)


def test_codes_are_unique_and_files_are_named_by_code_and_slug():
    assert len({r.code for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.path.name == f"{rule.code}-{rule.slug}.yml"


def test_each_finding_has_one_name_in_its_code_slug_rule_file_and_detector_module():
    for rule in load_catalogue():
        name = rule.slug.replace("-", "_")
        assert rule.path.name == f"{rule.code}-{rule.slug}.yml"
        assert rule.detector == name, f"{rule.code}: detector kind {rule.detector!r}"
        assert rule.module.__name__ == f"narrative_qa.detectors.{name}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented_and_has_both_kinds_of_example(rule):
    for key in ("what", "why", "not"):
        assert len(rule.docs.get(key, "")) > 40, f"{rule.code} docs.{key}"
    for text in (rule.title, rule.source, rule.applies, rule.suggestion, rule.good_example,
                 rule.messages["officer"], rule.messages["elt"]):
        assert text.strip()
    labels = [e.label for e in rule.examples]
    assert "fail" in labels and "pass" in labels
    assert set(labels) <= {"fail", "pass"}
    assert all(e.note for e in rule.examples)


def spec_defaults(path) -> tuple[dict[str, str], set[str]]:
    """FINDINGS.md §4: each code's default severity, and the codes a green KPI is held to."""
    text = " ".join(path.read_text().split())
    severities = {}
    for codes, level in re.findall(r"((?:NQ\d\d(?:, | and )?)+) (high|medium|low)\b", text):
        severities.update(dict.fromkeys(re.findall(r"NQ\d\d", codes), level))
    green = re.search(r"green \(.*?\) only to ((?:NQ\d\d(?:, | and )?)+)", text)
    return severities, set(re.findall(r"NQ\d\d", green.group(1)))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_severity_matches_the_spec_defaults(rule):
    severities, any_scope = spec_defaults(SPEC)
    assert rule.severity == severities[rule.code]
    assert rule.scope == ("any" if rule.code in any_scope else "amber-or-red")


EXAMPLES = [(r, e) for r in RULES for e in r.examples]


@pytest.mark.parametrize(
    "rule,example", EXAMPLES,
    ids=[f"{r.code}-{e.label}-{i}" for i, (r, e) in enumerate(EXAMPLES)],
)
def test_example_behaves_as_labelled(rule, example, settings):
    ok, assessment = example_behaves(rule, example, settings)
    fired = [f.code for f in assessment.findings]
    assert ok, f"{rule.code} {example.label} example ({example.note}): findings {fired}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_fail_examples_fill_every_placeholder_and_quote_evidence(rule, settings):
    for example in (e for e in rule.examples if e.label == "fail"):
        finding = next(f for f in run_example(rule, example, settings).findings
                       if f.code == rule.code)
        for text in (finding.message, finding.elt_message, finding.suggestion):
            assert "{" not in text and "}" not in text
        assert finding.evidence and all(q.strip() for q in finding.evidence)
        assert 0 < finding.confidence <= 1

