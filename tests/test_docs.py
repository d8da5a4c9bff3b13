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
