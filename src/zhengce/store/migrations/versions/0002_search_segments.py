"""SQLite ranks small matches in segment texts and counts facets from packed digests;
PostgreSQL keeps its token texts LZ4-compressed.

`search_text` holds the segment texts (no longer LZ4-packed token texts) and the new
`search_facets` each policy's facet values as 8-byte digests. On PostgreSQL a search
unpacks the token texts of every candidate: LZ4 does that several times faster than the
default pglz, at about the same size. Both are filled again when the library is opened,
since `zhengce.search.TOKENIZER` changed with them.

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


_POSTGRES_COMPRESSION = """
DO $$ BEGIN
  ALTER TABLE search_docs ALTER COLUMN title SET COMPRESSION {0}, ALTER COLUMN body SET COMPRESSION {0},
    ALTER COLUMN items SET COMPRESSION {0};
EXCEPTION WHEN feature_not_supported THEN NULL;  -- a server built without LZ4 keeps pglz
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(_POSTGRES_COMPRESSION.format("lz4"))
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
        op.execute(_POSTGRES_COMPRESSION.format("default"))
        return
    op.execute("DROP TABLE search_facets")
    op.execute("DROP TABLE search_text")
    op.execute("CREATE TABLE search_text (policy_id INTEGER PRIMARY KEY REFERENCES policies(id)"
               " ON DELETE CASCADE, size INTEGER NOT NULL, tokens BLOB NOT NULL)")
