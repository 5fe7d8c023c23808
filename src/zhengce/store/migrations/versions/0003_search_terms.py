"""SQLite keeps each policy's most frequent bigrams with their weighted counts.

`search_terms` holds, per policy, its `zhengce.search.TOP_TERMS` most frequent CJK bigrams
(title ×4, body, items ×2) and what bounds the others (a byte per hash cell and the most any
of them weighs): a search bounds each matching
policy's BM25 from them and counts words in the texts of the few that may reach the page.
The table is filled when the library is opened, since `zhengce.search.TOKENIZER` changed
with it. PostgreSQL ranks in SQL and is unchanged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # The size is BM25's document length, kept here too so a bound needs no other row; `terms`
    # holds the bigrams (UTF-16), `counts` their weighted counts (4 bytes each, big-endian),
    # `sketch` one byte per cell bounding the other bigrams, `floor` all of them.
    op.execute("CREATE TABLE search_terms (policy_id INTEGER PRIMARY KEY REFERENCES policies(id)"
               " ON DELETE CASCADE, size INTEGER NOT NULL, floor INTEGER NOT NULL, terms BLOB NOT NULL,"
               " counts BLOB NOT NULL, sketch BLOB NOT NULL)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE search_terms")
