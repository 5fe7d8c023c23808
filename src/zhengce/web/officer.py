"""Officer pages (工作人员): login, feedback moderation, applications, statistics, targets.

Every page needs a session; every POST needs the session's CSRF token. The figures
are read from the library's tables with SQLAlchemy Core (portable to PostgreSQL).
"""
from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import and_, case, func, select

from zhengce.store import schema as s
from zhengce.web.auth import (
    DUMMY_HASH,
    SESSION_COOKIE,
    SESSION_TTL,
    current_session,
    verify_password,
)
from zhengce.web.pages import client_key, form_of, render, twin
from zhengce.web.store import APPLICATION_STATUSES, EVALUATION_STATUSES, Session, WebStore

router = APIRouter(include_in_schema=False)
LOGIN_LIMIT = (10, 600.0)
STATUS_LABELS = {"pending": "待审核", "approved": "已通过", "rejected": "未通过", "submitted": "已提交",
                 "reviewing": "审核中"}


def _store(request: Request) -> WebStore:
    return request.app.state.store  # type: ignore[no-any-return]


def _officer(request: Request) -> Session:
    session = current_session(request)
    if session is None:
        raise HTTPException(403, "请先登录工作人员账号。")
    return session


@router.get("/officer/login")
def login_page(request: Request) -> Response:
    return render(request, "officer/login.html", {"next": _next(request.query_params.get("next"))})


@router.post("/officer/login")
async def login(request: Request) -> Response:
    data = await form_of(request, {"name": 64, "password": 200, "next": 200})
    if not _store(request).allow("login:" + client_key(request), *LOGIN_LIMIT):
        raise HTTPException(429, "登录尝试太频繁，请十分钟后再试。")
    found = _store(request).officer_password(data["name"][:64])
    ok = verify_password(data["password"][:200], found[1] if found else DUMMY_HASH)
    if not (found and ok):
        return render(request, "officer/login.html", {"error": "用户名或密码不正确", "next": _next(data["next"]),
                                                      "name": data["name"][:64]}, 400)
    token, _ = _store(request).open_session(found[0], SESSION_TTL)
    response = RedirectResponse(_next(data["next"]), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", max_age=int(SESSION_TTL),
                        secure=request.app.state.secure_cookies)
    return response


@router.post("/officer/logout")
async def logout(request: Request) -> Response:
    await form_of(request, {})
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        _store(request).close_session(token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _next(value: str | None) -> str:
    # Only our own officer pages: an open redirect would make the login page a phishing tool.
    return value if value and value.startswith("/officer") and "//" not in value and "\\" not in value else "/officer"


# --- dashboard: items and amounts by department and by policy -------------------------------

def _best_yuan() -> Any:
    i = s.items.c
    return case((i.basis.in_(("fixed", "max", "per_unit")), func.coalesce(i.amount_yuan, i.cap_yuan)),
                else_=i.cap_yuan)


@twin(router, "/officer", "officer/dashboard.html")
def dashboard(request: Request) -> dict[str, Any]:
    session = _officer(request)
    i, d, p = s.items.c, s.departments.c, s.policies.c
    best = _best_yuan()
    library = request.app.state.catalog.library
    with library.repo.reading() as conn:
        by_department = [
            {"name": r[0], "items": int(r[1]), "yuan": float(r[2] or 0)} for r in conn.execute(
                select(d.name, func.count(), func.sum(best))
                .select_from(s.items.join(s.departments, and_(d.policy_id == i.policy_id, d.article == i.article,
                                                              d.role == "lead")))
                .group_by(d.name).order_by(func.count().desc(), d.name).limit(25))]
        by_policy = [
            {"id": int(r[0]), "title": r[1], "items": int(r[2]), "yuan": float(r[3] or 0)} for r in conn.execute(
                select(p.id, p.title, func.count(i.seq), func.sum(best))
                .select_from(s.policies.join(s.items, i.policy_id == p.id))
                .group_by(p.id, p.title).order_by(func.count(i.seq).desc(), p.id).limit(25))]
        totals = conn.execute(select(func.count(), func.sum(best)).select_from(s.items)).first()
        n_policies = conn.execute(select(func.count()).select_from(s.policies)).scalar_one()
    store = _store(request)
    return {"officer": session.officer, "policies": int(n_policies),
            "items": int(totals[0] if totals else 0), "yuan": float(totals[1] or 0) if totals else 0.0,
            "by_department": by_department, "by_policy": by_policy,
            "applications": store.application_counts(),
            "pending_feedback": len(store.evaluations(status="pending", limit=1000))}


# --- feedback moderation ----------------------------------------------------------------------

@twin(router, "/officer/feedback", "officer/feedback.html")
def feedback(request: Request) -> dict[str, Any]:
    _officer(request)
    status = request.query_params.get("status", "pending")
    if status not in EVALUATION_STATUSES:
        raise HTTPException(422, "状态应为 pending、approved 或 rejected")
    rows = _store(request).evaluations(status=status)
    titles = _titles(request, {r["policy_id"] for r in rows})
    for r in rows:
        r["policy_title"] = titles.get(r["policy_id"], "（已删除）")
    return {"status": status, "evaluations": rows, "_labels": STATUS_LABELS}


@router.post("/officer/feedback/{eid:int}")
async def moderate(request: Request, eid: int) -> Response:
    session = _officer(request)
    data = await form_of(request, {"status": 16, "back": 16})
    if data["status"] not in EVALUATION_STATUSES:
        raise HTTPException(422, "状态应为 pending、approved 或 rejected")
    if not _store(request).moderate(eid, data["status"], session.officer):
        raise HTTPException(404, "没有这条评价。")
    back = data["back"] if data["back"] in EVALUATION_STATUSES else "pending"
    return RedirectResponse(f"/officer/feedback?status={back}", status_code=303)


# --- applications -----------------------------------------------------------------------------

@twin(router, "/officer/applications", "officer/applications.html")
def applications(request: Request) -> dict[str, Any]:
    _officer(request)
    status = request.query_params.get("status") or None
    if status is not None and status not in APPLICATION_STATUSES:
        raise HTTPException(422, "状态应为 " + "、".join(APPLICATION_STATUSES))
    rows = _store(request).applications(status=status)
    titles = _titles(request, {r["policy_id"] for r in rows})
    catalog = request.app.state.catalog
    for r in rows:
        r["policy_title"] = titles.get(r["policy_id"], "（已删除）")
        try:
            benefits = catalog.view(r["policy_id"]).reading.benefits
            r["item"] = benefits[r["item_seq"]] if r["item_seq"] < len(benefits) else None
        except KeyError:
            r["item"] = None
    return {"status": status, "applications": rows, "counts": _store(request).application_counts(),
            "_labels": STATUS_LABELS, "_statuses": APPLICATION_STATUSES}


@router.post("/officer/applications/{aid:int}")
async def application_status(request: Request, aid: int) -> Response:
    _officer(request)
    data = await form_of(request, {"status": 16, "officer_note": 500})
    if data["status"] not in APPLICATION_STATUSES:
        raise HTTPException(422, "状态应为 " + "、".join(APPLICATION_STATUSES))
    if not _store(request).set_application_status(aid, data["status"], data["officer_note"][:500]):
        raise HTTPException(404, "没有这条申报。")
    return RedirectResponse("/officer/applications", status_code=303)


# --- targets and their deadlines ----------------------------------------------------------------

@twin(router, "/officer/targets", "officer/targets.html")
def targets(request: Request) -> dict[str, Any]:
    _officer(request)
    t, p = s.targets.c, s.policies.c
    this_year = time.localtime().tm_year
    library = request.app.state.catalog.library
    with library.repo.reading() as conn:
        rows = [dict(r) for r in conn.execute(
            select(t.policy_id, p.title, t.year, t.indicator, t.op, t.value, t.unit, t.article, t.quote)
            .join(s.policies, p.id == t.policy_id)
            .order_by(t.year.is_(None), t.year, t.policy_id, t.seq).limit(1000)).mappings()]
    for r in rows:
        r["state"] = "未写明期限" if r["year"] is None else ("已到期" if r["year"] < this_year else
                                                          ("今年到期" if r["year"] == this_year else "未到期"))
    return {"year": this_year, "targets": rows}


def _titles(request: Request, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    p = s.policies.c
    with request.app.state.catalog.library.repo.reading() as conn:
        return {int(r[0]): str(r[1]) for r in conn.execute(select(p.id, p.title).where(p.id.in_(list(ids))))}
