"""Library commands of `zhengce`: ingest, search, items, related, export.

`register(app)` adds them to the main Typer app; each calls `zhengce.library` in a few lines.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, List, NoReturn, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from zhengce.errors import ZhengceError

if TYPE_CHECKING:
    from zhengce.library import IngestEvent, Library

out = Console()
err = Console(stderr=True)

DB_HELP = "Database URL: sqlite:///file.db or postgresql://user@host/db (default: $ZHENGCE_DB or sqlite:///zhengce.db)."


class ExportWhat(str, Enum):
    items = "items"
    policy = "policy"
    library = "library"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(Text("error: ", style="bold red") + Text(message))
    raise typer.Exit(code)


@contextmanager
def _library(db: Optional[str]) -> Iterator["Library"]:
    """Open the library, turning a bad URL or an unreachable server into one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from zhengce.library import Library, open_library

    try:
        lib = open_library(db)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        _fail(f"cannot open the library at {db or 'the default database'}: {str(exc).splitlines()[0]}")
    try:
        yield lib
    except ZhengceError as exc:
        _fail(str(exc))
    except KeyError as exc:
        _fail(str(exc.args[0]) if exc.args else "not found")
    finally:
        lib.close()


def _filters(industry: Optional[List[str]], size: Optional[List[str]], ownership: Optional[List[str]],
             theme: Optional[List[str]], issuer: Optional[List[str]], year: Optional[List[str]]) -> dict[str, list[str]]:
    given = {"industry": industry, "size": size, "ownership": ownership, "theme": theme,
             "issuer": issuer, "year": year}
    return {k: list(v) for k, v in given.items() if v}


def _emit_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


# Facet options shared by search and items: repeat one to accept any of several values.
INDUSTRY = typer.Option(None, "--industry", help="所属行业, e.g. 制造业 (repeatable).")
SIZE = typer.Option(None, "--size", help="企业规模, e.g. 小微企业 (repeatable).")
OWNERSHIP = typer.Option(None, "--ownership", help="适用对象, e.g. 私营企业 (repeatable).")
THEME = typer.Option(None, "--theme", help="政策主题, e.g. 科技创新 (repeatable).")
ISSUER = typer.Option(None, "--issuer", help="发文机关 as stored, e.g. 威海市人民政府 (repeatable).")
YEAR = typer.Option(None, "--year", help="Year published, e.g. 2021 (repeatable).")
DB = typer.Option(None, "--db", help=DB_HELP, envvar="ZHENGCE_DB")
AS_JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")


def ingest(
    paths: List[Path] = typer.Argument(..., help="Files and folders (searched recursively): .txt .html .pdf .docx."),
    source_url: Optional[str] = typer.Option(None, "--source-url", help="The page the documents came from."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 if any file failed."),
    as_json: bool = AS_JSON,
    db: Optional[str] = DB,
) -> None:
    """Read documents into the library: unchanged files are skipped, a bad file is reported and skipped."""
    with _library(db) as lib:
        files = lib.documents(paths)
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.fields[name]}"), console=err,
                            disable=as_json, transient=False)
        with progress:
            task = progress.add_task("ingest", total=len(files), name="")

            def on_file(event: "IngestEvent") -> None:
                if event.status == "failed":
                    progress.console.print(Text(f"skipped {event.path}: {event.message}", style="yellow"))
                progress.update(task, advance=1, name=Path(event.path).name[:40])

            report = lib.ingest(files, source_url=source_url, on_file=on_file)
        total = lib.count()
    counts = {k: report.count(k) for k in ("added", "updated", "unchanged", "failed")}
    if as_json:
        _emit_json({**counts, "seconds": round(report.seconds, 3), "policies": total,
                    "failures": [{"path": e.path, "message": e.message} for e in report.failed]})
    else:
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        out.print(f"{len(files)} files in {report.seconds:.1f} s: {summary}. The library holds {total} policies.",
                  highlight=False)
    if strict and counts["failed"]:
        raise typer.Exit(1)


def search(
    query: str = typer.Argument(..., help="Words to find, e.g. \"高新技术企业 奖励\"; every word must occur."),
    industry: Optional[List[str]] = INDUSTRY, size: Optional[List[str]] = SIZE,
    ownership: Optional[List[str]] = OWNERSHIP, theme: Optional[List[str]] = THEME,
    issuer: Optional[List[str]] = ISSUER, year: Optional[List[str]] = YEAR,
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=1000, help="How many policies to show."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many (the next page)."),
    as_json: bool = AS_JSON,
    db: Optional[str] = DB,
) -> None:
    """Search policies (BM25 over titles, articles and items) with facet counts and snippets."""
    with _library(db) as lib:
        result = lib.search(query, _filters(industry, size, ownership, theme, issuer, year), limit, offset)
    if as_json:
        _emit_json(result.to_dict())
        return
    out.print(f"{result.total} policies match.", highlight=False)
    table = Table("#", "id", "policy", "matching article", show_lines=True)
    for n, hit in enumerate(result.hits, offset + 1):
        snippet = Text(hit.snippet.text.replace("\n", " "))
        for s, e in hit.snippet.highlights:
            snippet.stylize("bold red", s, e)
        article = Text(f"{hit.article_no}. {hit.article_title or ''}\n" if hit.article_no is not None else "",
                       style="cyan") + snippet
        head = Text(hit.title or "(untitled)", style="bold") + Text(
            f"\n{hit.issuer or ''} {hit.published or ''}  score {hit.score:.4g}", style="dim")
        table.add_row(str(n), str(hit.policy_id), head, article)
    if result.hits:
        out.print(table)
    for facet, values in result.facets.items():
        shown = " · ".join(f"{v} ({c})" for v, c in values[:8])
        more = f" · … {len(values) - 8} more" if len(values) > 8 else ""
        out.print(Text(f"{facet}: ", style="bold") + Text(shown + more))


def items(
    query: str = typer.Argument(..., help="Words every item must hold, e.g. \"高新技术企业 奖励\"."),
    industry: Optional[List[str]] = INDUSTRY, size: Optional[List[str]] = SIZE,
    ownership: Optional[List[str]] = OWNERSHIP, theme: Optional[List[str]] = THEME,
    issuer: Optional[List[str]] = ISSUER, year: Optional[List[str]] = YEAR,
    policies: int = typer.Option(50, "--policies", min=1, max=10000, help="Look in this many best policies."),
    as_json: bool = AS_JSON,
    db: Optional[str] = DB,
) -> None:
    """Benefit search: matching items (奖补事项) of every policy, with amounts, side by side."""
    from zhengce.export import amount_text, item_record

    with _library(db) as lib:
        found = lib.items(query, _filters(industry, size, ownership, theme, issuer, year), policies)
    if as_json:
        _emit_json([item_record(i) for i in found])
        return
    table = Table("policy", "art.", "recipient", "kind", "amount", "conditions", show_lines=True)
    for i in found:
        table.add_row(Text(f"{i.policy_title}\n{i.issuer or ''} {i.published or ''}"),
                      "" if i.article is None else str(i.article), Text(i.recipient), Text(i.kind),
                      Text(amount_text(i), style="bold"), Text("；".join(i.conditions)))
    out.print(f"{len(found)} items.", highlight=False)
    if found:
        out.print(table)


def related(
    policy_id: int = typer.Argument(..., help="The id of a stored policy (as `search` shows)."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=200),
    as_json: bool = AS_JSON,
    db: Optional[str] = DB,
) -> None:
    """Related policies: citations both ways, supersession, shared honours and departments, similar text."""
    with _library(db) as lib:
        found = lib.related(policy_id, limit)
    if as_json:
        _emit_json([r.to_dict() for r in found])
        return
    table = Table("id", "policy", "score", "why")
    for r in found:
        table.add_row(str(r.policy_id), Text(r.title), f"{r.score:.2f}", Text("；".join(r.reasons)))
    out.print(table)


def export(
    what: ExportWhat = typer.Argument(..., help="items, policy (needs an id) or library."),
    policy_id: Optional[int] = typer.Argument(None, help="The policy to export (for `policy`)."),
    format: ExportFormat = typer.Option(ExportFormat.json, "--format", "-f", help="csv (items only) or json."),
    query: Optional[str] = typer.Option(None, "--query", "-q", help="Items: only those a benefit search finds."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    with_text: bool = typer.Option(True, "--with-text/--without-text", help="Policies: include the original text."),
    db: Optional[str] = DB,
) -> None:
    """Export items as CSV or JSON, or a policy or the whole library as JSON."""
    from zhengce import export as ex

    if what is not ExportWhat.items and format is ExportFormat.csv:
        _fail("CSV is for items; export a policy or the library with --format json")
    if what is ExportWhat.policy and policy_id is None:
        _fail("give the policy's id, e.g. `zhengce export policy 12`")
    try:
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")
    try:
        with _library(db) as lib:
            if what is ExportWhat.items:
                n = ex.write_items(ex.items_of(lib, query), stream, format.value)
            elif what is ExportWhat.policy:
                assert policy_id is not None
                ex.write_policy(lib, policy_id, stream, with_text)
                n = 1
            else:
                n = ex.write_library(lib, stream, with_text)
    finally:
        if output:
            stream.close()
    if output:
        err.print(f"{n} {what.value if what is ExportWhat.items else 'policies'} written to {output}",
                  highlight=False)


def register(app: typer.Typer) -> None:
    """Add the library commands to the `zhengce` app."""
    for command in (ingest, search, items, related, export):
        app.command()(command)

