"""The registry the batch reads (企业库): one row per applicant, a profile flattened into columns.

`prepare_registry` loads a CSV or Parquet of registrations (企业名称, 所在省份, 地区, 经营范围 …
as ../shared/enterprises has them) or of profile-like columns into DuckDB, each row read as
a profile would be; a file that already has `REGISTRY_COLUMNS` is used as it is.
`profile_to_row` gives a profile the same shape, so the SQL sees what the calculator sees.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhengce.errors import ZhengceError
from zhengce.match.conditions import above_scale, honour_tokens, recipient_sql_value, size_mask
from zhengce.match.regions import county_in, place_from_text, resolve_place
from zhengce.profile import (
    SIZE_WORDS,
    Profile,
    ProfileError,
    fact_field,
    facts_lexicon,
    industry_from_scope,
    parse_quantity,
    profile_from_dict,
)

FACT_COLUMNS = tuple(facts_lexicon())
REGISTRY_COLUMNS: dict[str, str] = {
    "rid": "BIGINT", "name": "VARCHAR", "credit_code": "VARCHAR",
    "province": "VARCHAR", "city": "VARCHAR", "county": "VARCHAR",
    "industry_section": "VARCHAR", "industry_division": "VARCHAR",
    "size": "VARCHAR", "above_scale": "BOOLEAN", "ownership": "VARCHAR",
    "recipient_mask": "BIGINT", "honours": "VARCHAR",
    **{f: "DOUBLE" for f in FACT_COLUMNS},
}

class BatchError(ZhengceError):
    """A registry could not be read or matched: names the file and the problem."""


_REG_ALIASES = {
    "企业名称": "name", "名称": "name", "统一社会信用代码": "credit_code", "所在省份": "province", "省份": "province",
    "地区": "city", "城市": "city", "区县": "county", "注册地址": "address", "地址": "address", "经营范围": "scope",
    "企业类型": "company_type", "注册资金": "registered_capital_text", "注册资本": "registered_capital_text",
    "行业": "industry", "规模": "size", "企业规模": "size", "企业性质": "ownership", "资质": "honours", "荣誉": "honours",
    "注册日期": "founded", "申报主体类型": "recipient_type",
}


def _registry_format(columns: Sequence[str]) -> str:
    return "prepared" if all(c in columns for c in REGISTRY_COLUMNS) else "raw"


@lru_cache(maxsize=200_000)
def _place_codes(province: str, city: str, county: str, address: str) -> tuple[str | None, str | None, str | None]:
    names = [n for n in (province, city, county) if n]
    place = resolve_place(names) if names else place_from_text(address)
    if address and place.known and not place.county:
        # The county from the address, among the counties of the city (or province) known.
        code = county_in(address, place.city or place.province or "")
        if code:
            return code[:2], code[:4], code
    return place.province, place.city, place.county


@lru_cache(maxsize=200_000)
def _scope_industry(scope: str) -> tuple[str | None, str | None]:
    ind = industry_from_scope(scope)
    return ind.section, ind.division


@lru_cache(maxsize=100_000)
def _honour_text(text: str) -> str:
    parts = [p for p in re.split(r"[；;|\n]+", text) if p.strip()]
    prof = profile_from_dict({"honours": parts})
    return honour_tokens(prof.honours)


_CAPITAL = re.compile(r"([\d.]+)\s*\(?(万)?元?(人民币)?\)?")


def _registered_capital(text: str) -> float | None:
    m = _CAPITAL.match(text or "")
    if not m or ("美元" in text or "港" in text or "欧元" in text or "日元" in text):
        return None
    try:
        return float(m.group(1)) * (1e4 if m.group(2) else 1.0)
    except ValueError:
        return None


def registry_row(raw: dict[str, Any], rid: int, as_of: str) -> dict[str, Any]:
    """One registration or profile-like row → a registry row (what `profile_to_row` gives a profile)."""
    row: dict[str, Any] = {k: None for k in REGISTRY_COLUMNS}
    row["rid"] = rid
    get = {(_REG_ALIASES.get(k, k)): v for k, v in raw.items()}

    def text(key: str) -> str:
        v = get.get(key)
        return "" if v is None or v == "N/A" or (isinstance(v, float) and math.isnan(v)) else str(v).strip()

    row["name"] = text("name") or None
    row["credit_code"] = text("credit_code") or None
    row["province"], row["city"], row["county"] = _place_codes(text("province"), text("city"), text("county"),
                                                               text("address"))
    if text("industry"):
        prof = profile_from_dict({"industry": text("industry")})
        row["industry_section"], row["industry_division"] = prof.industry.section, prof.industry.division
    elif text("scope"):
        row["industry_section"], row["industry_division"] = _scope_industry(text("scope"))
    facts: dict[str, float] = {}
    for key, value in get.items():
        f = fact_field(key)
        if f and value is not None and value != "":
            q = parse_quantity(value)
            if q is not None and not math.isnan(q):
                facts[f] = q
    if "registered_capital" not in facts and text("registered_capital_text"):
        cap = _registered_capital(text("registered_capital_text"))
        if cap is not None:
            facts["registered_capital"] = cap
    data: dict[str, Any] = {"name": row["name"] or "", "facts": facts, "as_of": as_of}
    if text("size") in SIZE_WORDS:
        data["size"] = text("size")
    if text("recipient_type"):
        data["recipient_type"] = text("recipient_type").split("|")
    if row["industry_division"]:
        data["industry"] = row["industry_division"]
    prof = profile_from_dict(data)
    row["size"] = size_mask(prof.sizes)
    ab = get.get("above_scale")
    row["above_scale"] = bool(ab) if isinstance(ab, bool) else above_scale(prof)
    row["ownership"] = text("ownership") or None
    row["recipient_mask"] = recipient_sql_value(prof.recipient_types)
    honours = get.get("honours")
    if honours is not None and not (isinstance(honours, float) and math.isnan(honours)):
        row["honours"] = _honour_text(str(honours))
    for f in FACT_COLUMNS:
        row[f] = facts.get(f)
    return row


def profile_to_row(profile: Profile, rid: int = 0) -> dict[str, Any]:
    """A profile as a registry row: what the batch SQL sees of it."""
    row: dict[str, Any] = {k: None for k in REGISTRY_COLUMNS}
    row.update(rid=rid, name=profile.name, credit_code=profile.credit_code,
               province=profile.place.province, city=profile.place.city, county=profile.place.county,
               industry_section=profile.industry.section, industry_division=profile.industry.division,
               size=size_mask(profile.sizes), above_scale=above_scale(profile), ownership=profile.ownership,
               recipient_mask=recipient_sql_value(profile.recipient_types),
               honours=honour_tokens(profile.honours) if profile.honours_known else None)
    for f in FACT_COLUMNS:
        row[f] = profile.facts.get(f)
    return row


def _arrow_schema() -> Any:
    import pyarrow as pa

    types = {"BIGINT": pa.int64(), "VARCHAR": pa.string(), "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64()}
    return pa.schema([(name, types[t]) for name, t in REGISTRY_COLUMNS.items()])


def rows_to_arrow(rows: Iterable[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(list(rows), schema=_arrow_schema())


def prepare_registry(path: str | Path, con: Any, as_of: str, table: str = "registry",
                     on_rows: Callable[[int], None] | None = None) -> int:
    """Load a registry file into DuckDB as `table` (sorted by region); returns the row count."""
    path = Path(path)
    if not path.exists():
        raise BatchError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        source = f"read_parquet({sql_literal(str(path))})"
    elif suffix in (".csv", ".tsv", ".txt"):
        source = f"read_csv({sql_literal(str(path))}, header=true, all_varchar=true)"
    else:
        raise BatchError(f"{path}: expected a .csv or .parquet registry; got {suffix or 'no suffix'}")
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    except Exception as exc:  # DuckDB's own message names the problem (bad CSV line, bad parquet)
        if suffix == ".parquet":
            raise BatchError(f"{path}: cannot be read: {str(exc).splitlines()[0]}") from None
        # Real registrations have stray separators in 经营范围: read them leniently, as
        # Python's csv module would (a short row gets NULLs, a long one keeps its first fields).
        delim = "\t" if suffix == ".tsv" else ","
        source = (f"read_csv({sql_literal(str(path))}, header=true, all_varchar=true, delim={sql_literal(delim)}, "
                  f"quote='\"', strict_mode=false, null_padding=true)")
        try:
            columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        except Exception:
            raise BatchError(f"{path}: cannot be read as CSV: {str(exc).splitlines()[0]}") from None
    cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in REGISTRY_COLUMNS.items())
    if _registry_format(columns) == "prepared":
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {cols} FROM {source} "
                    f"ORDER BY province, city, county")
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    reader = con.cursor().sql(f"SELECT * FROM {source}").to_arrow_reader(50_000)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_load ({', '.join(f'{c} {t}' for c, t in REGISTRY_COLUMNS.items())})")
    rid = 0
    for batch in reader:
        rows = []
        for raw in batch.to_pylist():
            try:
                rows.append(registry_row(raw, rid, as_of))
            except ProfileError as exc:
                raise BatchError(f"{path}: row {rid + 2}: {exc.field or 'row'}: {exc.problem}") from None
            rid += 1
        arrow = rows_to_arrow(rows)  # noqa: F841 (DuckDB reads it by name)
        con.execute(f"INSERT INTO {table}_load SELECT * FROM arrow")
        if on_rows:
            on_rows(rid)
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {table}_load ORDER BY province, city, county")
    con.execute(f"DROP TABLE {table}_load")
    return rid




def sql_literal(value: str) -> str:
    """A string as an SQL literal (quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"
