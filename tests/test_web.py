"""The portal's pages and their JSON twins, through FastAPI's TestClient.

The library is built from corpus readings; the Weihai policy gets three items with
real quotes so the pages show benefits whatever stage the items reader is at.
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhengce.library import open_library
from zhengce.model import Condition, Item, Policy, Quote
from zhengce.reader import read_file
from zhengce.web.app import create_app

CORPUS = Path(__file__).parent.parent / "corpus"
WEIHAI = CORPUS / "weihai-2021-keji-chuangxin.txt"


def quote(policy: Policy, words: str) -> Quote:
    """The span of `words` in the original text, whatever spacing the page put inside them."""
    m = re.search(r"\s*".join(re.escape(ch) for ch in words.replace(" ", "")), policy.text)
    assert m, words
    return Quote(m.group(0), m.start(), m.end())


def weihai_with_items() -> Policy:
    p = read_file(WEIHAI)
    items = (
        Item(article=5, recipient="新型研发机构", kind="支持", basis="max", amount_yuan=2e6,
             quote=quote(p, "择优给予最高 200 万元支持")),
        Item(article=7, recipient="高新技术企业", kind="奖励", basis="fixed", amount_yuan=2e5,
             quote=quote(p, "对新认定的高新技术企业每家奖励 20 万元"),
             conditions=(Condition(kind="honour", text="新认定的高新技术企业", honour="高新技术企业", status="新认定"),)),
        Item(article=18, recipient="企业", kind="补助", basis="ratio", ratio=0.5, cap_yuan=5e5,
             quote=quote(p, "按照实际发生费用的 50%给予企业补助,最高不超过 50 万元")),
    )
    return dataclasses.replace(p, items=items)


def make_library(path: Path) -> tuple[str, int]:
    """A library in `path` holding Weihai (with items) and two other corpus documents."""
    url = f"sqlite:///{path / 'web.db'}"
    with open_library(url) as lib:
        pid = lib.save(weihai_with_items(), "weihai")
        for name in ("guowuyuan-2019-rongzi-danbao.txt", "dongguan-2016-kejifuwu-jigou.txt"):
            lib.save(read_file(CORPUS / name), name)
    return url, pid


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, int]:
    url, pid = make_library(tmp_path_factory.mktemp("web"))
    return TestClient(create_app(url), raise_server_exceptions=False), pid


TABS = ("", "/graph", "/source", "/interpret", "/apply", "/related", "/evaluate")


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_with_its_json_twin(portal: tuple[TestClient, int], tab: str) -> None:
    client, pid = portal
    page = client.get(f"/policy/{pid}{tab}")
    assert page.status_code == 200
    assert "威海市人民政府关于加快科技创新支持新旧动能转换的实施意见" in page.text
    assert 'aria-current="page" class="on"' in page.text
    twin = client.get(f"/policy/{pid}{tab}.json")
    assert twin.status_code == 200
    assert twin.headers["content-type"].startswith("application/json")
    json.loads(twin.text)


def test_text_tab_anchors_articles_and_marks_items(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    html = client.get(f"/policy/{pid}").text
    for no in (1, 5, 28):
        assert f'id="a-{no}"' in html
    assert 'id="c-1"' in html
    assert re.search(r'<mark class="item" id="item-1"[^>]*>对新认定的高新技术企业每家奖励\s*20\s*万元</mark>', html)
    assert ">最高200万元</a>" in html and ">按50%补助，最高50万元</a>" in html
    # The page's furniture (tab captions, tag lines, the evaluation form) is not part of the body.
    body = html.split('<div class="body">', 1)[1]
    assert "政策评价测试" not in body and "所属行业:" not in body
    assert "以本实施意见为准" in body


def test_policy_json_twin_is_the_reading(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    data = client.get(f"/policy/{pid}.json").json()
    assert data["id"] == pid and data["tab"] == "text"
    assert len(data["reading"]["items"]) == 3
    assert data["blocks"][0]["kind"] == "para"


def test_interpretation_says_who_gets_what_and_whom_to_contact(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    html = client.get(f"/policy/{pid}/interpret").text
    for words in ("这是什么政策", "由威海市人民政府于2021-11-01发布", "能得到什么、多少", "单项最高：新型研发机构，最高200万元",
                  "新认定为高新技术企业", "市科技局", "有效期", "以本实施意见为准", "全社会研发投入占生产总值比重"):
        assert words in html, words
    data = client.get(f"/policy/{pid}/interpret.json").json()["interpretation"]
    assert [b["amount"] for b in data["benefits"]] == ["最高200万元", "20万元", "按50%补助，最高50万元"]


def test_graph_links_nodes_to_their_clauses(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    g = client.get(f"/api/policies/{pid}/graph").json()
    ids = {n["id"]: n for n in g["nodes"]}
    assert ids["a5"]["href"] == f"/policy/{pid}#a-5"
    assert ids["i1"]["href"] == f"/policy/{pid}#item-1"
    assert "h:高新技术企业" in ids and "d:市科技局" in ids
    assert {"source": "a7", "target": "i1", "label": "奖励"} in g["links"]
    assert all(link["source"] in ids and link["target"] in ids for link in g["links"])
    assert '<script src="/static/vendor/echarts.min.js"' in client.get(f"/policy/{pid}/graph").text
    assert client.get("/static/vendor/echarts.min.js").status_code == 200


def test_downloads(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    csv = client.get(f"/policy/{pid}/items.csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    assert csv.text.startswith("\ufeffpolicy_id,") and "新型研发机构" in csv.text
    reading = client.get(f"/policy/{pid}/reading.json")
    assert reading.json()["title"].startswith("威海市") and "text" in reading.json()


def test_home_lists_policies_with_facets(portal: tuple[TestClient, int]) -> None:
    client, _ = portal
    data = client.get("/index.json").json()
    assert data["total"] == 3
    facets = {f["facet"]: f["values"] for f in data["facets"]}
    assert any(v["value"] == "制造业" for v in facets["industry"])
    filtered = client.get("/search.json", params={"industry": "制造业"}).json()
    assert filtered["total"] == 1


def test_search_highlights_words(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    html = client.get("/search", params={"q": "众创空间"}).text
    assert "<mark>众创空间</mark>" in html
    assert f'href="/policy/{pid}#a-' in html
    data = client.get("/search.json", params={"q": "众创空间"}).json()
    assert data["hits"][0]["id"] == pid
    assert any(s["hit"] for s in data["hits"][0]["snippet"])


def test_benefit_view_lists_items_with_amounts(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    data = client.get("/items.json").json()
    mine = [i for i in data["items"] if i["policy_id"] == pid]
    assert len(mine) == 3 and {"最高200万元", "20万元"} <= {i["amount"] for i in mine}
    assert data["items"] == sorted(data["items"], key=lambda i: -(i["best_yuan"] or 0))
    html = client.get("/items", params={"q": "高新技术企业"}).text
    assert f'href="/policy/{pid}#item-1"' in html


def test_missing_pages_are_friendly(portal: tuple[TestClient, int]) -> None:
    client, _ = portal
    for path in ("/policy/9999", "/policy/9999/graph", "/no/such/page", "/application/NOPE"):
        r = client.get(path)
        assert r.status_code == 404
        assert "返回首页" in r.text and "Traceback" not in r.text
    r = client.get("/policy/9999.json")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_server_errors_show_a_friendly_page(tmp_path: Path) -> None:
    url, pid = make_library(tmp_path)
    app = create_app(url)

    def broken(policy_id: int) -> None:
        raise RuntimeError("secret internals")

    app.state.catalog.view = broken
    client = TestClient(app, raise_server_exceptions=False)
    r = client.get(f"/policy/{pid}")
    assert r.status_code == 500
    assert "服务器暂时出了点问题" in r.text
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert client.get(f"/api/policies/{pid}").json()["error"]["status"] == 500


def test_security_headers(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    r = client.get(f"/policy/{pid}")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_api_mirrors_the_cli(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    assert client.get("/api/search", params={"q": "奖励"}).json()["total"] >= 1
    assert client.get(f"/api/policies/{pid}").json()["title"].startswith("威海市")
    assert len(client.get(f"/api/policies/{pid}/items").json()) == 3
    assert client.get("/api/items", params={"q": "高新技术企业"}).json()[0]["recipient"] == "高新技术企业"
    parsed = client.post("/api/parse", files={"file": ("w.txt", WEIHAI.read_bytes(), "text/plain")}).json()
    assert parsed["title"].startswith("威海市") and parsed["source"]["path"] == "w.txt"
    assert client.post("/api/parse", data={"text": "关于支持企业发展的若干措施\n一、对企业给予奖励。"}).status_code == 200
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/parse", "/api/ingest", "/api/search", "/api/items", "/api/policies/{pid}",
                 "/api/policies/{pid}/graph", "/api/match"):
        assert path in spec["paths"], path
    assert client.get("/api/docs").status_code == 200
    # Writing needs an officer or a token.
    assert client.post("/api/ingest", files={"file": ("w.txt", b"x", "text/plain")}).status_code == 403
