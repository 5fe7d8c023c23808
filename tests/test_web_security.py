"""Hostile input in every field: script tags, SQL, 100 KB strings. Nothing runs, nothing breaks."""
from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from test_web import make_library
from test_web_forms import evaluation, form_fields, login
from zhengce.web.app import create_app
from zhengce.web.auth import hash_password

SCRIPT = '<script>alert("x")</script>'
HOSTILE = {
    "script": SCRIPT,
    "attribute": '"><img src=x onerror=alert(1)>',
    "sql": "'; DROP TABLE policies; --",
    "fts": '"众创" OR * NEAR( {title}: ^',
    "big": "政" * 100_000,
    "nul": "a\x00b",
}
OK = {200, 303, 400, 403, 404, 413, 422, 429}


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, int]:
    url, pid = make_library(tmp_path_factory.mktemp("sec"))
    app = create_app(url)
    app.state.store.add_officer("officer", hash_password("correct horse"))
    return TestClient(app, raise_server_exceptions=False), pid


def assert_safe(r, value: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code in OK, (r.status_code, r.text[:300])
    assert "Traceback" not in r.text
    if r.headers.get("content-type", "").startswith("text/html"):
        assert "<script>alert" not in r.text and "<img src=x" not in r.text


PARAMS = ["q", "industry", "size", "ownership", "theme", "issuer", "year", "page", "sort"]
PAGES = ("/search", "/search.json", "/items", "/api/search", "/api/items")


@pytest.mark.parametrize("name", sorted(set(HOSTILE) - {"big"}))
@pytest.mark.parametrize("param", PARAMS)
def test_query_parameters(portal: tuple[TestClient, int], name: str, param: str) -> None:
    client, _ = portal
    value = HOSTILE[name]
    for path in PAGES:
        assert_safe(client.get(path, params={param: value}), value)


def asgi_get(app: object, path: str, query: bytes) -> tuple[int, bytes]:
    """A GET straight into the app: httpx refuses URLs past 64 KB, servers differ; the app must not care."""
    sent: list[dict] = []  # type: ignore[type-arg]

    async def receive() -> dict:  # type: ignore[type-arg]
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:  # type: ignore[type-arg]
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
             "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))  # type: ignore[operator]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


@pytest.mark.parametrize("param", PARAMS)
def test_100kb_query_parameters(portal: tuple[TestClient, int], param: str) -> None:
    client, _ = portal
    query = (param + "=" + quote(HOSTILE["big"])).encode()
    assert len(query) > 100_000
    for path in PAGES:
        status, body = asgi_get(client.app, path, query)
        assert status in OK and b"Traceback" not in body, (path, status)


def test_reflected_query_is_escaped(portal: tuple[TestClient, int]) -> None:
    client, _ = portal
    html = client.get("/search", params={"q": SCRIPT}).text
    assert "&lt;script&gt;" in html and SCRIPT not in html
    assert client.get("/search", params={"q": "x" * 201}).status_code == 422


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("field", ["rating", "title", "content", "captcha", "captcha_token", "csrf"])
def test_evaluation_fields(portal: tuple[TestClient, int], name: str, field: str) -> None:
    client, pid = portal
    data = evaluation(client, pid, **{field: HOSTILE[name]})
    r = client.post(f"/policy/{pid}/evaluate", data=data)
    assert_safe(r, HOSTILE[name])
    if name == "big" and field in ("title", "content"):
        assert r.status_code in (400, 413, 429)


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("field", ["applicant", "contact", "note", "cond-0"])
def test_application_fields(portal: tuple[TestClient, int], name: str, field: str) -> None:
    client, pid = portal
    hidden = form_fields(client.get(f"/policy/{pid}/apply").text, f"/policy/{pid}/apply/1")
    data = {**hidden, "applicant": "某公司", "contact": "123", field: HOSTILE[name]}
    assert_safe(client.post(f"/policy/{pid}/apply/1", data=data), HOSTILE[name])


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("field", ["name", "password", "next"])
def test_login_fields(portal: tuple[TestClient, int], name: str, field: str) -> None:
    client, _ = portal
    fresh = TestClient(client.app, raise_server_exceptions=False)
    hidden = form_fields(fresh.get("/officer/login").text, "/officer/login")
    data = {**hidden, "name": "nobody", "password": "x", field: HOSTILE[name]}
    assert_safe(fresh.post("/officer/login", data=data), HOSTILE[name])


def test_stored_script_is_shown_as_text(tmp_path: Path) -> None:
    url, pid = make_library(tmp_path)
    app = create_app(url)
    app.state.store.add_officer("officer", hash_password("correct horse"))
    client = TestClient(app, raise_server_exceptions=False)
    data = evaluation(client, pid, title=SCRIPT, content=HOSTILE["attribute"])
    assert client.post(f"/policy/{pid}/evaluate", data=data, follow_redirects=False).status_code == 303
    login(client)
    queue = client.get("/officer/feedback").text
    assert "&lt;script&gt;" in queue and SCRIPT not in queue
    eid = int(re.search(r'action="/officer/feedback/(\d+)"', queue).group(1))
    client.post(f"/officer/feedback/{eid}", data={**form_fields(queue, f"/officer/feedback/{eid}"), "status": "approved"})
    shown = client.get(f"/policy/{pid}/evaluate").text
    assert "&lt;script&gt;alert" in shown and SCRIPT not in shown and "<img src=x" not in shown


def test_oversized_bodies_are_refused(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    r = client.post(f"/policy/{pid}/evaluate", content=b"a=" + b"x" * 400_000,
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "提交的内容太大" in r.text
    big = client.post("/api/parse", data={"text": "政" * 2_100_000})
    assert big.status_code in (400, 413, 422) and "error" in big.json()


def test_api_inputs(portal: tuple[TestClient, int]) -> None:
    client, _ = portal
    for value in HOSTILE.values():
        assert_safe(client.post("/api/parse", data={"text": value[:50_000]}), value)
        assert_safe(client.post("/api/match", content=value.encode()[:50_000],
                                headers={"content-type": "application/json"}), value)
    assert client.get("/api/policies/abc").status_code == 422
    assert client.get("/api/search", params={"limit": 10_000}).status_code == 422
    bad = client.post("/api/parse", files={"file": ("evil.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert bad.status_code == 422 and "error" in bad.json()


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("field", ["name", "region", "industry", "scope", "size", "employees", "revenue", "founded",
                                   "as_of", "honours", "facts", "profile_json"])
def test_calculator_fields(portal: tuple[TestClient, int], name: str, field: str) -> None:
    client, _ = portal
    r = client.post("/calculator", data={"region": "山东省威海市", field: HOSTILE[name]})
    assert_safe(r, HOSTILE[name])
