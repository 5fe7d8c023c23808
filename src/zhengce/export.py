"""Exports: benefit items as CSV or JSON, one policy or the whole library as JSON."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from zhengce.library import Filters, ItemHit, Library

ITEM_COLUMNS = ("policy_id", "policy_title", "issuer", "published", "article", "recipient", "kind",
                "basis", "amount", "amount_yuan", "cap_yuan", "ratio", "ratio_min", "unit", "period",
                "conditions", "quote")


def yuan_text(yuan: float) -> str:
    """An amount as a person writes it.

    >>> yuan_text(2_000_000), yuan_text(150_000_000), yuan_text(800)
    ('200万元', '1.5亿元', '800元')
    """
    for size, unit in ((100_000_000, "亿元"), (10_000, "万元")):
        if abs(yuan) >= size:
            return f"{yuan / size:.4f}".rstrip("0").rstrip(".") + unit
    return f"{yuan:.2f}".rstrip("0").rstrip(".") + "元"


def _percent(ratio: float) -> str:
    return f"{ratio * 100:.2f}".rstrip("0").rstrip(".") + "%"


def amount_text(item: ItemHit) -> str:
    """The amount of an item in one short phrase: 最高200万元, 50%（最高100万元）, 1:1配套, 每人3000元.

    Items with no amount read "—".
    """
    parts: list[str] = []
    if item.basis == "matching" and item.ratio:
        parts.append(f"1:{item.ratio:g}配套")
    elif item.ratio is not None:
        low = f"{_percent(item.ratio_min)}—" if item.ratio_min is not None else ""
        parts.append(low + _percent(item.ratio))
    if item.amount_yuan is not None:
        amount = yuan_text(item.amount_yuan)
        if item.basis == "per_unit" and item.unit:
            amount += f"/{item.unit}"
        parts.append(("最高" if item.basis == "max" else "") + amount)
    if item.cap_yuan is not None:
        cap = f"最高{yuan_text(item.cap_yuan)}"
        parts.append(f"（{cap}）" if parts else cap)
    text = "".join(parts) if len(parts) <= 1 or parts[-1].startswith("（") else "，".join(parts)
    if text and item.period:
        text = f"{item.period} {text}"
    return text or "—"


def item_record(item: ItemHit) -> dict[str, object]:
    """One item as a flat record: the CSV row and the JSON object (conditions kept as a list)."""
    data = item.to_dict()
    data["amount"] = amount_text(item)
    return {name: data.get(name) for name in ITEM_COLUMNS}


def write_items(items: Iterable[ItemHit], out: TextIO, format: str = "csv") -> int:
    """Write items as CSV (conditions joined by "；") or as a JSON array; returns how many."""
    n = 0
    if format == "csv":
        writer = csv.DictWriter(out, fieldnames=ITEM_COLUMNS)
        writer.writeheader()
        for item in items:
            record = item_record(item)
            record["conditions"] = "；".join(item.conditions)
            writer.writerow(record)
            n += 1
        return n
    if format != "json":
        raise ValueError(f"format must be csv or json; got {format!r}")
    out.write("[")
    for item in items:
        out.write(("," if n else "") + "\n " + json.dumps(item_record(item), ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n


def items_of(library: Library, query: str | None = None, filters: Filters | None = None,
             policies: int = 1000) -> list[ItemHit]:
    """All items of the library, or those a benefit search for `query` finds."""
    if query:
        return library.items(query, filters, policies=policies)
    with library.repo.reading() as conn:
        return library.item_rows(conn)


def policy_record(library: Library, policy_id: int, with_text: bool = True) -> dict[str, object]:
    """One stored policy as JSON data: its id and the whole reading."""
    return {"id": policy_id, **library.load(policy_id).to_dict(with_text=with_text)}


def write_policy(library: Library, policy_id: int, out: TextIO, with_text: bool = True) -> None:
    json.dump(policy_record(library, policy_id, with_text), out, ensure_ascii=False, indent=1)
    out.write("\n")


def write_library(library: Library, out: TextIO, with_text: bool = True) -> int:
    """The whole library as a JSON array of policies, written one policy at a time."""
    n = 0
    out.write("[")
    for pid in library.repo.ids():
        out.write(("," if n else "") + "\n" + json.dumps(policy_record(library, pid, with_text),
                                                        ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n
