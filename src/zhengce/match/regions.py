"""Where a firm is and where a policy applies, as 行政区划代码 (GB/T 2260 adcodes).

A place is kept as the codes of its three levels: province (2 digits), city (4) and
county (6). A policy applies inside the region its issuer governs; a firm is inside
it when its code at that level is the same. Names resolve through `lexicons/regions.tsv`
in full (威海市) or short (威海) form.

>>> place = resolve_place(["山东", "威海", "环翠区"])
>>> (place.province, place.city, place.county)
('37', '3710', '371002')
>>> policy_scope("威海市人民政府", "关于加快科技创新的实施意见").code
'3710'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Suffixes dropped to get a short name (山东省 → 山东); the longest is tried first.
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
             "地区", "省", "市", "区", "县", "旗", "盟")
# Issuers whose policies apply in the whole country.
_NATIONAL = re.compile(r"^(国务院|中共中央|全国|国家|中华人民共和国|工业和信息化部|财政部|科学技术部|科技部|"
                       r"人力资源和社会保障部|商务部|税务总局|国家税务总局|人民银行|中国人民银行|发展改革委|"
                       r"国家发展改革委|银保监会|证监会|教育部|农业农村部|自然资源部|生态环境部|市场监管总局)")


@dataclass(frozen=True, slots=True)
class Place:
    """A location as adcode prefixes; None where the level is not known."""

    province: str | None = None
    city: str | None = None
    county: str | None = None
    name: str = ""

    @property
    def known(self) -> bool:
        return self.province is not None


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a policy applies (适用地域): a region code, or the whole country."""

    code: str | None          # 2, 4 or 6 digits; None when national or not found
    name: str
    national: bool = False
    found_in: str = ""        # the words the region was read from (issuer or title)


@dataclass(frozen=True, slots=True)
class _Region:
    code: str                 # 6 digits
    name: str

    @property
    def level(self) -> int:
        """2 for a province, 4 for a city, 6 for a county: the length of its prefix."""
        if self.code.endswith("0000"):
            return 2
        if self.code.endswith("00"):
            return 4
        return 6

    @property
    def prefix(self) -> str:
        return self.code[: self.level]


def short_name(name: str) -> str:
    """山东省 → 山东, 延边朝鲜族自治州 → 延边朝鲜族 (then 延边), 环翠区 → 环翠.

    >>> short_name("内蒙古自治区"), short_name("威海市"), short_name("城区")
    ('内蒙古', '威海', '城区')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            # 延边朝鲜族 → 延边: an ethnic name stays out of the short form.
            m = re.match(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+$", stem)
            return m.group(1) if m and len(m.group(1)) >= 2 else stem
    return name


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, tuple[_Region, ...]], int]:
    """Name (full or short) → regions with that name; and the longest name's length."""
    text = resources.files("zhengce").joinpath("lexicons/regions.tsv").read_text(encoding="utf-8")
    index: dict[str, list[_Region]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, name = line.split("\t")
        region = _Region(code, name)
        for key in {name, short_name(name)}:
            index.setdefault(key, []).append(region)
    longest = max(len(k) for k in index)
    return {k: tuple(v) for k, v in index.items()}, longest


def _candidates(name: str) -> tuple[_Region, ...]:
    index, _ = _gazetteer()
    name = name.strip()
    return index.get(name) or index.get(short_name(name)) or ()


def split_names(text: str, full_only: bool = False) -> list[str]:
    """The region names in an address-like string, longest match first, left to right.

    `full_only` skips short names (资源 for 资源县), for running text rather than addresses.

    >>> split_names("山东省威海市环翠区")
    ['山东省', '威海市', '环翠区']
    >>> split_names("广州市人力资源社会保障局", full_only=True)
    ['广州市']
    """
    index, longest = _gazetteer()
    names: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 1, -1):
            word = text[i:i + size]
            if word in index and (not full_only or any(r.name == word for r in index[word])):
                names.append(text[i:i + size])
                i += size
                break
        else:
            i += 1
    return names


def resolve_place(names: list[str]) -> Place:
    """The most specific place consistent with all the names (province, city, county in any order).

    A name that matches several regions (朝阳区 is in 北京 and 长春) is kept only where the
    other names decide which; otherwise that level stays unknown.
    """
    chosen: list[_Region] = []
    for name in names:
        if not name:
            continue
        options = _candidates(name)
        if chosen:
            narrowed = [r for r in options if all(r.code.startswith(c.prefix) or c.code.startswith(r.prefix)
                                                   for c in chosen)]
            options = tuple(narrowed) or options
        if len(options) == 1:
            chosen.append(options[0])
        elif options:
            # A name given at the province or city level is rarely ambiguous there: prefer
            # the highest level when names collide across levels (吉林省 / 吉林市 stay apart by suffix).
            top = min(r.level for r in options)
            at_top = [r for r in options if r.level == top]
            if len(at_top) == 1:
                chosen.append(at_top[0])
    if not chosen:
        return Place(name="".join(names))
    deepest = max(chosen, key=lambda r: r.level)
    code = deepest.code
    level = deepest.level
    return Place(
        province=code[:2],
        city=code[:4] if level >= 4 else None,
        county=code if level == 6 else None,
        name="".join(names),
    )


@lru_cache(maxsize=1)
def _counties() -> dict[str, list[tuple[str, str]]]:
    """City (or, for 北京 and the like, province) prefix → (name, code) of its counties, full and short."""
    out: dict[str, list[tuple[str, str]]] = {}
    for regions in _gazetteer()[0].values():
        for r in regions:
            if r.level == 6:
                for key in (r.code[:4], r.code[:2]):
                    out.setdefault(key, []).extend({(r.name, r.code), (short_name(r.name), r.code)})
    for key in out:
        out[key].sort(key=lambda x: -len(x[0]))
    return out


def county_in(address: str, within: str) -> str | None:
    """The code of the first county of region `within` (2 or 4 digits) that an address names.

    >>> county_in("威海市环翠区世昌大道", "3710")
    '371002'
    """
    best: tuple[int, str] | None = None
    for name, code in _counties().get(within, ()):
        if len(name) < 2:
            continue
        at = address.find(name)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, code)
    return best[1] if best else None


def place_from_text(text: str) -> Place:
    """A place from an address or a "山东省威海市环翠区" string."""
    return resolve_place(split_names(text))


@lru_cache(maxsize=1)
def _names_by_code() -> dict[str, str]:
    return {r.code: r.name for regions in _gazetteer()[0].values() for r in regions}


def region_name(code: str) -> str:
    """The full name of a region code of 2, 4 or 6 digits (the code itself if unknown)."""
    return _names_by_code().get(code.ljust(6, "0"), code)


def policy_scope(issuer: str | None, title: str | None) -> Scope:
    """The region a policy applies in, read from its issuer, else its title.

    >>> policy_scope("国务院办公厅", None).national
    True
    >>> policy_scope(None, "加快重点产业实施意见（柳河县，旧版）").code
    '220524'
    """
    for source in (issuer or "", title or ""):
        if not source:
            continue
        if _NATIONAL.match(source):
            return Scope(code=None, name="全国", national=True, found_in=source)
        # Only full names (with their suffix) count here: a short name like 中国 or 长安
        # inside a title is too often not a place. The deepest place named wins
        # (威海市环翠区人民政府 → 环翠区).
        names = split_names(source, full_only=True)
        if names:
            place = resolve_place(names)
            code = place.county or place.city or place.province
            if code:
                return Scope(code=code, name=region_name(code), found_in=source)
    return Scope(code=None, name="", found_in="")


def contains(scope_code: str, place: Place) -> bool | None:
    """True if the place is inside the region, False if outside, None if the place says too little."""
    level = len(scope_code)
    have = {2: place.province, 4: place.city, 6: place.county}
    # Any known level that differs decides "outside" (a firm in 北京 is not in 威海市).
    for lvl in (2, 4, 6):
        known = have[lvl]
        if known is None:
            continue
        if lvl <= level and known != scope_code[:lvl]:
            return False
        if lvl >= level and not known.startswith(scope_code):
            return False
    mine = have[level]
    if mine is None:
        return None
    return mine == scope_code
