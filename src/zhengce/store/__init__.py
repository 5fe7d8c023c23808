"""Storage of readings: SQLite by default, PostgreSQL from a URL, migrated on open.

>>> engine = open_engine("sqlite://")   # in memory
>>> migrate(engine)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

DEFAULT_URL = "sqlite:///zhengce.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def default_url() -> str:
    """`ZHENGCE_DB`, else a SQLite file in the current directory."""
    return os.environ.get("ZHENGCE_DB") or DEFAULT_URL


def _normalise_url(url: str) -> str:
    # `postgresql://` means psycopg 3 here, the driver we install (SQLAlchemy's default is psycopg2).
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def open_engine(url: str | None = None) -> Engine:
    """An engine for `url`; SQLite gets WAL (reads during writes) and foreign keys."""
    url = _normalise_url(url or default_url())
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver so the "begin" hook below decides how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        # A 64 MB page cache and memory-mapped reads: a search touches the index, packed texts and tags.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA mmap_size=1073741824")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the lock up front: a deferred transaction that upgrades to a write
        # lock fails at once with "database is locked" instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def alembic_config(engine: Engine | None = None, url: str | None = None) -> Config:
    """An Alembic Config that needs no alembic.ini: `command.upgrade(alembic_config(url=…), "head")`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", _normalise_url(url).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the database to the latest schema."""
    config = alembic_config(engine)
    with engine.connect() as connection:
        connection = connection.execution_options(write=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                # Two processes opening a fresh database at once: one migrates, the other waits.
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(20260404)")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
