"""The README keeps up with the code: its command table with the ``briefing`` parser, its settings table
with the declaration of the settings (as datasette's docs tests do)."""

from __future__ import annotations

import re
from pathlib import Path

from build_scripts.cli import build_parser, command_parsers
from build_scripts.settings import Settings, settings_table

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_commands() -> dict[str, str]:
    """The README's command table: the command's words -> its synopsis and description."""
    rows: dict[str, str] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| `briefing ([^`]*)` \|(.*)\|$", line)
        if m:
            words = []
            for token in m.group(1).split():
                if not re.fullmatch(r"[a-z]+", token):
                    break
                words.append(token)
            rows[" ".join(words)] = m.group(1) + " " + m.group(2)
    return rows


def test_the_readme_lists_every_command_and_no_other():
    assert sorted(_readme_commands()) == sorted(command_parsers())


def test_every_command_of_the_parser_is_known():
    """``command_parsers`` names every command ``briefing`` runs (each parses as itself)."""
    for words, parser in command_parsers().items():
        assert parser.prog == f"briefing {words}"
    listed = set(re.findall(r"^    ([a-z]+) ", build_parser().format_help(), re.M))  # the help's list of commands
    assert listed == {words.split()[0] for words in command_parsers()}


def test_the_readme_names_every_option_of_every_command():
    rows = _readme_commands()
    missing = []
    for words, parser in command_parsers().items():
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", parser.format_usage()):
            if option not in ("--help", "--root") and option not in rows.get(words, ""):
                missing.append(f"briefing {words} {option}")
    assert not missing, f"options missing from the README's command table: {missing}"


def test_the_readme_settings_table_is_made_from_the_settings_declaration():
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- settings-table: start -->\n(.*?)<!-- settings-table: end -->", text, re.S)
    assert m, "the README has no generated settings table"
    assert m.group(1) == settings_table(), "regenerate the table: python -c 'from build_scripts.settings import settings_table; print(settings_table())'"


def test_every_setting_has_a_description_and_a_default():
    for name, field in Settings.model_fields.items():
        assert field.description, name
        assert not field.is_required(), name


def test_the_table_follows_a_new_setting(monkeypatch):
    """The check above can fail: a setting added to the declaration is a row the README lacks."""
    from pydantic import Field, create_model

    from build_scripts import settings as settings_module

    extended = create_model("Extended", __base__=Settings, new_one=(int, Field(3, description="A new setting.")))
    monkeypatch.setattr(settings_module, "Settings", extended)
    assert "| `new_one` | `int` | `3` | A new setting. |" in settings_module.settings_table()
