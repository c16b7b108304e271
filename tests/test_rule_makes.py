"""Each rule file says, in plain words, what makes its finding (issue 15): one of a handful
of kinds, the reading layer's sentence tags and the data facts it rests on. The tags are
checked against the detector itself, so the description cannot drift from the code."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

import narrative_qa.detectors.base as base
from narrative_qa.catalogue import Rule, load_catalogue
from narrative_qa.cli import app
from narrative_qa.config import load_settings
from narrative_qa.detection import contexts_for
from narrative_qa.errors import ConfigError
from narrative_qa.reading.records import submissions_from_rows
from narrative_qa.specs.rule_file import KINDS
from tests.conftest import ROOT

RULES = load_catalogue()


class _Recording(dict):
    """The readings of one narrative, noting each tag a detector asks for."""

    def __init__(self, readings: dict, asked: set[str]):
        super().__init__(readings)
        self.asked = asked

    def __getitem__(self, tag: str):
        self.asked.add(tag)
        return super().__getitem__(tag)


def _tags_read(rule: Rule, monkeypatch) -> set[str]:
    """The reading-layer tags the rule's detector asks for on its own examples."""
    settings = load_settings()
    asked: set[str] = set()
    read = base._read
    monkeypatch.setattr(base, "_read", lambda sentences, embedded: _Recording(
        read(sentences, embedded), asked))
    for example in rule.examples:
        row = dict(example.submission)
        [ctx] = contexts_for(submissions_from_rows([row], settings, file="example",
                                                   headers=list(row)), settings)
        if ctx is not None:
            rule.module.detect(ctx, rule.params)
    return asked


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_says_what_makes_it(rule):
    assert rule.makes is not None, f"{rule.path.name} has no 'makes:'"
    assert rule.makes.kind in KINDS
    assert len(rule.makes.says.split()) >= 12
    # A finding that is none of the shared kinds says why its module is its own.
    assert rule.makes.bespoke or rule.makes.kind != "learned pair judgement"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_the_tags_a_rule_names_are_the_tags_its_detector_reads(rule, monkeypatch):
    assert _tags_read(rule, monkeypatch) == set(rule.makes.tags)


def test_a_detector_reading_a_tag_its_rule_does_not_name_is_caught(monkeypatch):
    [nq04] = [r for r in RULES if r.code == "NQ04"]
    # The same detector told to read another tag: the rule file would no longer say it.
    params = {**nq04.params, "reader_tag": "cause_of_change"}
    changed = Rule(**{**nq04.__dict__, "params": params})
    assert _tags_read(changed, monkeypatch) != set(nq04.makes.tags)


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("kind", "tag near a tag", "makes.kind: must be one of tag without support nearby"),
    ("tags", ["challenge"], "makes.tags: must be a list of one of challenge_with_figure"),
    ("facts", ["budget"], "makes.facts: must be a list of one of kpi_id"),
])
def test_a_bad_makes_block_is_an_nqe011_naming_the_key(tmp_path, key, value, expected):
    name = "NQ04-anecdotal-challenge.yml"
    raw = yaml.safe_load((ROOT / "rules" / name).read_text(encoding="utf-8"))
    raw["makes"][key] = value
    (tmp_path / name).write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalogue(tmp_path)
    assert caught.value.code == "NQE011"
    assert expected in caught.value.render()


def test_rules_explain_shows_what_makes_the_finding():
    result = CliRunner().invoke(app, ["rules", "explain", "NQ02"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "What makes it (requirement within a scope)" in text
    assert "Reading-layer tags: action_planned, action_continuing" in text
