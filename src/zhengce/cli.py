"""The `zhengce` command: a thin shell over the library."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zhengce.errors import ZhengceError

app = typer.Typer(
    help="Read Chinese policy documents into structured, searchable, matchable knowledge.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


class Format(str, Enum):
    json = "json"
    text = "text"


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit: bad input never shows a traceback."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def parse(
    file: Path = typer.Argument(..., help="A policy document: .txt, .html, .pdf or .docx (UTF-8 or GBK)."),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json (the full reading) or text (tables for a person)."),
    with_text: bool = typer.Option(False, "--with-text", help="Include the original text in the JSON."),
    source_url: Optional[str] = typer.Option(None, "--source-url", help="The page the document came from."),
) -> None:
    """Print the reading of one document."""
    from zhengce.reader import read_file

    try:
        policy = read_file(file, url=source_url)
    except ZhengceError as exc:
        fail(str(exc))
        return
    if format is Format.json:
        sys.stdout.write(json.dumps(policy.to_dict(with_text=with_text), ensure_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        from zhengce.report import print_policy

        print_policy(policy, out)


@app.command()
def summary(
    paths: list[Path] = typer.Argument(..., help="Files or folders of policy documents."),
) -> None:
    """Read documents and print one line each: articles, items, departments, targets."""
    from zhengce.reader import read_file
    from zhengce.reader.loading import iter_documents

    table = Table("document", "title", "articles", "items", "targets", "problem")
    for path in iter_documents(paths):
        try:
            p = read_file(path)
        except ZhengceError as exc:
            table.add_row(path.name, "", "", "", "", escape(getattr(exc, "problem", str(exc))))
            continue
        table.add_row(path.name, p.title[:30], str(len(p.articles)), str(len(p.items)), str(len(p.targets)), "")
    out.print(table)


def _register_commands() -> None:
    # Each layer keeps its commands beside its code; the main app only gathers them.
    from zhengce import cli_library, cli_match, cli_web

    for module in (cli_library, cli_match, cli_web):
        module.register(app)


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
