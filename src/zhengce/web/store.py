"""The portal's own tables: officers, sessions, captchas, evaluations, applications, rate limits.

They live in the library's database (so one `ZHENGCE_DB` holds everything) but in a
MetaData of their own, prefixed `web_`, created with `create_all`: the library's
Alembic history never sees them and they never touch its tables.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

settings = Table(
    "web_settings", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

officers = Table(
    "web_officers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password", Text, nullable=False),          # auth.hash_password
    Column("created_at", Float, nullable=False),
)

sessions = Table(
    "web_sessions", metadata,
    # sha256 of the cookie: a copied database does not hand out live sessions.
    Column("token_hash", String(64), primary_key=True),
    Column("officer_id", Integer, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", Float, nullable=False),
)

captchas = Table(
    "web_captchas", metadata,
    Column("token", String(64), primary_key=True),
    Column("answer_hash", String(64), nullable=False),
    Column("expires", Float, nullable=False),
)

evaluations = Table(
    "web_evaluations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("policy_id", Integer, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("status", String(16), nullable=False, default="pending"),   # pending | approved | rejected
    Column("client", String(64), nullable=False),      # hashed address: enough to spot a flood
    Column("created_at", Float, nullable=False),
    Column("moderated_by", String(64)),
    Column("moderated_at", Float),
)
Index("ix_web_evaluations_policy", evaluations.c.policy_id, evaluations.c.status)

applications = Table(
    "web_applications", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ref", String(32), nullable=False, unique=True),   # what the applicant quotes to check status
    Column("policy_id", Integer, nullable=False),
    Column("item_seq", Integer, nullable=False),
    Column("applicant", Text, nullable=False),
    Column("contact", Text, nullable=False),
    Column("checklist", Text, nullable=False),          # JSON: condition text → ticked
    Column("note", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False, default="submitted"),
    Column("officer_note", Text, nullable=False, default=""),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

rate_events = Table(
    "web_rate_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(128), nullable=False),
    Column("at", Float, nullable=False),
)
Index("ix_web_rate_events_key_at", rate_events.c.key, rate_events.c.at)

EVALUATION_STATUSES = ("pending", "approved", "rejected")
APPLICATION_STATUSES = ("submitted", "reviewing", "approved", "rejected")


@dataclass(frozen=True, slots=True)
class Session:
    officer_id: int
    officer: str
    csrf: str


class WebStore:
    """The portal's rows in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        # `write` makes the library's SQLite hook start with BEGIN IMMEDIATE: two workers
        # upgrading read locks at once would otherwise fail with "database is locked".
        with self.engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    # --- settings ------------------------------------------------------------------------

    def secret(self) -> str:
        """The signing key shared by every worker on this database, made on first use."""
        with self.writing() as conn:
            value = conn.execute(select(settings.c.value).where(settings.c.name == "secret")).scalar()
            if value is None:
                value = secrets.token_hex(32)
                conn.execute(insert(settings).values(name="secret", value=value))
        return str(value)

    # --- officers and sessions -------------------------------------------------------------

    def add_officer(self, name: str, password_hash: str) -> int:
        """Create an officer, or replace the password of an existing one."""
        with self.writing() as conn:
            old = conn.execute(select(officers.c.id).where(officers.c.name == name)).scalar()
            if old is not None:
                conn.execute(update(officers).where(officers.c.id == old).values(password=password_hash))
                return int(old)
            return int(conn.execute(insert(officers).values(name=name, password=password_hash,
                                                            created_at=time.time())).inserted_primary_key[0])

    def officer_password(self, name: str) -> tuple[int, str] | None:
        with self.reading() as conn:
            row = conn.execute(select(officers.c.id, officers.c.password).where(officers.c.name == name)).first()
        return (int(row.id), str(row.password)) if row else None

    def officer_count(self) -> int:
        with self.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(officers)).scalar_one())

    def open_session(self, officer_id: int, ttl: float) -> tuple[str, str]:
        """A new session: (cookie token, CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.writing() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires < time.time()))
            conn.execute(insert(sessions).values(token_hash=_sha(token), officer_id=officer_id, csrf=csrf,
                                                 expires=time.time() + ttl))
        return token, csrf

    def session(self, token: str) -> Session | None:
        with self.reading() as conn:
            row = conn.execute(
                select(sessions.c.officer_id, sessions.c.csrf, officers.c.name)
                .join(officers, officers.c.id == sessions.c.officer_id)
                .where(sessions.c.token_hash == _sha(token), sessions.c.expires > time.time())).first()
        return Session(int(row.officer_id), str(row.name), str(row.csrf)) if row else None

    def close_session(self, token: str) -> None:
        with self.writing() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == _sha(token)))

    # --- captchas ------------------------------------------------------------------------

    def add_captcha(self, answer_of: Callable[[str], str], ttl: float) -> str:
        """A new live captcha token; `answer_of(token)` is its answer, kept only as a hash."""
        token = secrets.token_urlsafe(18)
        now = time.time()
        with self.writing() as conn:
            conn.execute(delete(captchas).where(captchas.c.expires < now))
            conn.execute(insert(captchas).values(token=token, answer_hash=_sha(answer_of(token).lower()),
                                                 expires=now + ttl))
        return token

    def captcha_live(self, token: str) -> bool:
        with self.reading() as conn:
            return conn.execute(select(captchas.c.token)
                                .where(captchas.c.token == token, captchas.c.expires > time.time())).first() is not None

    def use_captcha(self, token: str, answer: str) -> bool:
        """Check an answer; the captcha is spent either way, so guessing needs a new image each time."""
        with self.writing() as conn:
            row = conn.execute(select(captchas.c.answer_hash, captchas.c.expires)
                               .where(captchas.c.token == token)).first()
            conn.execute(delete(captchas).where(captchas.c.token == token))
        if row is None or row.expires < time.time():
            return False
        return secrets.compare_digest(str(row.answer_hash), _sha(answer.strip().lower()))

    # --- rate limits ---------------------------------------------------------------------

    def allow(self, key: str, limit: int, window: float) -> bool:
        """Record one event under `key` unless `limit` happened within `window` seconds."""
        now = time.time()
        with self.writing() as conn:
            conn.execute(delete(rate_events).where(rate_events.c.key == key, rate_events.c.at < now - window))
            n = conn.execute(select(func.count()).select_from(rate_events)
                             .where(rate_events.c.key == key)).scalar_one()
            if n >= limit:
                return False
            conn.execute(insert(rate_events).values(key=key, at=now))
        return True

    # --- evaluations ---------------------------------------------------------------------

    def add_evaluation(self, policy_id: int, rating: int, title: str, content: str, client: str) -> int:
        with self.writing() as conn:
            return int(conn.execute(insert(evaluations).values(
                policy_id=policy_id, rating=rating, title=title, content=content, status="pending",
                client=client, created_at=time.time())).inserted_primary_key[0])

    def evaluations(self, policy_id: int | None = None, status: str | None = None,
                    limit: int = 200) -> list[dict[str, Any]]:
        e = evaluations.c
        stmt = select(e.id, e.policy_id, e.rating, e.title, e.content, e.status, e.created_at,
                      e.moderated_by).order_by(e.id.desc()).limit(limit)
        if policy_id is not None:
            stmt = stmt.where(e.policy_id == policy_id)
        if status is not None:
            stmt = stmt.where(e.status == status)
        with self.reading() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def rating(self, policy_id: int) -> tuple[float | None, int]:
        """Mean rating and count of the approved evaluations of a policy."""
        e = evaluations.c
        with self.reading() as conn:
            row = conn.execute(select(func.avg(e.rating), func.count())
                               .where(e.policy_id == policy_id, e.status == "approved")).first()
        return (float(row[0]) if row and row[0] is not None else None, int(row[1]) if row else 0)

    def moderate(self, evaluation_id: int, status: str, officer: str) -> bool:
        if status not in EVALUATION_STATUSES:
            raise ValueError(f"status must be one of {', '.join(EVALUATION_STATUSES)}; got {status!r}")
        with self.writing() as conn:
            done = conn.execute(update(evaluations).where(evaluations.c.id == evaluation_id)
                                .values(status=status, moderated_by=officer, moderated_at=time.time()))
        return bool(done.rowcount)

    # --- applications --------------------------------------------------------------------

    def add_application(self, policy_id: int, item_seq: int, applicant: str, contact: str,
                        checklist: dict[str, bool], note: str) -> str:
        now = time.time()
        for _ in range(5):
            ref = "SQ" + time.strftime("%Y%m%d") + secrets.token_hex(4).upper()
            try:
                with self.writing() as conn:
                    conn.execute(insert(applications).values(
                        ref=ref, policy_id=policy_id, item_seq=item_seq, applicant=applicant, contact=contact,
                        checklist=json.dumps(checklist, ensure_ascii=False), note=note, status="submitted",
                        officer_note="", created_at=now, updated_at=now))
                return ref
            except IntegrityError:  # a reference drawn twice: draw again
                continue
        raise RuntimeError("could not draw a unique application reference")

    def applications(self, ref: str | None = None, status: str | None = None,
                     limit: int = 500) -> list[dict[str, Any]]:
        a = applications.c
        stmt = select(applications).order_by(a.id.desc()).limit(limit)
        if ref is not None:
            stmt = stmt.where(a.ref == ref)
        if status is not None:
            stmt = stmt.where(a.status == status)
        with self.reading() as conn:
            rows = [dict(r) for r in conn.execute(stmt).mappings()]
        for r in rows:
            r["checklist"] = json.loads(r["checklist"])
        return rows

    def set_application_status(self, application_id: int, status: str, officer_note: str) -> bool:
        if status not in APPLICATION_STATUSES:
            raise ValueError(f"status must be one of {', '.join(APPLICATION_STATUSES)}; got {status!r}")
        with self.writing() as conn:
            done = conn.execute(update(applications).where(applications.c.id == application_id)
                                .values(status=status, officer_note=officer_note, updated_at=time.time()))
        return bool(done.rowcount)

    def application_counts(self, policy_ids: Sequence[int] | None = None) -> dict[str, int]:
        a = applications.c
        stmt = select(a.status, func.count()).group_by(a.status)
        if policy_ids is not None:
            stmt = stmt.where(a.policy_id.in_(list(policy_ids)))
        with self.reading() as conn:
            return {str(s): int(n) for s, n in conn.execute(stmt)}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
