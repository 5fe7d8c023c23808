"""The policy library: policies and their readings, tags, items, citations, full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-20
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _policy_fk(primary_key: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("policy_id", sa.Integer, sa.ForeignKey("policies.id", ondelete="CASCADE"),
                     primary_key=primary_key)


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("sha256", sa.String(64)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("issuer", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("year", sa.Integer),
        sa.Column("number", sa.Text),
        sa.Column("source_path", sa.Text),
        sa.Column("source_url", sa.Text),
        sa.Column("source_format", sa.String(8)),
        sa.Column("effective_date", sa.String(10)),
        sa.Column("expiry_date", sa.String(10)),
        sa.Column("supersedes", sa.Text),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("n_items", sa.Integer, nullable=False),
        sa.Column("index_size", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("text", sa.LargeBinary, nullable=False),
        sa.Column("reading", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_policies_issuer", "policies", ["issuer"])
    op.create_index("ix_policies_year", "policies", ["year"])
    op.create_index("ix_policies_title", "policies", ["title"])
    op.create_index("ix_policies_number", "policies", ["number"])
    op.create_table(
        "files",
        _policy_fk(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "tags",
        _policy_fk(),
        sa.Column("facet", sa.String(16), primary_key=True),
        sa.Column("value", sa.Text, primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_tags_facet_value", "tags", ["facet", "value"])
    for name in ("chapters", "articles"):
        op.create_table(
            name,
            _policy_fk(),
            sa.Column("seq", sa.Integer, primary_key=True),
            sa.Column("no", sa.Integer, nullable=False),
            *([sa.Column("chapter", sa.Integer)] if name == "articles" else []),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("label", sa.Text, nullable=False),
            sa.Column("start", sa.Integer, nullable=False),
            sa.Column("end", sa.Integer, nullable=False),
            sqlite_with_rowid=False,
        )
    op.create_table(
        "departments",
        _policy_fk(),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("article", sa.Integer),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_departments_name", "departments", ["name"])
    op.create_table(
        "items",
        _policy_fk(),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("article", sa.Integer),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("amount_yuan", sa.Float),
        sa.Column("ratio", sa.Float),
        sa.Column("ratio_min", sa.Float),
        sa.Column("cap_yuan", sa.Float),
        sa.Column("unit", sa.Text),
        sa.Column("period", sa.Text),
        sa.Column("quote", sa.Text),
        sa.Column("quote_start", sa.Integer),
        sa.Column("quote_end", sa.Integer),
        sa.Column("clue", sa.Text),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "conditions",
        _policy_fk(),
        sa.Column("item_seq", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("honour", sa.Text),
        sa.Column("level", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("recipient_type", sa.Text),
        sa.Column("field", sa.Text),
        sa.Column("op", sa.String(4)),
        sa.Column("value", sa.Float),
        sa.Column("unit", sa.Text),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_conditions_honour", "conditions", ["honour"])
    op.create_table(
        "targets",
        _policy_fk(),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer),
        sa.Column("indicator", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("op", sa.String(4), nullable=False),
        sa.Column("article", sa.Integer),
        sa.Column("quote", sa.Text),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "citations",
        _policy_fk(),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("number", sa.Text),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_citations_title", "citations", ["title"])
    op.create_index("ix_citations_number", "citations", ["number"])
    stats = op.create_table(
        "index_stats",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("n_docs", sa.Integer, nullable=False),
        sa.Column("n_tokens", sa.BigInteger, nullable=False),
        sa.Column("tokenizer", sa.String(32), nullable=False),
        sa.Column("revision", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(stats, [{"id": 1, "n_docs": 0, "n_tokens": 0, "tokenizer": "", "revision": 0}])

    # The full-text index: token texts from zhengce.search, one row per policy.
    if op.get_bind().dialect.name == "sqlite":
        # Contentless: the token texts are rebuilt from the reading when a row is replaced.
        op.execute("CREATE VIRTUAL TABLE policy_fts USING fts5(title, body, items, facets, tokenize = 'ascii',"
                   " content = '')")
        # Flush pending index data every 64 MB instead of 1 MB: bulk loads run twice as fast.
        op.execute("INSERT INTO policy_fts (policy_fts, rank) VALUES ('hashsize', 67108864)")
        # The same token texts, LZ4-packed: what a contentless FTS5 row is deleted with, and
        # where phrases are counted when a match is small (see store/fulltext.py).
        op.execute("CREATE TABLE search_text (policy_id INTEGER PRIMARY KEY REFERENCES policies(id)"
                   " ON DELETE CASCADE, size INTEGER NOT NULL, tokens BLOB NOT NULL)")
    else:
        op.execute(
            "CREATE TABLE search_docs ("
            " policy_id integer PRIMARY KEY REFERENCES policies(id) ON DELETE CASCADE,"
            " title text NOT NULL, body text NOT NULL, items text NOT NULL, facets text NOT NULL,"
            " size integer NOT NULL, tsv tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_text")
        op.execute("DROP TABLE policy_fts")
    else:
        op.execute("DROP TABLE search_docs")
    for name in ("index_stats", "citations", "targets", "conditions", "items", "departments",
                 "articles", "chapters", "tags", "files", "policies"):
        op.drop_table(name)
