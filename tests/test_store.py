"""Storage: a reading saved and loaded is the same reading, on SQLite and PostgreSQL."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from zhengce.library import open_library
from zhengce.model import (
    Article, Chapter, Condition, Item, Policy, Quote, Reference, Source, Tags, Target, Validity,
)
from zhengce.store import alembic_config, open_engine
from zhengce.store.schema import metadata


def make_policy(title: str = "关于支持众创空间发展的若干措施", body: str = "对新认定的国家级众创空间给予50万元奖励。",
                key: str = "a.txt", *, issuer: str | None = "威海市人民政府", published: str | None = "2021-11-01",
                number: str | None = None, tags: Tags = Tags(), items: tuple[Item, ...] = (),
                references: tuple[Reference, ...] = (), supersedes: str | None = None,
                lead: tuple[str, ...] = ()) -> Policy:
    """A small reading built by hand: one chapter, one article holding `body`."""
    text = f"{title}\n一、总则\n1.{body}"
    start = text.index(body) - 2
    article = Article(no=1, title="", label="1.", text=body, start=start, end=len(text), chapter=1, lead=lead)
    return Policy(
        title=title, issuer=issuer, published=published, number=number, addressees=("各区市人民政府",),
        tags=tags, references=references,
        chapters=(Chapter(no=1, title="总则", label="一、", start=len(title) + 1, end=len(text), articles=(1,)),),
        articles=(article,), items=items, targets=(), validity=Validity(supersedes=supersedes), text=text,
        source=Source(path=key, format="txt", encoding="utf-8", sha256="0" * 64),
    )


def make_item(quote: str, text: str, *, amount: float | None = 500000.0, basis: str = "max",
              honour: str | None = "高新技术企业", kind: str = "奖励") -> Item:
    start = text.index(quote)
    conditions = (Condition(kind="honour", text=f"新认定的{honour}", honour=honour, level="国家级",
                            status="新认定"),) if honour else ()
    return Item(article=1, recipient="企业", kind=kind, basis=basis, amount_yuan=amount, cap_yuan=None,
                conditions=conditions, quote=Quote(quote, start, start + len(quote)), clue="最高")


def full_policy() -> Policy:
    """A reading with every part of the model filled in, odd values included."""
    base = make_policy(body="对新认定的高新技术企业给予最高50万元奖励,由市科技局负责。到2025年研发投入强度达到2.85%以上。")
    text = base.text
    item = make_item("给予最高50万元奖励", text)
    ratio_item = Item(article=1, recipient="企业", kind="配套", basis="matching", ratio=1.0, ratio_min=None,
                      cap_yuan=2_000_000, unit=None, period="每年", conditions=(
                          Condition(kind="threshold", text="营业收入不低于1亿元", field="revenue_yuan", op=">=",
                                    value=1e8, unit="元"),
                          Condition(kind="text", text="其他条件见申报指南"),
                      ), quote=None, clue=None)
    target = Target(year=2025, indicator="研发投入强度", value=2.85, unit="%", op=">=", article=1,
                    quote=Quote("达到2.85%以上", text.index("达到2.85%以上"), text.index("达到2.85%以上") + 9))
    article = replace(base.articles[0], lead=("市科技局",), responsible=("市财政局", "市发展改革委"),
                      cooperating=("各区市政府",))
    return replace(
        base, number="威政发〔2021〕12号", articles=(article,), items=(item, ratio_item), targets=(target,),
        tags=Tags(industries=("制造业", "制造业"), sizes=("小微企业",), ownership=("私营企业",), themes=("科技创新",)),
        references=(Reference("威海市新旧动能转换重大工程总体方案", "威发〔2018〕9号", Quote("x", 0, 1)),
                    Reference("无文号的办法")),
        validity=Validity(effective="自发布之日起施行", effective_date="2021-11-01", expiry="有效期至2025年12月31日",
                          expiry_date="2025-12-31", supersedes="此前出台的政策同时废止"),
        source=Source(path="corpus/x.txt", format="html", encoding="gbk", url="https://example.gov.cn/a.html",
                      sha256="f" * 64),
    )


def table_rows(url: str, table: str) -> list[tuple[object, ...]]:
    engine = open_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
    engine.dispose()
    return rows


def test_load_equals_saved(db_url: str) -> None:
    policy = full_policy()
    with open_library(db_url) as lib:
        pid = lib.save(policy, key="k1")
        assert lib.load(pid) == policy


def test_corpus_readings_round_trip(db_url: str, corpus_dir: Path) -> None:
    from zhengce.reader import read_file

    with open_library(db_url) as lib:
        for path in sorted(corpus_dir.glob("*.txt"))[:6] + [corpus_dir / "weihai-2021-keji-chuangxin.txt"]:
            policy = read_file(path)
            assert lib.load(lib.save(policy, key=path.name)) == policy, path.name


def test_model_tables_are_filled(db_url: str) -> None:
    with open_library(db_url) as lib:
        pid = lib.save(full_policy(), key="k1")
    assert table_rows(db_url, "tags") == [(pid, "industry", "制造业"), (pid, "issuer", "威海市人民政府"),
                                          (pid, "ownership", "私营企业"), (pid, "size", "小微企业"),
                                          (pid, "theme", "科技创新"), (pid, "year", "2021")]
    assert [r[3:5] for r in table_rows(db_url, "departments")] == [
        ("lead", "市科技局"), ("responsible", "市财政局"), ("responsible", "市发展改革委"), ("cooperating", "各区市政府")]
    items = table_rows(db_url, "items")
    assert [(r[4], r[5], r[6], r[7], r[9]) for r in items] == [
        ("奖励", "max", 500000.0, None, None), ("配套", "matching", None, 1.0, 2_000_000)]
    assert [(r[1], r[2], r[5]) for r in table_rows(db_url, "conditions")] == [
        (0, 0, "高新技术企业"), (1, 0, None), (1, 1, None)]
    assert [r[2:4] for r in table_rows(db_url, "citations")] == [
        ("威海市新旧动能转换重大工程总体方案", "威发〔2018〕9号"), ("无文号的办法", None)]
    assert [r[3] for r in table_rows(db_url, "targets")] == ["研发投入强度"]
    assert len(table_rows(db_url, "chapters")) == 1 and len(table_rows(db_url, "articles")) == 1


def test_saving_a_key_again_keeps_its_id_and_replaces_everything(db_url: str) -> None:
    first = full_policy()
    second = make_policy(title="关于支持专利的措施", body="对发明专利给予资助。", key="k1")
    with open_library(db_url) as lib:
        other = lib.save(make_policy(key="k0"), key="k0")
        pid = lib.save(first, key="k1")
        assert lib.save(second, key="k1") == pid
        assert lib.load(pid) == second
        assert lib.count() == 2
        assert lib.search("专利").total == 1 and lib.search("高新技术企业").total == 0
        assert lib.search("众创空间").hits[0].policy_id == other
    assert table_rows(db_url, "items") == [] and table_rows(db_url, "citations") == []
    assert [r[1:] for r in table_rows(db_url, "tags") if r[0] == pid] == [("issuer", "威海市人民政府"), ("year", "2021")]
    check_consistent(db_url)


def check_consistent(url: str) -> None:
    """Every policy has one index row and the BM25 totals equal the sum of its parts."""
    engine = open_engine(url)
    index = "policy_fts" if engine.dialect.name == "sqlite" else "search_docs"
    with engine.connect() as conn:
        n, size = conn.execute(sa.text("SELECT count(*), coalesce(sum(index_size), 0) FROM policies")).one()
        assert conn.execute(sa.text("SELECT n_docs, n_tokens FROM index_stats")).one() == (n, size)
        assert conn.execute(sa.text(f"SELECT count(*) FROM {index}")).scalar() == n
        if engine.dialect.name == "sqlite":
            for table in ("search_text", "search_facets", "search_terms"):
                assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == n, table
        for table in ("tags", "chapters", "articles", "items", "conditions", "files", "citations"):
            orphans = conn.execute(sa.text(
                f"SELECT count(*) FROM {table} WHERE policy_id NOT IN (SELECT id FROM policies)")).scalar()
            assert orphans == 0, table
    engine.dispose()


def test_a_failed_save_changes_nothing(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_library(db_url) as lib:
        pid = lib.save(full_policy(), key="k1")
        before = {t: table_rows(db_url, t) for t in ("policies", "items", "conditions", "tags")}

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(lib.repo.index, "insert", broken)
        with pytest.raises(RuntimeError):
            lib.save(make_policy(body="全新的内容", key="k1"), key="k1")
        with pytest.raises(RuntimeError):
            lib.save(make_policy(body="另一份", key="k2"), key="k2")
        assert {t: table_rows(db_url, t) for t in before} == before
        assert lib.load(pid) == full_policy()
    check_consistent(db_url)


def test_delete_removes_a_policy_and_its_rows(db_url: str) -> None:
    with open_library(db_url) as lib:
        keep = lib.save(make_policy(key="k0"), key="k0")
        gone = lib.save(full_policy(), key="k1")
        assert lib.repo.delete(gone) and not lib.repo.delete(gone)
        assert lib.repo.ids() == [keep]
        with pytest.raises(KeyError):
            lib.load(gone)
    check_consistent(db_url)


def test_migrations_match_the_tables_and_run_without_an_ini_file(db_url: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)   # no alembic.ini here
    config = alembic_config(url=db_url)
    command.upgrade(config, "head")
    engine = open_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={
            "include_object": lambda obj, name, *_: not str(name).startswith(("policy_fts", "search_")),
        }), metadata)
        assert diff == []
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0003"
    engine.dispose()
    command.downgrade(config, "base")
    engine = open_engine(db_url)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_an_index_built_by_another_tokenizer_is_rebuilt_on_open(db_url: str) -> None:
    with open_library(db_url) as lib:
        pid = lib.save(full_policy(), key="k1")
        lib.save(make_policy(key="k2"), key="k2")
        with lib.repo.writing() as conn:
            conn.execute(sa.text("UPDATE index_stats SET tokenizer = 'older'"))
    with open_library(db_url) as lib:
        assert lib.search("高新技术企业").hits[0].policy_id == pid
        assert lib.repo.check_tokenizer() is False
        lib.save(make_policy(body="替换后的内容", key="k1"), key="k1")
    check_consistent(db_url)
