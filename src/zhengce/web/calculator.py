"""政策计算器 page: a profile from a form or an uploaded file → items, verdicts, totals, unlocks.

The calculator (`zhengce.match`) compiles the whole library once; the portal keeps the
compiled calculator for `ttl` seconds, like its other caches. The page changes nothing
on the server, so it needs no CSRF token, and the export is the same answer as JSON.
"""
from __future__ import annotations

import json
from typing import Any

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from zhengce.errors import ZhengceError
from zhengce.web.catalog import TTLCache
from zhengce.web.pages import as_json, render

router = APIRouter(include_in_schema=False)
MAX_PROFILE = 256 * 1024
TEXT_FIELDS = {"name": 100, "region": 100, "industry": 100, "scope": 2000, "size": 20, "ownership": 50,
               "founded": 10, "recipient_type": 20, "employees": 20, "revenue": 30, "as_of": 10,
               "honours": 2000, "facts": 2000, "confirms": 1000}
EXAMPLE = {"name": "威海福瑞医疗器械有限公司", "region": "山东省威海市环翠区", "industry": "C35",
           "honours": "高新技术企业 新认定 2021", "facts": "年发明专利授权数: 25"}
_calculators: TTLCache[int, Any] = TTLCache(4, 60.0)


def calculator_of(request: Request) -> Any:
    from zhengce.match.calculator import Calculator
    from zhengce.match.sources import LibrarySource

    library = request.app.state.catalog.library
    return _calculators.get(id(library), lambda: Calculator(LibrarySource(library)))


def run_profile(request: Request, data: Any) -> dict[str, Any]:
    """The calculator's report for a profile dict, as JSON; a bad profile is a 422 that says why."""
    from zhengce.profile import profile_from_dict

    try:
        profile = profile_from_dict(data, source="企业画像")
        report = calculator_of(request).match(profile)
    except ZhengceError as exc:
        raise HTTPException(422, f"企业画像有误：{exc}") from None
    return report.to_dict()  # type: ignore[no-any-return]


def profile_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The profile dict the form describes (empty fields left out: unknown, never "no")."""
    data: dict[str, Any] = {}
    for name in ("name", "region", "industry", "scope", "size", "ownership", "founded", "recipient_type",
                 "employees", "revenue", "as_of"):
        if form.get(name):
            data[name] = form[name]
    honours = [line.strip() for line in form.get("honours", "").splitlines() if line.strip()]
    if honours:
        data["honours"] = honours
    confirms = [line.strip() for line in form.get("confirms", "").splitlines() if line.strip()]
    if confirms:
        data["confirms"] = confirms
    facts: dict[str, str] = {}
    for line in form.get("facts", "").splitlines():
        key, sep, value = line.replace("：", ":").partition(":")
        if sep and key.strip() and value.strip():
            facts[key.strip()] = value.strip()
        elif line.strip():
            raise HTTPException(422, f"经营数据每行写“名称: 数值”，例如“年发明专利授权数: 25”；这一行不对：{line.strip()[:40]}")
    if facts:
        data["facts"] = facts
    return data


@router.get("/calculator")
def calculator_page(request: Request) -> Response:
    example = request.query_params.get("example") == "1"
    return render(request, "calculator.html", {"form": EXAMPLE if example else {}, "report": None})


@router.get("/calculator.json")
def calculator_help(request: Request) -> Response:
    from zhengce.profile import PROFILE_KEYS

    return as_json({"fields": list(PROFILE_KEYS), "example": EXAMPLE,
                    "post": "POST a profile as JSON to /api/match, or this form to /calculator"})


@router.post("/calculator")
async def calculator_post(request: Request) -> Response:
    form, data = await _read(request)
    report = run_profile(request, data)
    return render(request, "calculator.html", {"form": form, "report": report,
                                               "profile_json": json.dumps(data, ensure_ascii=False)})


@router.post("/calculator.json")
async def calculator_export(request: Request) -> Response:
    _, data = await _read(request)
    response = as_json({"profile": data, "report": run_profile(request, data)})
    response.headers["content-disposition"] = "attachment; filename=calculator-report.json"
    return response


async def _read(request: Request) -> tuple[dict[str, str], dict[str, Any]]:
    raw = await request.form(max_files=1, max_fields=50, max_part_size=MAX_PROFILE)
    form = {name: raw.get(name) if isinstance(raw.get(name), str) else "" for name in (*TEXT_FIELDS, "profile_json")}
    too_long = [n for n, limit in TEXT_FIELDS.items() if len(form[n] or "") > limit]
    if too_long or len(form["profile_json"] or "") > MAX_PROFILE:
        raise HTTPException(422, "填写的内容太长：" + "、".join(too_long or ["profile_json"]))
    upload = raw.get("profile")
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(MAX_PROFILE + 1)
        if len(content) > MAX_PROFILE:
            raise HTTPException(413, "企业画像文件不能超过256KB")
        return form, _parse_profile(content)  # type: ignore[return-value]
    if form["profile_json"]:
        return form, _parse_profile(form["profile_json"].encode())  # type: ignore[return-value]
    return form, profile_from_form(form)  # type: ignore[arg-type]


def _parse_profile(content: bytes) -> Any:
    try:
        text = content.decode("utf-8-sig")
        # YAML is a superset of JSON: one parser reads either file.
        return yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise HTTPException(422, f"企业画像文件应为 UTF-8 的 JSON 或 YAML：{str(exc)[:120]}") from None
