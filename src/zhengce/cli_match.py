"""The `match` and `match-batch` commands: the policy calculator from the command line.

`register(app)` adds them to the main Typer app (cli.py), so this module owns them.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

from zhengce.errors import ZhengceError


class Format(str, Enum):
    json = "json"
    text = "text"


def _fail(message: str) -> None:
    Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _source(policies: list[str], db: Optional[str]) -> tuple[Any, list[str] | None]:
    """Files and folders given with --policy, else the library; a --policy that is no path names a library id."""
    from zhengce.match.sources import FileSource, library_source

    paths = [p for p in policies if Path(p).exists()]
    ids = [p for p in policies if not Path(p).exists()]
    if paths:
        if ids:
            _fail(f"no such file or folder: {ids[0]}")
        return FileSource(paths), None
    library = library_source(db)
    if library is None:
        _fail("no policies: give --policy FILE_OR_FOLDER, or build a library first (zhengce ingest …)"
              if not ids else f"no such file or folder, and no library to look the id up in: {ids[0]}")
    return library, ids or None


def register(app: typer.Typer) -> None:
    """Add `match` and `match-batch` to the app."""

    @app.command("match")
    def match(
        profile: Path = typer.Argument(..., help="The applicant: a .yaml or .json profile (docs/calculator.md)."),
        policy: list[str] = typer.Option([], "--policy", "-p",
                                         help="A policy file or folder (repeatable); a value that is no path is a library id."),
        format: Format = typer.Option(Format.text, "--format", "-f", help="text (for a person) or json."),
        db: Optional[str] = typer.Option(None, "--db", help="Library URL (default ZHENGCE_DB or ./zhengce.db)."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="Judge validity and 'this year' on this date (YYYY-MM-DD)."),
        show_unmet: bool = typer.Option(False, "--unmet", help="Also list the items not met, with the conditions that failed."),
        count_superseded: bool = typer.Option(False, "--count-superseded", help="Count policies marked superseded or old."),
        strict: bool = typer.Option(False, "--strict", help="Unknown profile fields and facts are errors, not notes."),
    ) -> None:
        """Which benefits can this applicant get, how much, and what is missing: every item, every condition."""
        from zhengce.match.calculator import Calculator
        from zhengce.match.report import print_report
        from zhengce.profile import load_profile

        try:
            prof = load_profile(profile, strict=strict)
            if as_of:
                prof = _with_as_of(prof, _as_of(as_of))
            source, ids = _source(policy, db)
            calc = Calculator(source)
            report = calc.match(prof, policy_ids=ids, count_superseded=count_superseded)
        except ZhengceError as exc:
            _fail(str(exc))
            return
        if format is Format.json:
            sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=1, default=str) + "\n")
        else:
            print_report(report, Console(), show_unmet=show_unmet)

    @app.command("match-batch")
    def match_batch_cmd(
        registry: Path = typer.Argument(..., help="Enterprises: .csv or .parquet (registrations or prepared rows)."),
        out: Path = typer.Option(..., "--out", "-o", help="Where to write the result (.parquet)."),
        policy: list[str] = typer.Option([], "--policy", "-p", help="A policy file or folder (repeatable); default: the library."),
        db: Optional[str] = typer.Option(None, "--db", help="Library URL (default ZHENGCE_DB or ./zhengce.db)."),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="Judge validity on this date (YYYY-MM-DD)."),
        with_unknown: bool = typer.Option(False, "--with-unknown", help="Also write the items whose verdict is unknown."),
        count_superseded: bool = typer.Option(False, "--count-superseded", help="Count policies marked superseded or old."),
        threads: Optional[int] = typer.Option(None, "--threads", help="DuckDB threads (default: all cores)."),
        save_registry: Optional[Path] = typer.Option(None, "--save-registry",
                                                     help="Also write the prepared registry (.parquet) to reuse it."),
        all_items: bool = typer.Option(False, "--all-items", help="Also list items that state no amount (支持 …)."),
    ) -> None:
        """Match every enterprise of a registry against every item in DuckDB: the 免申即享 push list."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from zhengce.match.batch import match_batch
        from zhengce.match.calculator import Calculator

        if out.suffix.lower() != ".parquet":
            _fail(f"{out}: the result is written as Parquet; give a .parquet path")
        try:
            day = _as_of(as_of) if as_of else None
            source, ids = _source(policy, db)
            calc = Calculator(source)
            if ids:
                calc.compiled = [c for c in calc.compiled if c.policy_id in ids]
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=Console(stderr=True), transient=False) as bar:
                task = bar.add_task("matching", total=None)

                def progress(advance: int, total: int, label: str) -> None:
                    bar.update(task, advance=advance, total=total, description=f"matching {label}")

                result = match_batch(registry, out, calc, as_of=day, with_unknown=with_unknown,
                                     count_superseded=count_superseded, threads=threads, progress=progress,
                                     save_registry=save_registry, priced_only=not all_items)
        except ZhengceError as exc:
            _fail(str(exc))
            return
        secs = ", ".join(f"{k} {v:.2f}s" for k, v in result.seconds.items())
        Console(stderr=True).print(
            f"{result.rows:,} enterprises × {result.items:,} items of {result.policies} policies: "
            f"{result.matches:,} met{f', {result.unknown:,} unknown' if with_unknown else ''} → {out} ({secs})",
            highlight=False)


def _as_of(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ZhengceError(f"--as-of: expected a date such as 2021-12-31; got {text!r}") from None


def _with_as_of(profile: Any, day: str) -> Any:
    from dataclasses import replace

    return replace(profile, as_of=day)
