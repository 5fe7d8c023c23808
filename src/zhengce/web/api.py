"""The HTTP API under /api, mirroring the CLI: parse, ingest, search, policy, items, graph, match.

OpenAPI docs at /api/docs. Reads are open; ingest needs an officer session (with its
CSRF token in `X-CSRF-Token`) or `Authorization: Bearer $ZHENGCE_API_TOKEN`.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Optional

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from pydantic import BaseModel, Field

from zhengce.errors import ZhengceError
from zhengce.web.auth import current_session, same
from zhengce.web.catalog import Catalog
from zhengce.web.graph import graph
from zhengce.web.pages import as_json, cached, filters_of

router = APIRouter(prefix="/api", tags=["api"])
FILTER_HELP = "Facet filters as repeated query parameters: industry, size, ownership, theme, issuer, year."
MAX_TEXT = 2_000_000
_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def _catalog(request: Request) -> Catalog:
    return request.app.state.catalog  # type: ignore[no-any-return]


class ParseText(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT, description="The document's text.")
    url: Optional[str] = Field(None, max_length=2000, description="The page it came from.")


@router.post("/parse", summary="Read one document (file upload or text) and return the reading")
async def parse(request: Request, file: Optional[UploadFile] = File(None), text: Optional[str] = Form(None, max_length=MAX_TEXT),
                url: Optional[str] = Form(None, max_length=2000), with_text: bool = Query(False)) -> Any:
    """Like `zhengce parse`: multipart `file` (txt, html, pdf, docx) or form field `text`."""
    from zhengce.model import Source
    from zhengce.reader import read_file, read_text

    if file is not None and file.filename:
        raw = await file.read()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / _safe_name(file.filename)
            path.write_bytes(raw)
            try:
                policy = read_file(path, url=url)
            except ZhengceError as exc:
                raise HTTPException(422, _problem(exc)) from None
    elif text:
        policy = read_text(text, Source(url=url))
    else:
        raise HTTPException(422, "请上传文件（file）或提供文本（text）")
    data = policy.to_dict(with_text=with_text)
    data["source"]["path"] = file.filename if file is not None and file.filename else None
    return as_json(data)


@router.post("/ingest", summary="Add a document to the library")
async def ingest(request: Request, file: UploadFile = File(...), url: Optional[str] = Form(None, max_length=2000)) -> Any:
    """Like `zhengce ingest`: reads the file, stores reading and original; an unchanged file is skipped."""
    _require_writer(request)
    raw = await file.read()
    name = _safe_name(file.filename or "upload.txt")
    # A folder per content hash gives the upload a stable key: the same file twice stays one policy.
    folder = Path(tempfile.gettempdir()) / "zhengce-uploads" / hashlib.sha256(raw).hexdigest()[:32]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(raw)
    report = _catalog(request).library.ingest([path], source_url=url)
    _catalog(request).clear()
    event = report.events[0] if report.events else None
    if event is None or event.status == "failed":
        raise HTTPException(422, event.message if event and event.message else "无法读取这个文件")
    return as_json({"status": event.status, "id": event.policy_id, "title": event.title,
                    "href": f"/policy/{event.policy_id}"})


@router.get("/search", summary="Search policies (BM25, facets, highlighted snippets)", description=FILTER_HELP)
def search(request: Request, q: str = Query("", max_length=200), limit: int = Query(10, ge=1, le=100),
           offset: int = Query(0, ge=0, le=100_000)) -> Any:
    filters = filters_of(request)

    def answer() -> Any:
        if not q.strip():
            total, listed, facets = _catalog(request).browse(filters, limit, offset)
            return as_json({"query": q, "total": total,
                            "hits": [{"id": r.policy_id, "title": r.title, "issuer": r.issuer,
                                      "published": r.published} for r in listed],
                            "facets": {k: [{"value": v, "count": n} for v, n in vs] for k, vs in facets.items()}})
        return as_json(_catalog(request).search(q, filters, limit, offset).to_dict())
    return cached(request, "api", True, answer)


@router.get("/items", summary="Benefit items (奖补事项) matching a query across policies", description=FILTER_HELP)
def items(request: Request, q: str = Query("", max_length=200)) -> Any:
    from zhengce.export import item_record

    filters = filters_of(request)
    return cached(request, "api", True,
                  lambda: as_json([item_record(h) for h in _catalog(request).items(q, filters)]))


def _view(request: Request, pid: int) -> Any:
    try:
        return _catalog(request).view(pid)
    except KeyError:
        raise HTTPException(404, "没有找到这份政策") from None


@router.get("/policies/{pid}", summary="The reading of one stored policy")
def policy(request: Request, pid: int, with_text: bool = Query(False)) -> Any:
    return as_json({"id": pid, **_view(request, pid).policy.to_dict(with_text=with_text)})


@router.get("/policies/{pid}/items", summary="The benefit items of one policy")
def policy_items(request: Request, pid: int) -> Any:
    view = _view(request, pid)
    return as_json(view.reading.benefits)


@router.get("/policies/{pid}/interpretation", summary="政策解读 generated from the reading")
def policy_interpretation(request: Request, pid: int) -> Any:
    return as_json(_view(request, pid).reading)


@router.get("/policies/{pid}/graph", summary="政策图谱 as nodes and links (ECharts graph format)")
def policy_graph(request: Request, pid: int) -> Any:
    view = _view(request, pid)
    return as_json(graph(view.policy, pid, _catalog(request).related(pid)))


@router.get("/policies/{pid}/related", summary="Related policies and why")
def policy_related(request: Request, pid: int) -> Any:
    _view(request, pid)
    return as_json([r.to_dict() for r in _catalog(request).related(pid)])


@router.post("/match", summary="Match an enterprise profile against the library's benefit items")
async def match(request: Request) -> Any:
    """Body: a profile as JSON (see docs/calculator.md). Answers each item yes / no / unknown."""
    from zhengce.web.calculator import run_profile

    try:
        data = await request.json()
    except ValueError:
        raise HTTPException(422, "请求体应为 JSON 格式的企业画像") from None
    return as_json(run_profile(request, data))


def _require_writer(request: Request) -> None:
    token = os.environ.get("ZHENGCE_API_TOKEN")
    given = request.headers.get("authorization", "")
    if token and given.startswith("Bearer ") and same(given[7:], token):
        return
    session = current_session(request)
    if session is not None and same(request.headers.get("x-csrf-token", ""), session.csrf):
        return
    raise HTTPException(403, "需要工作人员登录（含 X-CSRF-Token）或 API 令牌")


def _safe_name(name: str) -> str:
    base = _SAFE_NAME.sub("_", Path(name).name)[:120].strip("._")
    return base or "upload.txt"


def _problem(exc: ZhengceError) -> str:
    return str(getattr(exc, "problem", None) or exc)
