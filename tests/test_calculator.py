"""The calculator on real readings of corpus documents, against profiles worked out by hand.

Each tests/cases/*.yaml names the corpus documents it reads and lists cases (profile →
expected items and totals); the format is explained at the top of weihai.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from zhengce.match.calculator import Calculator, ItemResult, Report
from zhengce.match.sources import FileSource
from zhengce.profile import SIZE_WORDS, profile_from_dict

CASES = Path(__file__).parent / "cases"
CORPUS = Path(__file__).parent.parent / "corpus"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            marks = []
            if case.get("xfail"):
                marks.append(pytest.mark.xfail(reason=case["xfail"], strict=False))
            out.append(pytest.param(tuple(data["policies"]), case, id=f"{path.stem}: {case['name']}", marks=marks))
    return out


@lru_cache(maxsize=None)
def calculator(policies: tuple[str, ...]) -> Calculator:
    return Calculator(FileSource([CORPUS / f"{p}.txt" for p in policies]))


_SPEC = re.compile(r"^(?P<article>\d+):(?P<amount>[^:]+)(?::(?P<words>.+))?$")


def parse_amount(text: str) -> tuple[str, float]:
    """"20万" → (yuan, 200000); "35%" → (ratio, 0.35); "1比1" → (ratio, 1.0); "6000" → (yuan, 6000)."""
    if text.endswith("%"):
        return "ratio", float(text[:-1]) / 100
    if "比" in text:
        a, b = text.split("比")
        return "ratio", float(b) / float(a)
    scale = 1.0
    for suffix, mult in (("亿", 1e8), ("万", 1e4), ("元", 1.0)):
        if text.endswith(suffix):
            text, scale = text[: -len(suffix)], mult
            break
    return "yuan", float(text) * scale


def matches(spec: str, r: ItemResult, report: Report) -> bool:
    m = _SPEC.match(spec)
    assert m, f"bad item spec {spec!r}: expected article:amount[:words], e.g. 7:20万:新认定"
    if r.article != int(m.group("article")):
        return False
    kind, value = parse_amount(m.group("amount"))
    item = r.item
    if kind == "ratio":
        if item.ratio is None or abs(item.ratio - value) > 1e-9:
            return False
    elif value not in (item.amount_yuan, item.cap_yuan):
        return False
    words = m.group("words")
    return words is None or words in r.recipient


def find(spec: str, results: list[ItemResult], report: Report) -> list[ItemResult]:
    return [r for r in results if matches(spec, r, report)]


@pytest.mark.parametrize("policies,case", _cases())
def test_case(policies: tuple[str, ...], case: dict[str, Any]) -> None:
    calc = calculator(policies)
    profile = profile_from_dict(case.get("profile") or {}, source=case["name"])
    options = case.get("options") or {}
    report = calc.match(profile, count_superseded=bool(options.get("count_superseded")))
    expect = case["expect"]
    every = report.items

    def describe(spec: str) -> str:
        found = find(spec, every, report)
        if not found:
            return f"{spec}: no such item in the reading"
        return "; ".join(f"{spec} → {r.verdict} ({r.recipient}): " +
                         ", ".join(f"{c.verdict} {c.explain} [{c.field}: {c.seen}]" for c in r.checks) for r in found)

    for spec in expect.get("eligible", []):
        assert find(spec, report.eligible, report), f"expected eligible: {describe(spec)}"
    for spec in expect.get("not_eligible", []):
        assert not find(spec, report.eligible, report), f"expected not eligible: {describe(spec)}"
    for spec in expect.get("possible", []):
        assert find(spec, report.possible, report), f"expected possible (unknown): {describe(spec)}"
    for spec in expect.get("unmet", []):
        assert find(spec, [r for r in every if r.verdict == "unmet"], report), f"expected unmet: {describe(spec)}"
    if expect.get("eligible_exact"):
        listed = expect.get("eligible", [])
        extra = [r for r in report.eligible if not any(matches(s, r, report) for s in listed)]
        assert not extra, f"unexpected eligible items: {[(r.article, r.recipient, r.money.text) for r in extra]}"
    if "certain_yuan" in expect:
        counted = [(r.article, r.recipient, r.money.text, r.note) for r in report.eligible if r.money.certain_yuan]
        assert report.certain_yuan == pytest.approx(expect["certain_yuan"]), f"certain money from {counted}"
    for spec, yuan in (expect.get("money") or {}).items():
        found = find(spec, every, report)
        assert found, f"money: {describe(spec)}"
        assert found[0].money.best_yuan == pytest.approx(yuan), f"{spec}: {found[0].money.text}"
    top = expect.get("unlock") or []
    if top:
        got = [u.item for u in report.unlock[: len(top)]]
        for spec, item in zip(top, got):
            assert matches(spec, item, report), \
                f"unlock order: expected {top}, got {[(u.action, u.item.money.text) for u in report.unlock[:5]]}"
    for spec in expect.get("unlock_includes") or []:
        assert any(matches(spec, u.item, report) for u in report.unlock), \
            f"expected among unlockable: {spec}; got {[(u.action, u.item.money.text) for u in report.unlock]}"
    for pid, status in (expect.get("policy_status") or {}).items():
        got = {s.policy_id: s.status for s in report.policies}
        assert got.get(pid) == status, f"{pid}: {got.get(pid)}"
    if "size" in expect:
        assert profile.sizes == frozenset(expect["size"]) or profile.sizes == SIZE_WORDS.get(str(expect["size"]))


def test_every_item_gets_a_verdict_with_its_evidence() -> None:
    calc = calculator(("weihai-2021-keji-chuangxin",))
    report = calc.match(profile_from_dict({"region": "山东省威海市", "as_of": "2021-12-31"}))
    assert len(report.items) == len(calc.compiled[0].policy.items)
    for r in report.items:
        assert r.verdict in ("met", "unmet", "unknown")
        assert r.checks, r.recipient
        for c in r.checks:
            assert c.condition and c.field and c.seen and c.explain, c


def test_unknown_items_are_never_silently_dropped() -> None:
    # Missing data: the firm gives its place only; nothing is unmet except by what it gave.
    calc = calculator(("weihai-2021-keji-chuangxin",))
    report = calc.match(profile_from_dict({"region": "山东省威海市", "as_of": "2021-12-31"}))
    for r in report.items:
        if r.verdict == "unmet":
            assert any(c.verdict == "unmet" for c in r.checks)
            assert all(c.kind != "text" for c in r.checks if c.verdict == "unmet")


def _weihai() -> Any:
    return calculator(("weihai-2021-keji-chuangxin",)).compiled[0].policy


HIGH_TECH = {"name": "威海福瑞医疗器械有限公司", "region": "山东省威海市", "honours": ["高新技术企业 新认定 2021"],
             "facts": {"年发明专利授权数": 25}, "as_of": "2021-12-31"}


def test_expired_policy_is_flagged_and_not_counted() -> None:
    from dataclasses import replace

    from zhengce.model import Validity

    old = replace(_weihai(), validity=Validity(expiry="有效期至2020年12月31日", expiry_date="2020-12-31"))
    report = Calculator([("weihai", old)]).match(profile_from_dict(HIGH_TECH))
    assert [s.status for s in report.policies] == ["expired"]
    assert report.eligible and all(not r.counted and "已过期" in (r.note or "") for r in report.eligible)
    assert report.certain_yuan == 0
    assert not report.unlock


def test_superseded_policy_is_flagged_by_the_policy_that_repeals_it() -> None:
    from dataclasses import replace

    from zhengce.model import Validity

    old = _weihai()
    new = replace(old, title="威海市人民政府关于进一步加快科技创新的实施意见", text=old.text + "\n本意见自发布之日起施行。",
                  validity=Validity(supersedes=f"《{old.title}》同时废止"))
    report = Calculator([("old", old), ("new", new)]).match(profile_from_dict(HIGH_TECH))
    status = {s.policy_id: s.status for s in report.policies}
    assert status == {"old": "superseded", "new": "in_force"}
    assert report.certain_yuan == 400000  # the new one's 20 + 20 万元, the old one's not again


def test_stacking_across_policies_keeps_the_higher() -> None:
    # A second policy rewarding the same matter (新认定高企) and saying 就高不重复: one is paid.
    from dataclasses import replace

    old = _weihai()
    items = tuple(replace(i, amount_yuan=300000) for i in old.items if "新认定的高新技术企业" == i.recipient)
    assert items, "the reading lost 第7条's 新认定高企 item"
    county = replace(old, title="威海市环翠区关于支持高新技术企业的若干措施", issuer="威海市环翠区人民政府",
                     items=items, text="对新认定的高新技术企业奖励30万元。与其他政策同一事项的，按就高不重复原则执行。")
    report = Calculator([("weihai", old), ("huancui", county)]).match(
        profile_from_dict({**HIGH_TECH, "region": "山东省威海市环翠区"}))
    met = [(r.policy_id, r.money.certain_yuan, r.counted) for r in report.eligible if r.matter == "honour:高新技术企业"
           and r.money.certain_yuan]
    assert ("huancui", 300000, True) in met and ("weihai", 200000, False) in met
    assert report.certain_yuan == 300000 + 200000  # 环翠区 30 万 instead of 威海 20 万, plus the patents' 20 万
