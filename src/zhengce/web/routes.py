"""Public pages: home and search, benefit items, the policy page and its tabs.

Every page has a JSON twin at the same path plus `.json` (see pages.twin).
"""
from __future__ import annotations

import io
import math
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from zhengce.web import captcha
from zhengce.web.catalog import Catalog, PolicyView
from zhengce.web.graph import graph
from zhengce.web.interpret import best_yuan
from zhengce.web.pages import (
    client_key,
    filters_of,
    form_of,
    int_param,
    render,
    text_param,
    too_long,
    twin,
)
from zhengce.web.store import WebStore

router = APIRouter(include_in_schema=False)
PER_PAGE = 10
MAX_QUERY = 200

TABS = (("text", "政策正文", ""), ("graph", "政策图谱", "/graph"), ("source", "原文链接", "/source"),
        ("interpret", "政策解读", "/interpret"), ("apply", "申报入口", "/apply"),
        ("related", "相关政策", "/related"), ("evaluate", "政策评价", "/evaluate"))

# Evaluations: a person writes a few a day; a loop of 100 a minute is cut off after these.
EVAL_ACCEPTED = (3, 600.0)      # stored evaluations per client per 10 minutes
EVAL_ATTEMPTS = (10, 600.0)     # posts (right or wrong) per client per 10 minutes
APPLY_LIMIT = (10, 3600.0)
EVAL_FIELDS = {"rating": 1, "title": 50, "content": 1000, "captcha": 10, "captcha_token": 64}
APPLY_FIELDS = {"applicant": 100, "contact": 100, "note": 500}
LABELS = {"title": "留言标题", "content": "留言内容", "applicant": "申报单位", "contact": "联系方式",
          "note": "备注"}


def catalog_of(request: Request) -> Catalog:
    return request.app.state.catalog  # type: ignore[no-any-return]


def store_of(request: Request) -> WebStore:
    return request.app.state.store  # type: ignore[no-any-return]


# --- home, search, items ---------------------------------------------------------------------

@twin(router, "/", "index.html", json_path="/index.json", cache=True)
def home(request: Request) -> dict[str, Any]:
    return _search_page(request)


@twin(router, "/search", "index.html", cache=True)
def search(request: Request) -> dict[str, Any]:
    return _search_page(request)


def _search_page(request: Request) -> dict[str, Any]:
    q = text_param(request, "q", MAX_QUERY)
    filters = filters_of(request)
    page = int_param(request, "page", 1, 1, 1000)
    catalog = catalog_of(request)
    offset = (page - 1) * PER_PAGE
    if q:
        result = catalog.search(q, filters, PER_PAGE, offset)
        total, facets = result.total, result.facets
        hits = [{"id": h.policy_id, "title": h.title, "issuer": h.issuer, "published": h.published,
                 "article": None if h.article_no is None else {"no": h.article_no, "title": h.article_title},
                 "snippet": _segments(h.snippet.text, h.snippet.highlights)} for h in result.hits]
    else:
        total, listed, facets = catalog.browse(filters, PER_PAGE, offset)
        hits = [{"id": r.policy_id, "title": r.title, "issuer": r.issuer, "published": r.published,
                 "article": None, "items": r.n_items, "snippet": []} for r in listed]
    return {"q": q, "filters": filters, "page": page, "pages": max(1, math.ceil(total / PER_PAGE)),
            "total": total, "hits": hits, "facets": _facet_links(request, facets, filters),
            "_query": _query_string}


def _segments(text: str, highlights: tuple[tuple[int, int], ...]) -> list[dict[str, Any]]:
    out, at = [], 0
    for s, e in highlights:
        if s > at:
            out.append({"text": text[at:s], "hit": False})
        out.append({"text": text[s:e], "hit": True})
        at = e
    if at < len(text):
        out.append({"text": text[at:], "hit": False})
    return out


def _facet_links(request: Request, facets: dict[str, list[tuple[str, int]]],
                 filters: dict[str, list[str]]) -> list[dict[str, Any]]:
    order = ("industry", "size", "ownership", "theme", "issuer", "year")
    out = []
    for facet in order:
        values = facets.get(facet, [])
        if facet == "year":
            values = sorted(values, key=lambda v: v[0], reverse=True)
        chosen = set(filters.get(facet, []))
        out.append({"facet": facet, "values": [
            {"value": v, "count": n, "selected": v in chosen,
             "href": _toggle(request, facet, v, v in chosen)} for v, n in values[:30]]})
    return out


def _toggle(request: Request, facet: str, value: str, selected: bool) -> str:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    if selected:
        pairs = [(k, v) for k, v in pairs if not (k == facet and v == value)]
    else:
        pairs.append((facet, value))
    path = "/search" if request.url.path in ("/", "/index.json", "/search.json") else request.url.path
    return path.removesuffix(".json") + ("?" + urlencode(pairs) if pairs else "")


def _query_string(request: Request, **changes: Any) -> str:
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    return "?" + urlencode(pairs)


@twin(router, "/items", "items.html", cache=True)
def items(request: Request) -> dict[str, Any]:
    q = text_param(request, "q", MAX_QUERY)
    filters = filters_of(request)
    sort = request.query_params.get("sort", "amount")
    if sort not in ("amount", "policy"):
        raise HTTPException(422, "排序方式应为 amount 或 policy")
    found = catalog_of(request).items(q, filters)
    rows = [_item_row(h) for h in found]
    if sort == "amount":
        rows.sort(key=lambda r: -(r["best_yuan"] or 0.0))
    shown = rows[:300]
    known = [r["best_yuan"] for r in rows if r["best_yuan"]]
    return {"q": q, "filters": filters, "sort": sort, "total": len(rows), "items": shown,
            "sum_yuan": sum(known), "with_amount": len(known), "policies": len({r["policy_id"] for r in rows})}


def _item_row(h: Any) -> dict[str, Any]:
    from zhengce.export import amount_text

    row = h.to_dict()
    row["amount"] = amount_text(h)
    row["best_yuan"] = best_yuan(h)
    return row


# --- the policy page -------------------------------------------------------------------------

def _view(request: Request, pid: int) -> PolicyView:
    try:
        return catalog_of(request).view(pid)
    except KeyError:
        raise HTTPException(404, "没有找到这份政策，它可能已被删除。") from None


def _page(request: Request, view: PolicyView, tab: str, **extra: Any) -> dict[str, Any]:
    p = view.policy
    data: dict[str, Any] = {
        "id": view.id, "tab": tab, "title": p.title, "issuer": p.issuer, "published": p.published,
        "number": p.number, "tags": p.tags, "source_url": p.source.url,
        "counts": {"chapters": len(p.chapters), "articles": len(p.articles), "items": len(p.items),
                   "targets": len(p.targets)},
        "_tabs": TABS, "_view": view,
    }
    data.update(extra)
    return data


@twin(router, "/policy/{pid:int}", "policy/text.html", cache=True)
def policy_text(request: Request, pid: int) -> dict[str, Any]:
    view = _view(request, pid)
    return _page(request, view, "text", reading=view.policy.to_dict(with_text=False), blocks=view.blocks)


@twin(router, "/policy/{pid:int}/graph", "policy/graph.html", cache=True)
def policy_graph(request: Request, pid: int) -> dict[str, Any]:
    view = _view(request, pid)
    related = catalog_of(request).related(pid)
    data = graph(view.policy, pid, related)
    if request.url.path.endswith(".json"):
        return data
    return _page(request, view, "graph", _graph=data)


@twin(router, "/policy/{pid:int}/source", "policy/source.html", cache=True)
def policy_source(request: Request, pid: int) -> dict[str, Any]:
    view = _view(request, pid)
    s = view.policy.source
    original = catalog_of(request).original(pid)
    return _page(request, view, "source", source={
        "url": s.url if s.url and s.url.startswith(("http://", "https://")) else None,
        "format": s.format, "encoding": s.encoding, "sha256": s.sha256,
        "file": original[0] if original else None, "file_size": len(original[1]) if original else None,
        "file_href": f"/policy/{pid}/original" if original else None,
        "references": [{"title": r.title, "number": r.number, "href": "/search?q=" + quote(r.title[:60])}
                       for r in view.policy.references]})


@router.get("/policy/{pid:int}/original", include_in_schema=False)
def policy_original(request: Request, pid: int) -> Response:
    _view(request, pid)
    original = catalog_of(request).original(pid)
    if original is None:
        raise HTTPException(404, "这份政策没有保存原始文件。")
    name, content = original
    kind = {"pdf": "application/pdf", "html": "text/plain; charset=utf-8", "htm": "text/plain; charset=utf-8",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(
        name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    # HTML is served as text: a stored page must never run as ours.
    return Response(content, media_type=kind, headers={
        "content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@twin(router, "/policy/{pid:int}/interpret", "policy/interpret.html", cache=True)
def policy_interpret(request: Request, pid: int) -> dict[str, Any]:
    view = _view(request, pid)
    return _page(request, view, "interpret", interpretation=view.reading)


@twin(router, "/policy/{pid:int}/related", "policy/related.html", cache=True)
def policy_related(request: Request, pid: int) -> dict[str, Any]:
    view = _view(request, pid)
    return _page(request, view, "related", related=[r.to_dict() for r in catalog_of(request).related(pid)])


@router.get("/policy/{pid:int}/items.csv", include_in_schema=False)
def policy_items_csv(request: Request, pid: int) -> Response:
    from zhengce.export import write_items

    _view(request, pid)
    library = catalog_of(request).library
    with library.repo.reading() as conn:
        rows = library.item_rows(conn, [pid])
    out = io.StringIO()
    write_items(rows, out, "csv")
    # A BOM so spreadsheet programs open the Chinese text as UTF-8.
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f"attachment; filename=policy-{pid}-items.csv"})


@router.get("/policy/{pid:int}/reading.json", include_in_schema=False)
def policy_download(request: Request, pid: int) -> Response:
    from zhengce.web.pages import as_json

    view = _view(request, pid)
    response = as_json({"id": pid, **view.policy.to_dict(with_text=True)})
    response.headers["content-disposition"] = f"attachment; filename=policy-{pid}.json"
    return response


# --- 申报入口: checklists and applications ----------------------------------------------------

@twin(router, "/policy/{pid:int}/apply", "policy/apply.html")
def policy_apply(request: Request, pid: int) -> dict[str, Any]:
    view = _view(request, pid)
    return _page(request, view, "apply", benefits=view.reading.benefits)


@router.post("/policy/{pid:int}/apply/{seq:int}", include_in_schema=False)
async def policy_apply_post(request: Request, pid: int, seq: int) -> Response:
    view = _view(request, pid)
    if not 0 <= seq < len(view.policy.items):
        raise HTTPException(404, "没有这个奖补事项。")
    data = await form_of(request, APPLY_FIELDS)
    form = await request.form()
    benefit = view.reading.benefits[seq]
    errors = too_long(data, APPLY_FIELDS, LABELS)
    if not data["applicant"]:
        errors.append("请填写申报单位")
    if not data["contact"]:
        errors.append("请填写联系方式")
    if errors:
        return render(request, "policy/apply.html", _page(request, view, "apply", benefits=view.reading.benefits,
                                                          errors=errors, error_seq=seq, form=data), 400)
    if not store_of(request).allow("apply:" + client_key(request), *APPLY_LIMIT):
        raise HTTPException(429, "提交申报太频繁，请一小时后再试。")
    ticked = {c: form.get(f"cond-{n}") == "on" for n, c in enumerate(benefit.conditions)}
    ref = store_of(request).add_application(pid, seq, data["applicant"], data["contact"], ticked, data["note"])
    return RedirectResponse(f"/application/{ref}", status_code=303)


@twin(router, "/application/{ref}", "application.html")
def application(request: Request, ref: str) -> dict[str, Any]:
    if not (ref.isalnum() and len(ref) <= 32):
        raise HTTPException(404, "没有这个申报编号。")
    rows = store_of(request).applications(ref=ref)
    if not rows:
        raise HTTPException(404, "没有这个申报编号。")
    a = rows[0]
    try:
        view = catalog_of(request).view(a["policy_id"])
        benefit = view.reading.benefits[a["item_seq"]] if a["item_seq"] < len(view.reading.benefits) else None
        title = view.policy.title
    except KeyError:
        benefit, title = None, None
    # The applicant's contact details stay off this page: the reference is all that guards it.
    return {"ref": a["ref"], "status": a["status"], "policy_id": a["policy_id"], "policy_title": title,
            "item": benefit, "checklist": a["checklist"], "officer_note": a["officer_note"],
            "created_at": a["created_at"], "updated_at": a["updated_at"]}


# --- 政策评价: ratings with a captcha, shown after moderation -----------------------------------

def _evaluate_page(request: Request, view: PolicyView, **extra: Any) -> dict[str, Any]:
    store = store_of(request)
    mean, count = store.rating(view.id)
    shown = store.evaluations(policy_id=view.id, status="approved", limit=50)
    token = store.add_captcha(lambda t: captcha.answer_for(request.app.state.secret, t), captcha.TTL)
    return _page(request, view, "evaluate", rating={"mean": mean, "count": count},
                 evaluations=[{k: e[k] for k in ("id", "rating", "title", "content", "created_at")} for e in shown],
                 _captcha=token, sent=request.query_params.get("sent") == "1", **extra)


@twin(router, "/policy/{pid:int}/evaluate", "policy/evaluate.html")
def policy_evaluate(request: Request, pid: int) -> dict[str, Any]:
    return _evaluate_page(request, _view(request, pid))


@router.post("/policy/{pid:int}/evaluate", include_in_schema=False)
async def policy_evaluate_post(request: Request, pid: int) -> Response:
    view = _view(request, pid)
    data = await form_of(request, EVAL_FIELDS)
    store, who = store_of(request), client_key(request)
    if not store.allow("eval-try:" + who, *EVAL_ATTEMPTS):
        raise HTTPException(429, "提交太频繁，请十分钟后再试。")
    errors = too_long(data, EVAL_FIELDS, LABELS)
    if data["rating"] not in ("1", "2", "3", "4", "5"):
        errors.append("请选择1到5星的评分")
    if not data["title"]:
        errors.append("请填写留言标题")
    if not data["content"]:
        errors.append("请填写留言内容")
    if not store.use_captcha(data["captcha_token"], data["captcha"]):
        errors.append("验证码不正确或已过期，请重新输入")
    if errors:
        return render(request, "policy/evaluate.html", _evaluate_page(request, view, errors=errors, form=data), 400)
    if not store.allow("eval:" + who, *EVAL_ACCEPTED):
        raise HTTPException(429, "评价提交太频繁，请十分钟后再试。")
    store.add_evaluation(pid, int(data["rating"]), data["title"], data["content"], who)
    return RedirectResponse(f"/policy/{pid}/evaluate?sent=1", status_code=303)


@router.get("/captcha/{token}.png", include_in_schema=False)
def captcha_image(request: Request, token: str) -> Response:
    if len(token) > 64 or not store_of(request).captcha_live(token):
        raise HTTPException(404, "验证码已过期，请刷新。")
    return Response(captcha.image_for(request.app.state.secret, token), media_type="image/png",
                    headers={"cache-control": "no-store"})


@router.get("/captcha/new.json", include_in_schema=False)
def captcha_new(request: Request) -> dict[str, str]:
    token = store_of(request).add_captcha(lambda t: captcha.answer_for(request.app.state.secret, t), captcha.TTL)
    return {"token": token, "image": f"/captcha/{token}.png"}
