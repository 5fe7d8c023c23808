"""Docs stay true: every command has help and a line in docs/cli.md."""
from __future__ import annotations

from pathlib import Path

import pytest
import typer

from zhengce.cli import app

DOCS = Path(__file__).parent.parent / "docs"
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_documented(name: str) -> None:
    command = COMMANDS[name]
    assert command.help, f"`zhengce {name}` has no --help text"
    assert f"`zhengce {name}" in (DOCS / "cli.md").read_text("utf-8"), f"`zhengce {name}` is missing from docs/cli.md"


def test_docs_name_existing_files() -> None:
    text = (DOCS / "cli.md").read_text("utf-8")
    for doc in ("reader.md", "items.md", "library.md", "calculator.md", "web.md"):
        if f"docs/{doc}" in text:
            assert (DOCS / doc).exists(), f"docs/cli.md points to a missing docs/{doc}"
