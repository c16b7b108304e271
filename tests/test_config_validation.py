"""--config files as councils write them (issue 7 item 15): encodings, typos and nonsense
values are NQE010 errors naming the key, never a crash or a silently odd score."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrative_qa.cli import app
from narrative_qa.config import load_settings
from narrative_qa.errors import ConfigError


def settings_file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "settings.toml"
    path.write_bytes(text.encode(encoding))
    return path


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(settings_file(tmp_path, text))
    assert caught.value.code == "NQE010"
    assert str(tmp_path / "settings.toml") in caught.value.render()
    return caught.value.detail


def test_a_utf16_settings_file_is_read_by_its_byte_order_mark(tmp_path):
    path = settings_file(tmp_path, "[rag]\ndecimals = 1\n", encoding="utf-16")
    assert load_settings(path).rag.decimals == 1
    bom8 = settings_file(tmp_path, "\ufeff[rag]\ndecimals = 3\n")
    assert load_settings(bom8).rag.decimals == 3


def test_utf16_without_a_byte_order_mark_says_save_as_utf8(tmp_path):
    path = settings_file(tmp_path, "[rag]\ndecimals = 1\n", encoding="utf-16-le")
    with pytest.raises(ConfigError, match="save it as UTF-8") as caught:
        load_settings(path)
    assert caught.value.code == "NQE010"


def test_latin1_settings_file_says_save_as_utf8(tmp_path):
    path = settings_file(tmp_path, '[glossary]\nnames = ["CAFÉ"]\n', encoding="latin-1")
    with pytest.raises(ConfigError, match="NQE010.*save it as UTF-8"):
        load_settings(path)


@pytest.mark.parametrize(("text", "expected"), [
    ("[rag]\namber_form = 3\n", "rag.amber_form: unknown setting; did you mean amber_from?"),
    ("[limts]\nmax_narrative_chars = 10\n", "[limts]: unknown section; did you mean limits?"),
    ("decimals = 1\n", "decimals: unknown setting; did you mean rag.decimals"),
    ("[rag]\ndecimals = 100000\n", "rag.decimals: must be from 0 to 6"),
    ("[rag]\ndecimals = 1.5\n", "rag.decimals: must be a whole number"),
    ("[rag]\ndecimals = true\n", "rag.decimals: must be a whole number"),
    ("[rag]\namber_from = \"2.5\"\n", "rag.amber_from: must be a number"),
    ("[rag]\nred_from = inf\n", "rag.red_from: must be a number"),
    ("[rag]\namber_from = 6.0\n", "0 < amber_from < red_from"),
    ("[rag]\npercent_variance = \"pts\"\n", "rag.percent_variance: must be one of relative"),
    ("[verdict]\npenalty_high = -999\n", "verdict.penalty_high: must be from 0 to 100"),
    ("[verdict]\npenalty_low = true\n", "verdict.penalty_low: must be a whole number"),
    ("[glossary]\nacronyms = \"NHS\"\n", "glossary.acronyms: must be a list of words"),
    ("[glossary]\nnames = [1, 2]\n", "glossary.names: must be a list of words"),
    ("[semantic]\nenabled = \"no\"\n", "semantic.enabled: must be true or false"),
    ("[semantic]\nenabled = 0\n", "semantic.enabled: must be true or false"),
    ("semantic = false\n", "semantic: must be a section [semantic]"),
])
def test_nonsense_settings_are_refused_naming_the_key(tmp_path, text, expected):
    assert expected in refused(tmp_path, text)


def test_good_overrides_still_apply(tmp_path):
    settings = load_settings(settings_file(tmp_path, (
        "[rag]\namber_from = 3\ndecimals = 0\n[glossary]\nacronyms = [\"NHS\", \"cpn\"]\n"
        "[verdict]\npenalty_high = 40\n[semantic]\nenabled = false\n")))
    assert settings.rag.amber_from == 3.0 and settings.rag.decimals == 0
    assert settings.acronyms == {"NHS", "CPN"} and settings.penalties["high"] == 40
    assert settings.semantic is False


def test_a_folder_as_config_is_a_coded_error(tmp_path):
    with pytest.raises(ConfigError, match="NQE010.*folder"):
        load_settings(tmp_path)


def test_cli_reports_a_bad_setting_without_a_traceback(tmp_path):
    path = settings_file(tmp_path, "[rag]\namber_form = 3\n")
    draft = tmp_path / "draft.txt"
    draft.write_text("Recruitment remains a challenge.", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(draft), "--period", "2025/26 Q2",
                                      "--db", str(tmp_path / "h.db"), "--config", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "did you mean amber_from?" in " ".join(result.output.split())


# Issue 18: the settings are a pydantic model (specs/settings.py); what a value must be is
# read from it, range included, so a value of the wrong type also learns the range.
@pytest.mark.parametrize(("text", "expected"), [
    ("[rag]\ndecimals = 1.5\n", "rag.decimals: must be a whole number from 0 to 6, not 1.5"),
    ("[rag]\namber_from = \"2.5\"\n",
     "rag.amber_from: must be a number from 0 to 1,000, not '2.5'"),
    ("[limits]\nmax_rows = 0\n", "limits.max_rows: must be from 1 to 10,000,000, not 0"),
    ("[verdict]\npenalty_high = 200\n[rag]\ndecimals = 9\n",
     "verdict.penalty_high: must be from 0 to 100, not 200"),  # the file's first problem
])
def test_a_wrong_value_is_told_its_type_and_range(tmp_path, text, expected):
    assert refused(tmp_path, text) == expected


def test_the_spec_declares_every_setting_of_the_defaults_and_no_other():
    """defaults.toml holds the values, specs/settings.py what each may be: the same keys."""
    import tomllib

    from narrative_qa.config import DEFAULTS
    from narrative_qa.specs.settings import SettingsFile, setting_names

    defaults = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    written = {f"{s}.{k}" for s, table in defaults.items() for k in table}
    declared = set(setting_names().values())
    optional = {f"glossary.{k}" for k in ("localities", "extend_acronyms", "extend_names",
                                          "extend_localities")} | {"findings.select"}
    assert written <= declared and declared - written == optional
    assert list(SettingsFile.model_fields) == list(defaults)


def test_a_setting_missing_from_the_defaults_is_named():
    import tomllib

    from narrative_qa.config import DEFAULTS
    from narrative_qa.specs.settings import check_settings

    raw = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    del raw["rag"]["decimals"]
    assert check_settings(raw) == (None, "rag.decimals: missing")


def test_default_values_have_one_home_the_bundled_defaults_toml():
    """Settings and RagBands carry what load_settings read; a default value written on them
    as well would be a second home that can drift from defaults.toml."""
    import dataclasses

    from narrative_qa.config import RagBands, Settings

    # Not settings a user writes: what the [findings] tables and --config made, or nothing.
    derived = {"findings", "localities", "extend_localities", "source"}
    for cls in (Settings, RagBands):
        with_default = {f.name for f in dataclasses.fields(cls)
                        if f.default is not dataclasses.MISSING
                        or f.default_factory is not dataclasses.MISSING}
        assert with_default <= derived, f"{cls.__name__}: {sorted(with_default - derived)}"
