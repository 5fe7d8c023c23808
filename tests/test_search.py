"""Search: Chinese words found exactly, ranked alike on both backends, facets, snippets, safety."""
from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from test_store import make_item, make_policy
from zhengce.cli_library import register
from zhengce.export import amount_text, write_items, write_library
from zhengce.library import Library, open_library
from zhengce.model import Reference, Tags
from zhengce.search import _phrase, parse_query, segment_text, sketch_cell, token_text, tokens, top_terms
from zhengce.store import fulltext


@pytest.mark.parametrize("text,expected", [
    ("专利", ["专利", "利"]),
    ("众创空间", ["众创", "创空", "空间", "间"]),
    ("税", ["税"]),
    ("ＡＩ大模型，5G", ["ai", "大模", "模型", "型", "5g"]),
    ("奖励😀<script>", ["奖励", "励", "script"]),
    ("", []),
])
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize("query,expected", [
    ("专利", ['"专利"']),
    ("众创空间 奖励", ['"众创 创空 空间"', '"奖励"']),
    ("税", ['"税"*']),
    ("5G基站", ['"5g 基站"']),
    ("基站5G", ['"基站 站 5g"']),
    ("高新技术企业奖励", ['"高新 新技 技术 术企 企业"', '"奖励"']),
    ('"专利" AND NOT 奖励*', ['"专利"', '"and"', '"not"', '"奖励"']),
    ("专利 专利", ['"专利"']),
    ("😀 ; -- ''", []),
])
def test_parse_query(query: str, expected: list[str]) -> None:
    assert [p.fts5() for p in parse_query(query).phrases] == expected


@pytest.mark.parametrize("seed", range(4))
def test_phrases_count_alike_in_segment_and_token_texts(seed: int) -> None:
    """SQLite ranks small matches by counting in segment texts: every count must be the token text's."""
    rng = random.Random(seed)
    letters = list("哈哈哈众创空间专利奖励税甲乙") + list("ab5g") + [" ", "，", "Ａ", "５", "\n"]
    for _ in range(3000):
        doc = "".join(rng.choice(letters) for _ in range(rng.randint(0, 60)))
        assert token_text(segment_text(doc)) == token_text(doc)
        tokens_text, segments = token_text(doc).encode(), segment_text(doc).encode()
        packed = b"x\x1f" + segments + b"\x1fy"      # a column between others, as stored
        start = rng.randint(0, len(doc))
        # Pieces of the document itself (so they occur), long ones cut at MAX_PHRASE_TOKENS, and any text.
        chunks = [doc[start:start + rng.randint(1, 40)].replace(" ", ""),
                  "".join(rng.choice(letters) for _ in range(rng.randint(1, 8)))]
        phrases = [p for c in chunks if c and (p := _phrase(c)) is not None]
        phrases += parse_query(chunks[1]).phrases
        for phrase in phrases:
            expected = tokens_text.count(phrase.pattern().encode())
            assert phrase.in_segments().count(packed, 2, 2 + len(segments)) == expected, (doc, phrase)


@pytest.mark.parametrize("seed", range(4))
def test_kept_bigrams_bound_the_hits_of_every_phrase(seed: int) -> None:
    """A policy's most frequent bigrams (and the floor under the rest) bound any phrase's weighted hits."""
    rng = random.Random(seed)
    letters = list("哈哈哈众创空间专利奖励甲乙丙丁") + ["\U00020000", "\U00020001", "，", " "]
    for _ in range(500):
        texts = ["".join(rng.choice(letters) for _ in range(rng.randint(0, n))) for n in (12, 200, 60)]
        token_texts = tuple(token_text(t) for t in texts)
        keep = rng.randint(1, 12)
        terms, floor, sketch = top_terms(token_texts, keep, cells=rng.choice([1, 4, 64]))  # type: ignore[arg-type]
        assert len(terms) <= keep
        packed = "\x1f".join(segment_text(t) for t in texts).encode()
        start = rng.randint(0, len(texts[1]))
        for chunk in (texts[1][start:start + rng.randint(2, 6)], "".join(rng.sample(letters[:-2], 2))):
            query = parse_query(chunk)
            if not query or not fulltext._boundable(query):
                continue
            hits = fulltext._hits_counter(query, ("title", "body", "items"))(packed)
            keys = [[(fulltext._term_key(t), sketch_cell(t, len(sketch))) for t in p.tokens] for p in query.phrases]
            bounds = [fulltext.hits_bound(*fulltext.pack_terms(terms), sketch, floor, k) for k in keys]
            assert all(h <= b for h, b in zip(hits, bounds)), (texts, chunk, hits, bounds, terms, floor)


def test_a_sketch_cell_past_255_leaves_the_bound_to_the_floor() -> None:
    terms, floor, sketch = top_terms(("", token_text("专利，" * 300 + "奖励，" * 400 + "人才"), ""), keep=1, cells=1)
    assert (terms, floor, sketch) == ((("奖励", 400),), 300, b"\xff")
    bound = fulltext.hits_bound(*fulltext.pack_terms(terms), sketch, floor, [(fulltext._term_key("专利"), 0)])
    assert bound == 300


def test_bounds_rank_as_counting_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ranking by bounds gives every page, total and facet count that counting every match gives,
    while counting the words of fewer policies.
    """
    rng = random.Random(5)
    words = ["专利", "奖励", "众创空间", "人才", "补贴", "高新技术企业"]
    with open_library(f"sqlite:///{tmp_path / 'b.db'}") as lib:
        for n in range(120):
            body = "。".join(rng.choice(words) + "政策" * rng.randint(0, 3) for _ in range(rng.randint(1, 30)))
            tags = Tags(themes=(rng.choice(["科技创新", "人才"]),))
            lib.save(make_policy(f"第{n}号{rng.choice(words)}办法", body, f"p{n}", tags=tags), f"p{n}")
        counted: list[int] = []
        counter = fulltext._hits_counter

        def counting(*args):  # type: ignore[no-untyped-def]
            count = counter(*args)

            def wrapped(data: bytes) -> list[float]:
                counted.append(1)
                return count(data)
            return wrapped

        monkeypatch.setattr(fulltext, "_hits_counter", counting)
        pruned = 0
        for query in ["专利", "奖励 人才", "众创空间 补贴", "高新技术企业", "政策 专利 奖励"]:
            for filters in ({}, {"theme": ["人才"]}):
                for offset, limit in ((0, 1), (0, 3), (2, 5), (10, 10), (0, 200)):
                    pages = []
                    for path in ("python", "bounded"):
                        lib.repo.index.path = path
                        counted.clear()
                        pages.append(lib.search(query, filters, limit=limit, offset=offset))
                        reads = len(counted)
                    lib.repo.index.path = "auto"
                    python, bounded = pages
                    assert [(h.policy_id, h.score) for h in bounded.hits] == [(h.policy_id, h.score) for h in python.hits]
                    assert (bounded.total, bounded.facets) == (python.total, python.facets)
                    if limit < 10 and python.total > 50:
                        assert reads < python.total / 2, (query, reads, python.total)
                        pruned += 1
        assert pruned >= 10


def small_library(url: str) -> Library:
    lib = open_library(url)
    lib.save(make_policy("关于支持众创空间发展的若干措施", "对新认定的国家级众创空间给予50万元奖励,专利奖励另计。", "a",
                         tags=Tags(industries=("制造业",), themes=("科技创新",)), published="2021-03-01"), "a")
    lib.save(make_policy("专利资助办法", "对发明专利给予资助,每件最高1万元。众创,空间不在此列。", "b",
                         tags=Tags(industries=("制造业", "金融业"), themes=("知识产权",)), published="2019-05-01",
                         issuer="东莞市科学技术局"), "b")
    lib.save(make_policy("税收优惠政策", "符合条件的小微企业减免个税,5G基站建设给予奖励。", "c",
                         tags=Tags(themes=("科技创新",)), published="2021-08-08"), "c")
    return lib


@pytest.mark.parametrize("query,titles", [
    ("专利", ["专利资助办法", "关于支持众创空间发展的若干措施"]),
    ("奖励", ["关于支持众创空间发展的若干措施", "税收优惠政策"]),
    ("众创空间", ["关于支持众创空间发展的若干措施"]),       # not 众创,空间 split by a comma
    ("众创空间 专利", ["关于支持众创空间发展的若干措施"]),
    ("税", ["税收优惠政策"]),                                # one character: 税收, 个税
    ("5g", ["税收优惠政策"]),
    ("５Ｇ基站", ["税收优惠政策"]),
    ("专利资助", ["专利资助办法"]),
    ("资助专利", []),
])
def test_words_are_found_exactly(db_url: str, query: str, titles: list[str]) -> None:
    with small_library(db_url) as lib:
        result = lib.search(query)
    assert sorted(h.title for h in result.hits) == sorted(titles)
    assert result.total == len(titles)


def test_facet_filters_and_counts(db_url: str) -> None:
    with small_library(db_url) as lib:
        everything = lib.search("给予")
        assert everything.total == 3
        assert everything.facets["industry"] == [("制造业", 2), ("金融业", 1)]
        assert everything.facets["theme"] == [("科技创新", 2), ("知识产权", 1)]
        assert everything.facets["year"] == [("2021", 2), ("2019", 1)]
        assert everything.facets["issuer"] == [("威海市人民政府", 2), ("东莞市科学技术局", 1)]
        two = lib.search("给予", {"theme": ["科技创新"], "year": ["2021"]})
        assert {h.title for h in two.hits} == {"关于支持众创空间发展的若干措施", "税收优惠政策"}
        assert two.facets["theme"] == [("科技创新", 2)]
        assert lib.search("给予", {"industry": ["制造业"], "issuer": ["东莞市科学技术局"]}).total == 1
        assert lib.search("给予", {"theme": ["科技创新", "知识产权"]}).total == 3
        assert lib.search("给予", {"year": ["1999"]}).total == 0


def test_snippet_highlights_the_words_in_the_matching_article(db_url: str) -> None:
    with small_library(db_url) as lib:
        hit = lib.search("国家级 奖励").hits[0]
        policy = lib.load(hit.policy_id)
    assert hit.article_no == 1
    marked = [hit.snippet.text[s:e] for s, e in hit.snippet.highlights]
    assert marked == ["国家级", "奖励", "奖励"]
    start = hit.snippet.start
    assert policy.text[start:start + len(hit.snippet.text)] == hit.snippet.text   # cut from the original


def test_results_page_and_rank_by_bm25(db_url: str) -> None:
    with open_library(db_url) as lib:
        for n in range(1, 6):
            lib.save(make_policy(f"第{n}号文件", "科技" + "专利" * n + "。", f"k{n}"), f"k{n}")
        lib.save(make_policy("专利", "无关内容。", "t"), "t")
        ranked = lib.search("专利", limit=10)
        assert [h.title for h in ranked.hits][:1] == ["专利"]      # the title weighs four times
        assert [h.title for h in ranked.hits[1:]] == [f"第{n}号文件" for n in (5, 4, 3, 2, 1)]
        page = lib.search("专利", limit=2, offset=2)
        assert [h.policy_id for h in page.hits] == [h.policy_id for h in ranked.hits[2:4]]
        assert page.total == 6


HOSTILE = [
    '"', "'", '""""', "专利\"", 'NEAR(专利 奖励)', "专利 OR 奖励", "专利 AND", "NOT 专利", "专利*", "^专利",
    "title:专利", "{title body}: 专利", "(专利", "专利)", "-专利", "+", "'; DROP TABLE policies; --",
    "1' OR '1'='1", "%", "_", "\\", "\x00专利", "😀", "专利😀奖励", "🇨🇳 专利", "专" * 10_000,
    "专利 " * 5_000, "\u200b\ufeff", "a" * 10_000, "<专利>", "<script>alert(1)</script>", "\n\t", "",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_are_answered_safely(db_url: str, query: str) -> None:
    with small_library(db_url) as lib:
        result = lib.search(query, {"industry": [query[:50]]})
        unfiltered = lib.search(query)
        assert result.total <= unfiltered.total <= 3
        lib.items(query)
        assert lib.count() == 3 and lib.search("专利").total == 2


def test_items_side_by_side_across_policies(db_url: str) -> None:
    with open_library(db_url) as lib:
        for key, body, quote, amount in (
            ("w", "对新认定的高新技术企业给予最高50万元奖励。", "给予最高50万元奖励", 500000.0),
            ("d", "对首次认定的高新技术企业一次性奖励20万元。", "一次性奖励20万元", 200000.0),
            ("z", "对认定的众创空间给予100万元补助。", "给予100万元补助", 1000000.0),
        ):
            text = make_policy(body=body, key=key).text
            item = make_item(quote, text, amount=amount,
                             honour="众创空间" if key == "z" else "高新技术企业",
                             kind="补助" if key == "z" else "奖励")
            lib.save(make_policy(title=f"{key}市科技政策", body=body, key=key, items=(item,)), key)
        found = lib.items("高新技术企业 奖励")
    assert sorted((i.policy_title, i.amount_yuan) for i in found) == [("d市科技政策", 200000.0), ("w市科技政策", 500000.0)]
    assert {amount_text(i) for i in found} == {"最高50万元", "最高20万元"}
    assert all(i.conditions for i in found)


def test_related_policies(db_url: str) -> None:
    with open_library(db_url) as lib:
        base = lib.save(make_policy("威海市科技创新实施意见", "支持众创空间建设和专利转化。", "base", number="威政发〔2021〕1号",
                                    lead=("市科技局",)), "base")
        cited = lib.save(make_policy("威海市新旧动能转换重大工程总体方案", "总体方案。", "cited",
                                     number="威发〔2018〕9号"), "cited")
        citing = lib.save(make_policy("某区落实意见", "根据文件精神。", "citing",
                                      references=(Reference("威海市科技创新实施意见"),)), "citing")
        old = lib.save(make_policy("旧版科技政策", "内容。", "old"), "old")
        new = lib.save(make_policy("新版科技政策", "内容。", "new", supersedes="《旧版科技政策》同时废止"), "new")
        dept = lib.save(make_policy("人才政策", "人才引进。", "dept", lead=("市科技局",)), "dept")
        similar = lib.save(make_policy("众创空间专项", "众创空间建设与专利转化奖励。", "sim"), "sim")
        lib.save(replace_refs(lib, base, (Reference("威海市新旧动能转换重大工程总体方案", "威发〔2018〕9号"),)), "base")
        by_id = {r.policy_id: r for r in lib.related(base)}
        assert any("引用" in why for why in by_id[cited].reasons)
        assert "被其引用" in by_id[citing].reasons
        assert any("共同部门" in why for why in by_id[dept].reasons)
        assert any("内容相近" in why for why in by_id[similar].reasons)
        assert base not in by_id
        assert any("废止" in why for why in next(r for r in lib.related(old) if r.policy_id == new).reasons)
        assert any("废止" in why for why in next(r for r in lib.related(new) if r.policy_id == old).reasons)


def replace_refs(lib: Library, pid: int, refs: tuple[Reference, ...]):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(lib.load(pid), references=refs)


def test_exports(db_url: str) -> None:
    with open_library(db_url) as lib:
        text = make_policy(body="对新认定的高新技术企业给予最高50万元奖励。").text
        pid = lib.save(make_policy(body="对新认定的高新技术企业给予最高50万元奖励。",
                                   items=(make_item("给予最高50万元奖励", text),)), "a")
        out = io.StringIO()
        assert write_items(lib.items("奖励"), out, "csv") == 1
        row = next(csv.DictReader(io.StringIO(out.getvalue())))
        assert row["amount"] == "最高50万元" and row["conditions"] == "新认定的高新技术企业"
        out = io.StringIO()
        write_items(lib.items("奖励"), out, "json")
        assert json.loads(out.getvalue())[0]["conditions"] == ["新认定的高新技术企业"]
        out = io.StringIO()
        assert write_library(lib, out) == 1
        assert json.loads(out.getvalue()) == [json.loads(json.dumps({"id": pid, **lib.load(pid).to_dict()}))]


def test_cli_commands(db_url: str, corpus_dir: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    runner = CliRunner()
    first = corpus_dir / "weihai-2021-keji-chuangxin.txt"
    result = runner.invoke(app, ["ingest", str(first), str(tmp_path / "missing.txt"), "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["failed"], summary["policies"]) == (1, 1, 1)
    result = runner.invoke(app, ["search", "众创空间", "--theme", "科技创新", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["total"] == 1 and "众创空间" in found["hits"][0]["snippet"]
    result = runner.invoke(app, ["search", "众创空间", "--db", db_url])
    assert result.exit_code == 0 and "威海市" in result.stdout
    result = runner.invoke(app, ["search", "x", "--year", "twenty", "--db", db_url])
    assert result.exit_code == 1 and "year must be digits" in result.output
    result = runner.invoke(app, ["export", "policy", "1", "--db", db_url, "-o", str(tmp_path / "p.json")])
    assert result.exit_code == 0 and json.loads((tmp_path / "p.json").read_text())["id"] == 1
    result = runner.invoke(app, ["related", "99", "--db", db_url])
    assert result.exit_code == 1 and "no policy with id 99" in result.output


@pytest.fixture(scope="module")
def both_backends(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    corpus = Path(__file__).parent.parent / "corpus"
    pg = request.getfixturevalue("pg_database")
    import psycopg

    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS same_order CASCADE")
        conn.execute("CREATE SCHEMA same_order")
    libs = [open_library(f"sqlite:///{tmp_path_factory.mktemp('order') / 'l.db'}"),
            open_library(f"{pg}?options=-csearch_path%3Dsame_order")]
    for lib in libs:
        assert not lib.ingest([corpus]).failed
        for n in range(30):   # repeated clauses: many equal scores, broken by id alike
            lib.save(make_policy(f"第{n % 7}号专利政策", "专利奖励。" * (n % 4 + 1) + "众创空间。" * (n % 3), f"s{n}"), f"s{n}")
    yield libs
    for lib in libs:
        lib.close()


@pytest.mark.parametrize("query", ["专利", "奖励", "众创空间", "高新技术企业 奖励", "融资担保", "人才", "税", "企业",
                                   "科技 创新 企业 支持", "ai", "5g", "补贴 小微企业", "专精特新中小企业奖励"])
def test_sqlite_and_postgresql_give_the_same_order(both_backends, query: str) -> None:  # type: ignore[no-untyped-def]
    sqlite, postgres = both_backends
    a, b = sqlite.search(query, limit=50), postgres.search(query, limit=50)
    assert a.total == b.total
    assert [h.policy_id for h in a.hits] == [h.policy_id for h in b.hits]
    assert [h.score for h in a.hits] == [h.score for h in b.hits]       # to the bit
    assert a.facets == b.facets
    assert [i.policy_id for i in sqlite.items(query)] == [i.policy_id for i in postgres.items(query)]
    # SQLite ranks by counting in packed texts or with FTS5's bm25(), whichever is cheaper: same scores.
    for path in ("python", "bounded", "bm25"):
        sqlite.repo.index.path = path
        try:
            c = sqlite.search(query, limit=50)
        finally:
            sqlite.repo.index.path = "auto"
        assert [(h.policy_id, h.score) for h in c.hits] == [(h.policy_id, h.score) for h in b.hits], path
        assert (c.total, c.facets) == (b.total, b.facets), path
    assert [r.policy_id for r in sqlite.related(1, 20)] == [r.policy_id for r in postgres.related(1, 20)]


def test_ranking_follows_writes(db_url: str) -> None:
    """Cached document frequencies are dropped when the index changes."""
    with small_library(db_url) as lib:
        before = lib.search("专利")
        for n in range(5):
            lib.save(make_policy(f"专利政策{n}", "专利。" * (n + 1), f"n{n}"), f"n{n}")
        after = lib.search("专利", limit=20)
        assert after.total == before.total + 5
        with open_library(db_url) as fresh:      # no cache at all
            again = fresh.search("专利", limit=20)
        assert [(h.policy_id, h.score) for h in after.hits] == [(h.policy_id, h.score) for h in again.hits]
