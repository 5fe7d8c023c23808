"""`zhengce parse` on a bad file: a one-line error naming the file, a non-zero exit, no traceback."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_loading import BAD_FILES, make_bad_file
from typer.testing import CliRunner

from zhengce.cli import app


@pytest.mark.parametrize("name,content,problem", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_parse_bad_file(tmp_path: Path, name: str, content: bytes | Callable[[Path], None] | None, problem: str) -> None:
    path = make_bad_file(tmp_path, name, content)
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert path.name in lines[0]
    assert problem in lines[0]
    assert result.stdout == ""   # the error goes to stderr, so `parse … > out.json` stays clean
