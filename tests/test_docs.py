"""Every setting is documented; the README names exactly the two commands."""

from pathlib import Path

from qingdan import settings

ROOT = Path(__file__).resolve().parent.parent


def test_it_documents_every_setting():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in settings.QINGDAN_SETTINGS if f"`{name}`" not in text]
    assert missing == []


def test_it_names_the_two_commands_in_the_readme():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text


def test_it_documents_every_command():
    import click

    from qingdan.cli import main

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    names = []
    for name, command in main.commands.items():
        if isinstance(command, click.Group):
            names += [f"{name} {sub}" for sub in command.commands]
        else:
            names.append(name)
    assert [n for n in names if f"## qingdan {n}" not in text] == []
