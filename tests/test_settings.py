"""Settings: read once from the environment into a typed object, checked, and all documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from generator import settings
from generator.errors import SettingsInvalid
from generator.settings import VARIABLES, Settings
from generator.site.options import AtlasOptions, PageLimits


def readme_settings() -> dict[str, tuple[str, str, str]]:
    """The README's settings table: name → (where, takes, does)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- settings -->\n(.*?)<!-- /settings -->", text, re.S)
    assert table, "README.md has no <!-- settings --> table"
    rows = [line.strip().strip("|").strip().split(" | ") for line in table.group(1).splitlines()[2:]]
    return {name.strip("`"): (where, takes, does) for name, where, takes, does in rows}


def test_the_readme_table_lists_every_setting_and_nothing_else():
    documented = readme_settings()
    options = [name for name, _ in AtlasOptions._schema]
    assert sorted(documented) == sorted([v.name for v in VARIABLES] + options)
    for variable in VARIABLES:
        assert documented[variable.name] == ("environment", variable.value, variable.does)
    for name in options:
        assert documented[name][0] == "mkdocs.yml, `plugins: - atlas:`"
    limits = documented["page_limits"][1]
    assert all(f"`{name}`" in limits for name, _ in PageLimits._schema)


def test_the_environment_is_read_into_typed_settings():
    given = Settings.from_environment({
        "ATLAS_ENTRIES": "other", "ATLAS_DOWNLOADS": "0", "SOURCE_DATE_EPOCH": "1769904000", "ATLAS_VERSION": " v1 ",
        "ATLAS_CHECK_WORKERS_FROM": "0", "ATLAS_FORK_FROM": "10", "ATLAS_PDF_PART_SIZE": "5", "ATLAS_UNRELEASED": "1", "UNRELATED": "x",
    })
    assert given == Settings(Path("other"), False, 1769904000, "v1", True, 0, 10, 5)
    assert Settings.from_environment({}) == Settings()


@pytest.mark.parametrize(("name", "value", "message"), [
    ("SOURCE_DATE_EPOCH", "soon", "SOURCE_DATE_EPOCH='soon' is not a whole number"),
    ("SOURCE_DATE_EPOCH", "-5", "SOURCE_DATE_EPOCH='-5' is not a whole number"),
    ("ATLAS_DOWNLOADS", "no", "ATLAS_DOWNLOADS='no' is neither 0 nor 1"),
    ("ATLAS_UNRELEASED", "yes", "ATLAS_UNRELEASED='yes' is neither 0 nor 1"),
    ("ATLAS_PDF_PART_SIZE", "0", "ATLAS_PDF_PART_SIZE='0' is not a whole number of 1 or more"),
    ("ATLAS_FORK_FROM", "many", "ATLAS_FORK_FROM='many' is not a whole number"),
])
def test_a_wrong_value_is_a_usage_error_that_names_it(name, value, message):
    with pytest.raises(SettingsInvalid) as raised:
        Settings.from_environment({name: value})
    assert str(raised.value) == message
    assert raised.value.exit_code == 2


def test_settings_are_read_once_a_process(monkeypatch):
    monkeypatch.setenv("ATLAS_VERSION", "first")
    assert settings.current().version == "first"
    monkeypatch.setenv("ATLAS_VERSION", "second")
    assert settings.current().version == "first"


def test_a_wrong_setting_stops_the_command_line_with_exit_2(run_cli, make_entries, tmp_path):
    make_entries({})
    code, _out, err = run_cli("export", "--entries", "entries", "--out", "out", cwd=tmp_path, env={"ATLAS_DOWNLOADS": "maybe"})
    assert (code, err.strip()) == (2, "python -m generator export: error: ATLAS_DOWNLOADS='maybe' is neither 0 nor 1")
    code, _out, err = run_cli("check", "--entries", "entries", cwd=tmp_path, env={"ATLAS_FORK_FROM": "x"})
    assert (code, err.strip()) == (2, "python -m generator check: error: ATLAS_FORK_FROM='x' is not a whole number")
