"""How a page is served: one function, two faces (HTML through a template, and its `.json` twin)."""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment

from zhengce.web.auth import CSRF_COOKIE, SESSION_COOKIE, check_csrf, csrf_token, current_session

FACETS = ("industry", "size", "ownership", "theme", "issuer", "year")
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 100


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    env: Environment = request.app.state.templates
    session = current_session(request)
    html = env.get_template(template).render(request=request, session=session,
                                             csrf=lambda: csrf_token(request), **context)
    response = HTMLResponse(html, status_code=status)
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="lax",
                            secure=request.app.state.secure_cookies, max_age=30 * 86400)
    if session is not None or new:
        response.headers["cache-control"] = "no-store"
    return response


def as_json(data: Any, status: int = 200) -> JSONResponse:
    from zhengce.web.app import jsonable

    return JSONResponse(jsonable(data), status_code=status)


def twin(router: APIRouter, path: str, template: str, json_path: str | None = None,
         cache: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a GET page at `path` and its JSON twin at `path + '.json'`.

    The decorated function takes `request` by keyword and returns the page's data as a
    dict (keys starting with `_` go to the template only), or a Response. With `cache`,
    a page without forms is kept rendered for visitors without a session (the catalog's
    time to live): the policy page and search are what most people open.
    """
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def html(*args: Any, **kwargs: Any) -> Response:
            request: Request = kwargs["request"]
            return cached(request, "html", cache, lambda: _page(fn, template, args, kwargs))

        @functools.wraps(fn)
        def json_twin(*args: Any, **kwargs: Any) -> Response:
            request: Request = kwargs["request"]
            return cached(request, "json", cache, lambda: _json_page(fn, args, kwargs))

        router.add_api_route(path, html, methods=["GET"], response_class=HTMLResponse, include_in_schema=False)
        router.add_api_route(json_path or path + ".json", json_twin, methods=["GET"], include_in_schema=False)
        return fn
    return decorate


def _page(fn: Callable[..., Any], template: str, args: Any, kwargs: Any) -> Response:
    data = fn(*args, **kwargs)
    return data if isinstance(data, Response) else render(kwargs["request"], template, data)


def _json_page(fn: Callable[..., Any], args: Any, kwargs: Any) -> Response:
    data = fn(*args, **kwargs)
    return data if isinstance(data, Response) else as_json(data)


def cached(request: Request, kind: str, cache: bool, make: Callable[[], Response]) -> Response:
    """`make()`'s response, kept for visitors without a session while the catalog's entries live."""
    if not cache or SESSION_COOKIE in request.cookies:
        return make()
    pages = request.app.state.catalog.pages
    key = (kind, request.url.path, request.url.query)
    hit = pages.peek(key)
    if hit is not None:
        body, media_type = hit
        return Response(body, media_type=media_type)
    response = make()
    if response.status_code == 200 and "set-cookie" not in response.headers:
        pages.put(key, (bytes(response.body), response.media_type))
    return response


def filters_of(request: Request) -> dict[str, list[str]]:
    """Facet filters from the query string (?industry=制造业&year=2021), validated."""
    out: dict[str, list[str]] = {}
    for facet in FACETS:
        values = [v.strip() for v in request.query_params.getlist(facet) if v.strip()]
        if not values:
            continue
        if len(values) > MAX_FILTER_VALUES or any(len(v) > MAX_FILTER_CHARS for v in values):
            raise HTTPException(422, f"筛选条件“{facet}”太长或太多")
        if facet == "year" and not all(v.isdigit() and len(v) == 4 for v in values):
            raise HTTPException(422, "年份应为四位数字，例如 2021")
        out[facet] = values
    return out


def text_param(request: Request, name: str, limit: int) -> str:
    value = request.query_params.get(name, "")
    if len(value) > limit:
        raise HTTPException(422, f"“{name}”不能超过{limit}个字符")
    return value.strip()


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise HTTPException(422, f"“{name}”应为{low}到{high}之间的整数")
    return int(raw)


async def form_of(request: Request, fields: dict[str, int]) -> dict[str, str]:
    """A posted form after the CSRF check: the named fields as text, each within its length."""
    form = await request.form(max_files=0, max_fields=200, max_part_size=MAX_PART)
    if not check_csrf(request, _str(form.get("csrf"))):
        raise HTTPException(403, "表单已过期或来源不明，请刷新页面后重新提交。")
    return {name: _str(form.get(name)).strip() for name in fields}


MAX_PART = 256 * 1024


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def too_long(data: dict[str, str], fields: dict[str, int], labels: dict[str, str]) -> list[str]:
    return [f"{labels.get(n, n)}不能超过{limit}个字" for n, limit in fields.items() if len(data.get(n, "")) > limit]


def client_key(request: Request) -> str:
    """Who is posting, as a hash of the address (no raw addresses in the database)."""
    host = request.client.host if request.client else "unknown"
    return hashlib.sha256(f"{request.app.state.secret}:{host}".encode()).hexdigest()[:32]


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
