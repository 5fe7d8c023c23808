"""Alembic environment: run by `zhengce.store.migrate` on open, or by `alembic` with our Config."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from zhengce.store.schema import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters tables by copying them; batch mode does that for later migrations.
        render_as_batch=True,
        include_object=lambda obj, name, type_, reflected, compare_to: not _is_index_table(name),
    )
    with context.begin_transaction():
        context.run_migrations()


def _is_index_table(name: str | None) -> bool:
    """The full-text tables are dialect-specific and not in `metadata`: autogenerate skips them."""
    return bool(name) and (name in ("search_docs", "search_text", "search_facets", "search_terms") or str(name).startswith("policy_fts"))


connection = config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
