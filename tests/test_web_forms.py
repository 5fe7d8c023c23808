"""Forms: 政策评价 with captcha and rate limits, moderation, applications, officer login and CSRF."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from test_web import make_library
from zhengce.web import captcha
from zhengce.web.app import create_app
from zhengce.web.auth import hash_password, verify_password


@pytest.fixture
def portal(tmp_path: Path) -> tuple[TestClient, int]:
    url, pid = make_library(tmp_path)
    app = create_app(url)
    app.state.store.add_officer("officer", hash_password("correct horse"))
    return TestClient(app, raise_server_exceptions=False), pid


def form_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action`."""
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def evaluation(client: TestClient, pid: int, solve: bool = True, **fields: str) -> dict[str, str]:
    page = client.get(f"/policy/{pid}/evaluate").text
    hidden = form_fields(page, f"/policy/{pid}/evaluate")
    secret = client.app.state.secret  # type: ignore[attr-defined]
    answer = captcha.answer_for(secret, hidden["captcha_token"]) if solve else "WRONG"
    return {**hidden, "rating": "4", "title": "申报很方便", "content": "条款清楚。\n希望增加解读。",
            "captcha": answer, **fields}


def login(client: TestClient, password: str = "correct horse") -> None:
    hidden = form_fields(client.get("/officer/login").text, "/officer/login")
    r = client.post("/officer/login", data={**hidden, "name": "officer", "password": password},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def test_passwords_are_salted_scrypt() -> None:
    a, b = hash_password("pw"), hash_password("pw")
    assert a != b and a.startswith("scrypt$")
    assert verify_password("pw", a) and not verify_password("pW", a) and not verify_password("pw", "garbage")


def test_captcha_image_is_a_png(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    token = evaluation(client, pid)["captcha_token"]
    r = client.get(f"/captcha/{token}.png")
    assert r.status_code == 200 and r.content.startswith(b"\x89PNG")
    assert r.headers["cache-control"] == "no-store"
    assert client.get("/captcha/not-a-token.png").status_code == 404
    fresh = client.get("/captcha/new.json").json()
    assert client.get(fresh["image"]).status_code == 200


def test_evaluation_is_shown_after_moderation(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    r = client.post(f"/policy/{pid}/evaluate", data=evaluation(client, pid), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/policy/{pid}/evaluate?sent=1"
    assert "审核通过后将显示" in client.get(r.headers["location"]).text
    assert "申报很方便" not in client.get(f"/policy/{pid}/evaluate").text  # pending: not shown

    assert client.get("/officer/feedback").status_code == 403
    login(client)
    queue = client.get("/officer/feedback").text
    assert "申报很方便" in queue
    eid = int(re.search(r'action="/officer/feedback/(\d+)"', queue).group(1))
    hidden = form_fields(queue, f"/officer/feedback/{eid}")
    # Without the session's CSRF token the moderation is refused.
    assert client.post(f"/officer/feedback/{eid}", data={**hidden, "csrf": "forged", "status": "approved"}).status_code == 403
    r = client.post(f"/officer/feedback/{eid}", data={**hidden, "status": "approved"}, follow_redirects=False)
    assert r.status_code == 303
    shown = client.get(f"/policy/{pid}/evaluate")
    assert "申报很方便" in shown.text and "平均评分 <b>4.0</b>" in shown.text
    assert client.get(f"/policy/{pid}/evaluate.json").json()["rating"] == {"mean": 4.0, "count": 1}


def test_wrong_or_reused_captcha_is_refused(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    r = client.post(f"/policy/{pid}/evaluate", data=evaluation(client, pid, solve=False))
    assert r.status_code == 400 and "验证码不正确" in r.text
    good = evaluation(client, pid)
    assert client.post(f"/policy/{pid}/evaluate", data=good, follow_redirects=False).status_code == 303
    again = client.post(f"/policy/{pid}/evaluate", data=good)
    assert again.status_code == 400 and "验证码不正确" in again.text
    assert len(client.app.state.store.evaluations()) == 1  # type: ignore[attr-defined]


def test_a_loop_of_100_posts_is_stopped(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    statuses = []
    for n in range(100):
        data = evaluation(client, pid, solve=n % 2 == 0, title=f"刷评 {n}")
        statuses.append(client.post(f"/policy/{pid}/evaluate", data=data, follow_redirects=False).status_code)
    stored = client.app.state.store.evaluations()  # type: ignore[attr-defined]
    assert len(stored) <= 3
    assert statuses.count(429) >= 90
    refused = client.post(f"/policy/{pid}/evaluate", data=evaluation(client, pid))
    assert refused.status_code == 429 and "提交太频繁" in refused.text


def test_posts_without_csrf_are_refused(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    data = evaluation(client, pid)
    data.pop("csrf")
    r = client.post(f"/policy/{pid}/evaluate", data=data)
    assert r.status_code == 403 and "表单已过期" in r.text
    fresh = TestClient(client.app, raise_server_exceptions=False)  # another browser: no cookie
    assert fresh.post(f"/policy/{pid}/evaluate", data=evaluation(client, pid)).status_code == 403


def test_application_records_checklist_and_status(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    page = client.get(f"/policy/{pid}/apply").text
    assert "新认定为高新技术企业" in page
    hidden = form_fields(page, f"/policy/{pid}/apply/1")
    r = client.post(f"/policy/{pid}/apply/1", follow_redirects=False,
                    data={**hidden, "applicant": "威海某某科技有限公司", "contact": "0631-1234567", "cond-0": "on"})
    assert r.status_code == 303
    status_page = client.get(r.headers["location"])
    assert "已提交" in status_page.text and "☑ 新认定为高新技术企业" in status_page.text
    assert "0631-1234567" not in status_page.text
    login(client)
    listing = client.get("/officer/applications").text
    assert "威海某某科技有限公司" in listing
    aid = int(re.search(r'action="/officer/applications/(\d+)"', listing).group(1))
    hidden = form_fields(listing, f"/officer/applications/{aid}")
    client.post(f"/officer/applications/{aid}", data={**hidden, "status": "approved", "officer_note": "材料齐全"})
    after = client.get(r.headers["location"]).text
    assert "已通过" in after and "材料齐全" in after
    missing = client.post(f"/policy/{pid}/apply/1", data={**hidden, "applicant": "", "contact": ""})
    assert missing.status_code == 400 and "请填写申报单位" in missing.text


def test_officer_login_logout_and_pages(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    for path in ("/officer", "/officer/feedback", "/officer/applications", "/officer/targets", "/officer.json"):
        assert client.get(path).status_code == 403
    assert "工作台" not in client.get(f"/policy/{pid}").text  # now in the anonymous page cache
    hidden = form_fields(client.get("/officer/login").text, "/officer/login")
    bad = client.post("/officer/login", data={**hidden, "name": "officer", "password": "nope"})
    assert bad.status_code == 400 and "用户名或密码不正确" in bad.text
    login(client)
    assert "工作台" in client.get(f"/policy/{pid}").text  # a session never gets the cached page
    dash = client.get("/officer.json").json()
    assert dash["items"] >= 3 and any(d["name"] == "市科技局" for d in dash["by_department"])
    assert any(p["id"] == pid for p in dash["by_policy"])
    targets = client.get("/officer/targets.json").json()["targets"]
    assert any(t["indicator"] == "全社会研发投入占生产总值比重" and t["state"] == "已到期" for t in targets)
    for path in ("/officer", "/officer/feedback", "/officer/applications", "/officer/targets"):
        assert client.get(path).status_code == 200, path
    page = client.get("/officer").text
    hidden = form_fields(page, "/officer/logout")
    client.post("/officer/logout", data=hidden)
    assert client.get("/officer").status_code == 403


def test_login_redirect_stays_on_site(portal: tuple[TestClient, int]) -> None:
    client, _ = portal
    hidden = form_fields(client.get("/officer/login?next=//evil.example").text, "/officer/login")
    assert hidden["next"] == "/officer"
    r = client.post("/officer/login", follow_redirects=False,
                    data={**hidden, "next": "https://evil.example", "name": "officer", "password": "correct horse"})
    assert r.headers["location"] == "/officer"


def test_login_attempts_are_limited(portal: tuple[TestClient, int]) -> None:
    client, _ = portal
    hidden = form_fields(client.get("/officer/login").text, "/officer/login")
    codes = [client.post("/officer/login", data={**hidden, "name": "officer", "password": f"guess{n}"}).status_code
             for n in range(15)]
    assert codes[:10] == [400] * 10 and set(codes[10:]) == {429}


def test_calculator_form_upload_and_export(portal: tuple[TestClient, int]) -> None:
    client, pid = portal
    assert "政策计算器" in client.get("/calculator").text
    assert "威海福瑞" in client.get("/calculator?example=1").text
    form = {"name": "威海福瑞医疗器械有限公司", "region": "山东省威海市环翠区", "industry": "C35",
            "honours": "高新技术企业 新认定 2021", "facts": "年发明专利授权数: 25", "as_of": "2021-12-31"}
    html = client.post("/calculator", data=form).text
    assert "确定可得" in html and "20万元" in html
    assert f'href="/policy/{pid}#item-1"' in html
    upload = client.post("/calculator", files={"profile": ("p.yaml", "name: 某公司\nregion: 山东省威海市\n".encode(), "text/yaml")})
    assert upload.status_code == 200 and "测算结果" in upload.text
    exported = client.post("/calculator.json", data=form)
    assert exported.json()["report"]["totals"]["certain_yuan"] >= 200000
    assert "attachment" in exported.headers["content-disposition"]
    api = client.post("/api/match", json={"name": "某公司", "region": "山东省威海市", "honours": ["高新技术企业 新认定 2021"]})
    assert any(r["item"] == 1 for r in api.json()["eligible"])
    bad = client.post("/api/match", json={"as_of": "not a date"})
    assert bad.status_code == 422 and "企业画像有误" in bad.json()["error"]["message"]
    assert client.post("/calculator", data={"facts": "没有冒号的一行"}).status_code == 422
