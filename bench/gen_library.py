"""A synthetic policy library for benchmarks: real clauses of the corpus, recombined.

Each synthetic policy takes 3–8 real articles (with their items, conditions and
departments) from the readings of the bundled corpus, under a generated title,
issuer, date and tags, and may cite or repeal an earlier synthetic policy. The
text is real policy prose, so tokens, phrase frequencies and item amounts behave
as in a real library; the same seed gives the same library.

Run: python bench/gen_library.py sqlite:///synthetic.db --count 100000
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from typing import TYPE_CHECKING

from zhengce.model import Article, Chapter, Item, Policy, Quote, Reference, Source, Tags, Validity
from zhengce.store.repository import Prepared, prepare

if TYPE_CHECKING:
    from zhengce.library import Library

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

CITIES = ("威海市", "青岛市", "济南市", "烟台市", "东莞市", "广州市", "深圳市", "佛山市", "杭州市", "宁波市",
          "苏州市", "无锡市", "南京市", "合肥市", "武汉市", "长沙市", "成都市", "重庆市", "西安市", "郑州市",
          "北京市海淀区", "上海市徐汇区", "上海市浦东新区", "天津市滨海新区", "厦门市", "福州市", "南昌市",
          "昆明市", "贵阳市", "南宁市", "石家庄市", "太原市", "沈阳市", "大连市", "长春市", "哈尔滨市",
          "胶州市", "柳河县", "昆山市", "义乌市")
DEPARTMENTS = ("人民政府", "人民政府办公室", "科学技术局", "工业和信息化局", "财政局", "发展和改革委员会",
               "人力资源和社会保障局", "商务局", "农业农村局", "地方金融监督管理局", "市场监督管理局")
TOPICS = ("加快科技创新", "支持中小企业发展", "促进高新技术产业发展", "推动人工智能产业发展", "支持众创空间建设",
          "加强知识产权保护和运用", "促进科技成果转化", "支持企业研发投入", "推动制造业高质量发展",
          "加快现代物流业发展", "支持高校毕业生就业创业", "促进外贸稳定增长", "加快发展现代农业",
          "推进人才集聚", "支持专精特新企业发展", "发挥政府性融资担保作用", "推动数字经济发展")
KINDS = ("实施意见", "若干措施", "管理办法", "实施细则", "若干政策", "行动方案", "扶持办法")
INDUSTRIES = ("农、林、牧、渔业", "采矿业", "制造业", "电力、热力、燃气及水生产和供应业", "建筑业",
              "批发和零售业", "交通运输、仓储和邮政业", "住宿和餐饮业", "信息传输、软件和信息技术服务业",
              "金融业", "房地产业", "租赁和商务服务业", "科学研究和技术服务业", "水利、环境和公共设施管理业",
              "居民服务、修理和其他服务业", "教育", "卫生和社会工作", "文化、体育和娱乐业",
              "公共管理、社会保障和社会组织")
SIZES = ("大型企业", "中型企业", "小微企业")
OWNERSHIP = ("私营企业", "国有企业", "集体企业", "外商投资企业", "联营企业", "其他")
THEMES = ("科技创新", "人才", "财政金融", "产业发展", "知识产权", "就业创业", "外贸", "现代农业", "数字经济",
          "中小企业", "物流", "招商引资")
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class Clause:
    """One real article with the items read from it."""

    article: Article
    items: tuple[Item, ...]


def corpus_clauses(corpus: Path = CORPUS) -> list[Clause]:
    """The articles of every corpus reading (a reading without articles gives its paragraphs)."""
    from zhengce.reader import read_file

    clauses: list[Clause] = []
    for path in sorted(corpus.glob("*.txt")):
        policy = read_file(path)
        for a in policy.articles:
            if len(a.text) >= 20:
                clauses.append(Clause(a, tuple(i for i in policy.items if i.article == a.no)))
        if not policy.articles:
            for para in policy.text.split("\n"):
                if len(para.strip()) >= 40:
                    clauses.append(Clause(Article(0, "", "", para.strip(), 0, 0), ()))
    return clauses


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2010, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _some(rng: random.Random, values: tuple[str, ...], everything: float, most: int) -> tuple[str, ...]:
    # Portal pages often tick every box (all 19 industries); the rest name a few.
    if rng.random() < everything:
        return values
    return tuple(sorted(rng.sample(values, rng.randint(1, most)), key=values.index))


def synthetic_policy(n: int, clauses: list[Clause], seed: int = 2026) -> Policy:
    """Synthetic policy number `n` (deterministic in `n` and `seed`)."""
    rng = random.Random(seed * 1_000_003 + n)
    city, dept, title = _title(rng)
    published = _date(rng)
    parts = [title, "\n", f"{city}各有关单位：\n"]
    at = sum(map(len, parts))
    articles: list[Article] = []
    items: list[Item] = []
    chosen = rng.sample(clauses, rng.randint(3, 8))
    chapter_at = at
    parts.append("一、政策措施\n")
    at += len(parts[-1])
    for no, clause in enumerate(chosen, 1):
        label = f"{no}."
        body = clause.article.text
        start = at + len(label)
        parts += [label, body, "\n"]
        articles.append(replace(clause.article, no=no, label=label, start=start, end=start + len(body), chapter=1))
        at += len(label) + len(body) + 1
        scale = rng.choice((0.5, 1.0, 1.0, 2.0, 3.0))
        for item in clause.items:
            quote = item.quote
            if quote is not None:
                found = body.find(quote.text)
                quote = Quote(quote.text, start + found, start + found + len(quote.text)) if found >= 0 else None
            items.append(replace(item, article=no, quote=quote,
                                 amount_yuan=None if item.amount_yuan is None else item.amount_yuan * scale))
    text = "".join(parts)
    references = tuple(Reference(_title_of(m, seed))
                       for m in rng.sample(range(max(n - 500, 0), n), min(n, rng.randint(0, 2))))
    supersedes = f"《{_title_of(n - 1, seed)}》同时废止" if n and rng.random() < 0.1 else None
    return Policy(
        title=title, issuer=f"{city}{dept}", published=published,
        number=f"{city[:1]}政发〔{published[:4]}〕{n % 97 + 1}号", addressees=(f"{city}各有关单位",),
        tags=Tags(industries=_some(rng, INDUSTRIES, 0.3, 3), sizes=_some(rng, SIZES, 0.5, 2),
                  ownership=_some(rng, OWNERSHIP, 0.5, 3), themes=_some(rng, THEMES, 0.0, 2)),
        references=references,
        chapters=(Chapter(1, "政策措施", "一、", chapter_at, len(text), tuple(range(1, len(articles) + 1))),),
        articles=tuple(articles), items=tuple(items), targets=(), validity=Validity(supersedes=supersedes),
        text=text, source=Source(path=f"synthetic/{n}.txt", format="txt", encoding="utf-8",
                                 url=f"https://example.gov.cn/policy/{n}.html"),
    )


def _title(rng: random.Random) -> tuple[str, str, str]:
    city, dept = rng.choice(CITIES), rng.choice(DEPARTMENTS)
    title = f"{city}{dept}关于{rng.choice(TOPICS)}的{rng.choice(KINDS)}"
    if rng.random() < 0.3:
        title = title.replace("关于", f"{rng.randint(2010, 2025)}年关于", 1)
    return city, dept, title


def _title_of(n: int, seed: int) -> str:
    """The title of synthetic policy `n` (its generator's first draws), so citations resolve."""
    return _title(random.Random(seed * 1_000_003 + n))[2]


def synthetic_policies(start: int, stop: int, clauses: list[Clause], seed: int = 2026) -> Iterator[tuple[str, Policy]]:
    """(key, policy) for synthetic numbers start … stop-1."""
    for n in range(start, stop):
        yield f"synthetic/{n}", synthetic_policy(n, clauses, seed)


_CLAUSES: list[Clause] = []


def _prepared(span: tuple[int, int, int]) -> list[Prepared]:
    # Runs in a worker process: the rows of synthetic policies start … stop-1.
    if not _CLAUSES:
        _CLAUSES.extend(corpus_clauses())
    start, stop, seed = span
    return [prepare(key, policy) for key, policy in synthetic_policies(start, stop, _CLAUSES, seed)]


def generate(lib: Library, count: int, start: int = 0, seed: int = 2026, batch: int = 500,
             workers: int | None = None) -> float:
    """Add synthetic policies start … start+count-1 to a library; returns the seconds it took.

    Worker processes make the rows while this one inserts them: on two cores that
    overlaps Python's share (JSON, zlib, tokens) with SQLite's or PostgreSQL's.
    """
    workers = workers if workers is not None else max(1, (os.cpu_count() or 2) - 1)
    spans = [(n, min(n + batch, start + count), seed) for n in range(start, start + count, batch)]
    began = time.perf_counter()
    if workers == 0:
        for span in spans:
            lib.repo.insert_prepared(_prepared(span))
        return time.perf_counter() - began
    with ProcessPoolExecutor(workers) as pool:
        pending: deque[Future[list[Prepared]]] = deque()
        todo = iter(spans)
        for span in todo:   # a bounded window: never more than a few batches in memory
            pending.append(pool.submit(_prepared, span))
            if len(pending) > 2 * workers:
                lib.repo.insert_prepared(pending.popleft().result())
        while pending:
            lib.repo.insert_prepared(pending.popleft().result())
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="Library URL, e.g. sqlite:///synthetic.db or postgresql://postgres@127.0.0.1/bench")
    parser.add_argument("--count", type=int, default=10_000, help="How many synthetic policies (default 10000).")
    parser.add_argument("--start", type=int, default=0, help="First synthetic number (to extend a library).")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=None, help="Processes making rows (default: cores - 1).")
    args = parser.parse_args()

    from zhengce.library import open_library

    with open_library(args.db) as lib:
        seconds = generate(lib, args.count, args.start, args.seed, workers=args.workers)
        print(f"{args.count} policies in {seconds:.1f} s ({args.count / seconds:.0f}/s); "
              f"the library holds {lib.count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
