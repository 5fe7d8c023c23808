"""The library's tables (SQLAlchemy Core): one per model class, keyed by policy.

The full-text index is not here: it is an FTS5 virtual table on SQLite and a
tsvector table on PostgreSQL, created by the migration and written by
`store/fulltext.py`. Children carry `seq` (their place in the reading) rather
than their own numbering, which a reader may repeat.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()
# Children are found by their composite key: on SQLite the key is the table (no rowid b-tree
# beside it), which halves their share of a bulk insert.
CHILD = {"sqlite_with_rowid": False}


def _policy_fk() -> Column[int]:
    return Column("policy_id", Integer, ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True)


policies = Table(
    "policies", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The source path (or a caller's key): re-ingesting it keeps the id.
    Column("key", Text, nullable=False, unique=True),
    Column("sha256", String(64)),
    Column("title", Text, nullable=False),
    Column("issuer", Text),
    Column("published", String(10)),
    Column("year", Integer),
    Column("number", Text),
    Column("source_path", Text),
    Column("source_url", Text),
    Column("source_format", String(8)),
    Column("effective_date", String(10)),
    Column("expiry_date", String(10)),
    Column("supersedes", Text),
    Column("n_articles", Integer, nullable=False, default=0),
    Column("n_items", Integer, nullable=False, default=0),
    # Tokens in the index for this policy: kept so the totals BM25 needs stay exact on replace.
    Column("index_size", Integer, nullable=False, default=0),
    Column("updated_at", String(32), nullable=False),
    # The original text the reading's offsets point into (snippets are cut from it), and the
    # JSON of the rest of the reading: `load` rebuilds the Policy from both. zlib-packed.
    Column("text", LargeBinary, nullable=False),
    Column("reading", LargeBinary, nullable=False),
)
Index("ix_policies_issuer", policies.c.issuer)
Index("ix_policies_year", policies.c.year)
Index("ix_policies_title", policies.c.title)
Index("ix_policies_number", policies.c.number)

# The file as it was ingested (txt, html, pdf, docx bytes).
files = Table(
    "files", metadata,
    Column("policy_id", Integer, ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

tags = Table(
    "tags", metadata,
    _policy_fk(),
    # industry | size | ownership | theme (the portal's tags), issuer, year: every facet a
    # search counts, in one narrow table so counting needs one join.
    Column("facet", String(16), primary_key=True),
    Column("value", Text, primary_key=True),
    **CHILD,
)
Index("ix_tags_facet_value", tags.c.facet, tags.c.value)

chapters = Table(
    "chapters", metadata,
    _policy_fk(),
    Column("seq", Integer, primary_key=True),
    Column("no", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    **CHILD,
)

articles = Table(
    "articles", metadata,
    _policy_fk(),
    Column("seq", Integer, primary_key=True),
    Column("no", Integer, nullable=False),
    Column("chapter", Integer),
    Column("title", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    **CHILD,
)

departments = Table(
    "departments", metadata,
    _policy_fk(),
    Column("seq", Integer, primary_key=True),
    Column("article", Integer),
    Column("role", String(12), nullable=False),      # lead | responsible | cooperating
    Column("name", Text, nullable=False),
    **CHILD,
)
Index("ix_departments_name", departments.c.name)

items = Table(
    "items", metadata,
    _policy_fk(),
    Column("seq", Integer, primary_key=True),
    Column("article", Integer),
    Column("recipient", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("basis", String(16), nullable=False),
    Column("amount_yuan", Float),
    Column("ratio", Float),
    Column("ratio_min", Float),
    Column("cap_yuan", Float),
    Column("unit", Text),
    Column("period", Text),
    Column("quote", Text),
    Column("quote_start", Integer),
    Column("quote_end", Integer),
    Column("clue", Text),
    **CHILD,
)

conditions = Table(
    "conditions", metadata,
    _policy_fk(),
    Column("item_seq", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("honour", Text),
    Column("level", Text),
    Column("status", Text),
    Column("recipient_type", Text),
    Column("field", Text),
    Column("op", String(4)),
    Column("value", Float),
    Column("unit", Text),
    **CHILD,
)
Index("ix_conditions_honour", conditions.c.honour)

targets = Table(
    "targets", metadata,
    _policy_fk(),
    Column("seq", Integer, primary_key=True),
    Column("year", Integer),
    Column("indicator", Text, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", Text, nullable=False),
    Column("op", String(4), nullable=False),
    Column("article", Integer),
    Column("quote", Text),
    **CHILD,
)

# The documents a policy cites (《title》 number), matched to stored policies when asked.
citations = Table(
    "citations", metadata,
    _policy_fk(),
    Column("seq", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("number", Text),
    **CHILD,
)
Index("ix_citations_title", citations.c.title)
Index("ix_citations_number", citations.c.number)

# Table-wide totals for BM25 on PostgreSQL (FTS5 keeps its own), and the tokenizer the
# index was built with (a new one means rebuilding it); one row, id 1.
index_stats = Table(
    "index_stats", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("n_docs", Integer, nullable=False),
    Column("n_tokens", BigInteger, nullable=False),
    Column("tokenizer", String(32), nullable=False),
    # Bumped by every write to the index: cached document frequencies are keyed by it.
    Column("revision", BigInteger, nullable=False),
)
