"""The portal (政策门户) and HTTP API: `create_app()` builds the FastAPI application.

    uvicorn --factory zhengce.web.app:create_app       # or: zhengce serve

Pages are server-rendered Jinja2 and each has a JSON twin (`/policy/3` and
`/policy/3.json`); the API under `/api` mirrors the CLI. Errors become a friendly
page (or a JSON error for JSON paths), never a traceback.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhengce.library import open_library
from zhengce.web.catalog import FACET_LABELS, Catalog
from zhengce.web.interpret import amount, money, percent
from zhengce.web.store import WebStore

HERE = Path(__file__).parent
log = logging.getLogger("zhengce.web")

# Uploads (policy files, profiles) may be large; every other request body is a form.
MAX_BODY = 256 * 1024
MAX_UPLOAD = 20 * 1024 * 1024
UPLOAD_PATHS = ("/api/parse", "/api/ingest", "/calculator")

MESSAGES = {
    400: "请求有误，请检查填写的内容。",
    403: "没有权限访问此页面，或表单已过期，请刷新后重试。",
    404: "没有找到您要的页面或政策。",
    405: "不支持这种访问方式。",
    413: "提交的内容太大。",
    422: "填写的内容不符合要求，请检查后重试。",
    429: "操作太频繁，请稍后再试。",
    500: "服务器暂时出了点问题，我们会尽快处理。请稍后再试。",
}


def create_app(url: str | None = None, corpus: Sequence[str | Path] | None = None, ttl: float | None = None,
               secure_cookies: bool | None = None) -> FastAPI:
    """The portal over the library at `url` (default `ZHENGCE_DB`, else `sqlite:///zhengce.db`).

    Args:
        url: the library's database URL; the portal's own tables go in the same database.
        corpus: files or folders ingested at start (unchanged files are skipped).
        ttl: seconds a cached policy page or search may be served after the library changed
            (default `ZHENGCE_WEB_TTL`, else 30; 0 turns the caches off).
        secure_cookies: mark cookies Secure, for HTTPS (default: `ZHENGCE_SECURE_COOKIES` is 1).
    """
    if ttl is None:
        ttl = float(os.environ.get("ZHENGCE_WEB_TTL") or 30.0)
    if secure_cookies is None:
        secure_cookies = os.environ.get("ZHENGCE_SECURE_COOKIES") == "1"
    library = open_library(url)
    if corpus:
        report = library.ingest(corpus)
        for event in report.failed:
            log.warning("not ingested: %s: %s", event.path, event.message)
    # docs_url=None: FastAPI's own docs page loads Swagger UI from a CDN; ours serves the
    # vendored copy (static/vendor) so the API docs work offline.
    app = FastAPI(title="zhengce 政策 API", version="0.1.0", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="政策文件的阅读、检索、奖补事项与测算。The HTTP face of the `zhengce` CLI.")
    app.state.library = library
    app.state.catalog = Catalog(library, ttl)
    app.state.store = WebStore(library.engine)
    app.state.secret = app.state.store.secret()
    app.state.secure_cookies = secure_cookies
    app.state.templates = _templates()

    from zhengce.web import api, calculator, officer, routes

    app.include_router(api.router)
    app.include_router(officer.router)
    app.include_router(calculator.router)
    app.include_router(routes.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_api_route("/api/docs", _api_docs, include_in_schema=False, response_class=HTMLResponse)
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(Guard)  # type: ignore[arg-type]
    return app


API_DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>zhengce 政策 API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/vendor/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script></body></html>"""


async def _api_docs() -> HTMLResponse:
    return HTMLResponse(API_DOCS_PAGE)


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters.update(money=money, amount=amount, percent=percent)
    env.globals.update(FACET_LABELS=FACET_LABELS)
    return env


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    text = message or MESSAGES.get(status, MESSAGES[500])
    if wants_json(request):
        return JSONResponse({"error": {"status": status, "message": text}}, status_code=status)
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(status=status, message=text, request=request, session=None)
    return HTMLResponse(html, status_code=status)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    status = exc.status_code
    # Our own messages are written for a person; the framework's English defaults are replaced.
    message = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None
    response = error_page(request, status, message)
    if status == 405 and exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()} - {""})
    message = MESSAGES[422] + (f"（{'、'.join(fields)[:200]}）" if fields else "")
    return error_page(request, 422, message)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("error on %s %s", request.method, request.url.path)
    return error_page(request, 500)


class Guard:
    """Security headers on every response, and a cap on request bodies (pure ASGI: cheap)."""

    HEADERS = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        # Scripts only from our own static files: injected markup could not run even if it got through.
        (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
                                     b" script-src 'self'; object-src 'none'; frame-ancestors 'none';"
                                     b" base-uri 'self'; form-action 'self'"),
    ]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = MAX_UPLOAD if path.startswith(UPLOAD_PATHS) else MAX_BODY
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(scope, receive, send)
            return
        headers = self.HEADERS
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:  # chunked bodies that lie by omission
                    raise StarletteHTTPException(413)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + headers
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    body = json.dumps({"error": {"status": 413, "message": MESSAGES[413]}}, ensure_ascii=False).encode() \
        if scope.get("path", "").startswith("/api/") else \
        f"<!doctype html><meta charset=utf-8><title>413</title><p>{MESSAGES[413]}</p><p><a href=/>返回首页</a>".encode()
    kind = b"application/json" if scope.get("path", "").startswith("/api/") else b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def jsonable(value: Any) -> Any:
    """Dataclasses, tuples and the like as plain JSON values."""
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        return jsonable(to_dict() if callable(to_dict) else asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value
