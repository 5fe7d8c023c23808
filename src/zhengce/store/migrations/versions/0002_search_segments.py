"""SQLite ranks small matches in segment texts and counts facets from packed digests.

`search_text` holds the segment texts (no longer LZ4-packed token texts) and the new
`search_facets` each policy's facet values as 8-byte digests; both are filled again
when the library is opened, since `zhengce.search.TOKENIZER` changed with them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE search_text")
    # The segment texts of title, body and items, \x1f apart (UTF-8): where phrases are
    # counted when a match is small, and what a contentless FTS5 row is deleted with.
    op.execute("CREATE TABLE search_text (policy_id INTEGER PRIMARY KEY REFERENCES policies(id)"
               " ON DELETE CASCADE, size INTEGER NOT NULL, segments BLOB NOT NULL)")
    # Narrow rows, many to a page: a search counts facet values over every match from them.
    op.execute("CREATE TABLE search_facets (policy_id INTEGER PRIMARY KEY REFERENCES policies(id)"
               " ON DELETE CASCADE, digests BLOB NOT NULL)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE search_facets")
    op.execute("DROP TABLE search_text")
    op.execute("CREATE TABLE search_text (policy_id INTEGER PRIMARY KEY REFERENCES policies(id)"
               " ON DELETE CASCADE, size INTEGER NOT NULL, tokens BLOB NOT NULL)")
