"""The web commands of `zhengce`: `serve` (the portal and API) and `officer-add`.

`register(app)` adds them to the main Typer app; `python -m zhengce.cli_web serve` runs
them on their own.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

err = Console(stderr=True)
DB_HELP = "Database URL: sqlite:///file.db or postgresql://user@host/db (default: $ZHENGCE_DB or sqlite:///zhengce.db)."


def register(app: typer.Typer) -> None:
    """Add `serve` and `officer-add` to the app."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
        port: int = typer.Option(8000, help="Port to listen on."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        corpus: Optional[List[Path]] = typer.Option(
            None, "--corpus", help="Files or folders to ingest before serving (repeatable; default: ./corpus if present)."),
        no_corpus: bool = typer.Option(False, "--no-corpus", help="Serve the library as it is, ingesting nothing."),
        workers: int = typer.Option(1, min=1, max=32, help="Worker processes (one per core is plenty)."),
    ) -> None:
        """Serve the portal (政策门户) and the HTTP API at http://HOST:PORT (API docs at /api/docs)."""
        import uvicorn

        from zhengce.errors import ZhengceError
        from zhengce.library import open_library
        from zhengce.web.store import WebStore

        if db:
            # Workers are fresh processes: they find the library through the environment.
            os.environ["ZHENGCE_DB"] = db
        paths = list(corpus or [])
        if not paths and not no_corpus and Path("corpus").is_dir():
            paths = [Path("corpus")]
        try:
            # Ingest and create the portal's tables once, here, not in each worker at once.
            with open_library() as library:
                if paths and not no_corpus:
                    report = library.ingest(paths)
                    err.print(f"library: {library.count()} policies ({report.count('added')} added, "
                              f"{report.count('updated')} updated, {report.count('unchanged')} unchanged, "
                              f"{len(report.failed)} failed)", highlight=False)
                    for event in report.failed:
                        err.print(f"  not ingested: {escape(event.path)}: {escape(event.message or '')}", highlight=False)
                store = WebStore(library.engine)
                if store.officer_count() == 0:
                    err.print("no officer account yet: create one with `zhengce officer-add NAME`", highlight=False)
        except ZhengceError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
        err.print(f"serving http://{host}:{port}  (API docs: http://{host}:{port}/api/docs)", highlight=False)
        uvicorn.run("zhengce.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", access_log=False, proxy_headers=False)

    @app.command("officer-add")
    def officer_add(
        name: str = typer.Argument(..., help="The officer's login name."),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    ) -> None:
        """Create an officer account for the portal's moderation pages (or set a new password)."""
        from zhengce.library import open_library
        from zhengce.web.auth import hash_password
        from zhengce.web.store import WebStore

        if not 1 <= len(name) <= 64:
            err.print("[bold red]error:[/] the name must be 1 to 64 characters", highlight=False)
            raise typer.Exit(1)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        if len(password) < 10:
            err.print("[bold red]error:[/] the password must be at least 10 characters", highlight=False)
            raise typer.Exit(1)
        with open_library(db) as library:
            WebStore(library.engine).add_officer(name, hash_password(password))
        err.print(f"officer {escape(name)} can now log in at /officer/login", highlight=False)


if __name__ == "__main__":
    _app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)
    register(_app)
    _app()
