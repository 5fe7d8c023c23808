"""An enterprise profile (企业画像): what the calculator knows about an applicant.

Loaded from JSON or YAML (schema and examples in docs/calculator.md). Anything the
profile leaves out stays None, and the calculator answers `unknown` for the
conditions that need it: missing data never turns into a "no".

Derived facts say where they came from: the size class from employees and revenue
under 《中小企业划型标准规定》 (`lexicons/sme_size.yaml`), the industry from the
business scope (经营范围, `lexicons/industries.yaml`), the recipient type from the name.

>>> p = profile_from_dict({"name": "某某科技有限公司", "region": "山东省威海市",
...                        "honours": ["高新技术企业 新认定 2021"], "facts": {"年发明专利授权数": 25}})
>>> p.honours[0]
Honour(name='高新技术企业', level=None, status='新认定', year=2021, rank=None, written='高新技术企业 新认定 2021')
>>> p.facts["invention_patents"], p.recipient_types
(25.0, ('企业',))
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zhengce.errors import ZhengceError
from zhengce.match.regions import Place, place_from_text, resolve_place

SIZES = ("大型", "中型", "小型", "微型")
# Words for a size class, or for a band of them, as profiles and policies write them.
SIZE_WORDS: dict[str, frozenset[str]] = {
    "大型": frozenset({"大型"}), "大型企业": frozenset({"大型"}),
    "中型": frozenset({"中型"}), "中型企业": frozenset({"中型"}),
    "小型": frozenset({"小型"}), "小型企业": frozenset({"小型"}),
    "微型": frozenset({"微型"}), "微型企业": frozenset({"微型"}),
    "小微": frozenset({"小型", "微型"}), "小微企业": frozenset({"小型", "微型"}),
    "小微型": frozenset({"小型", "微型"}), "小微型企业": frozenset({"小型", "微型"}),
    "中小": frozenset({"中型", "小型", "微型"}), "中小企业": frozenset({"中型", "小型", "微型"}),
    "中小微": frozenset({"中型", "小型", "微型"}), "中小微企业": frozenset({"中型", "小型", "微型"}),
    "中小微型企业": frozenset({"中型", "小型", "微型"}),
}
# Recipient types (申报主体) as lexicons/recipient_types.yaml names them.
RECIPIENT_TYPES = ("企业", "高校院所", "服务机构", "载体", "园区", "个人", "团队", "区县/乡镇", "银行",
                   "项目", "社会组织", "单位")
_RECIPIENT_ALIASES = {"金融机构": "银行", "担保机构": "银行", "融资担保机构": "银行", "保险机构": "银行",
                      "担保公司": "银行", "证券公司": "银行", "商业银行": "银行", "bank": "银行",
                      "公司": "企业", "企业法人": "企业", "个体户": "企业", "个体工商户": "企业", "合作社": "企业",
                      "enterprise": "企业", "company": "企业", "firm": "企业",
                      "高校": "高校院所", "科研院所": "高校院所", "大学": "高校院所", "研究院": "高校院所",
                      "研究所": "高校院所", "科研机构": "高校院所", "university": "高校院所",
                      "区县": "区县/乡镇", "乡镇": "区县/乡镇", "区市": "区县/乡镇", "政府": "区县/乡镇",
                      "协会": "社会组织", "学会": "社会组织", "商会": "社会组织", "联盟": "社会组织",
                      "中介机构": "服务机构", "科技服务机构": "服务机构", "知识产权服务机构": "服务机构",
                      "技术转移机构": "服务机构", "事务所": "服务机构",
                      "孵化器": "载体", "众创空间": "载体", "平台": "载体", "医院": "单位", "医疗机构": "单位",
                      "事业单位": "单位", "人才": "个人", "创业者": "个人", "自然人": "个人", "person": "个人"}
# Names that say what sort of applicant a profile is when it does not say so itself.
_NAME_TYPES = (("银行", "银行"), ("担保", "银行"), ("保险", "银行"), ("大学", "高校院所"), ("学院", "高校院所"),
               ("研究院", "高校院所"), ("研究所", "高校院所"), ("有限公司", "企业"), ("有限责任公司", "企业"),
               ("股份公司", "企业"), ("集团", "企业"), ("公司", "企业"), ("厂", "企业"), ("合作社", "企业"))
PROFILE_KEYS = ("name", "credit_code", "region", "industry", "scope", "size", "above_scale", "ownership",
                "founded", "recipient_type", "honours", "facts", "confirms", "as_of", "employees", "revenue")


class ProfileError(ZhengceError):
    """A profile could not be read: names the file, the field, what was expected and what came."""

    def __init__(self, path: object, field_name: str, problem: str) -> None:
        self.path = str(path)
        self.field = field_name
        self.problem = problem
        where = f"{self.path}: {field_name}" if field_name else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Honour:
    """A qualification, title, platform or award held (资质 / 称号 / 平台 / 奖项)."""

    name: str                   # canonical, as lexicons/honours.yaml names it: 高新技术企业
    level: str | None = None    # 国家级 / 省级 / 市级 / 区县级 / 国际
    status: str | None = None   # 新认定 / 重新认定 / 首次 / 升级为 / 年度新获 / 持有
    year: int | None = None
    rank: str | None = None     # 一等奖 … for awards
    written: str = ""           # as the profile wrote it

    def label(self) -> str:
        parts = [f"{self.level or ''}{self.name}{self.rank or ''}"]
        if self.status:
            parts.append(self.status)
        if self.year:
            parts.append(str(self.year))
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Industry:
    """A GB/T 4754-2017 classification: section letter, division (2 digits) and finer code."""

    section: str | None = None
    division: str | None = None
    code: str | None = None      # as given: 3, 4 digits for group/class
    source: str = "stated"       # stated | scope
    clue: str | None = None      # the scope words it was read from

    def label(self) -> str:
        sections, divisions = _industries()
        parts = []
        if self.section:
            parts.append(f"{self.section} {sections[self.section]['name']}")
        if self.division:
            parts.append(f"{self.division} {divisions[self.division]['name']}")
        return " / ".join(parts) or "未知"


@dataclass(frozen=True, slots=True)
class Profile:
    """One applicant (申报主体) as the calculator sees it."""

    name: str = ""
    credit_code: str | None = None
    place: Place = field(default_factory=Place)
    industry: Industry = field(default_factory=Industry)
    sizes: frozenset[str] = frozenset()          # possible size classes; empty = unknown
    size_source: str | None = None               # stated | derived: <how>
    above_scale: bool | None = None              # 规模以上
    ownership: str | None = None
    founded: str | None = None                   # YYYY-MM-DD
    recipient_types: tuple[str, ...] = ()
    recipient_source: str | None = None          # stated | name
    honours: tuple[Honour, ...] = ()
    honours_known: bool = False                  # a profile that lists honours ([] too) says what it holds
    facts: Mapping[str, float] = field(default_factory=dict)
    as_of: str = ""                              # YYYY-MM-DD: "this year" for 新认定, validity
    scope: str | None = None                     # 经营范围
    confirms: tuple[str, ...] = ()               # free-text conditions the applicant says it meets
    ignored: tuple[str, ...] = ()                # fields and facts set aside, and why

    @property
    def as_of_year(self) -> int:
        return int(self.as_of[:4])

    @property
    def size_label(self) -> str | None:
        if not self.sizes:
            return None
        for word in ("小微", "中小微"):
            if self.sizes == SIZE_WORDS[word] and len(self.sizes) > 1:
                return word
        return "、".join(s for s in SIZES if s in self.sizes)


# ---------------------------------------------------------------------------------------- lexicons

@lru_cache(maxsize=None)
def _lexicon(name: str) -> Any:
    path = resources.files("zhengce").joinpath(f"lexicons/{name}")
    if not path.is_file():
        return {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, when built with it: 10× faster
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}


@lru_cache(maxsize=1)
def _industries() -> tuple[dict[str, Any], dict[str, Any]]:
    data = _lexicon("industries.yaml")
    return data["sections"], data["divisions"]


@lru_cache(maxsize=1)
def facts_lexicon() -> dict[str, dict[str, Any]]:
    """field → {label, unit, aliases, words} from lexicons/facts.yaml."""
    return {f["field"]: f for f in _lexicon("facts.yaml")["facts"]}


@lru_cache(maxsize=1)
def _fact_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for fact_field, spec in facts_lexicon().items():
        names[fact_field.lower()] = fact_field
        names[spec["label"].lower()] = fact_field
        for alias in spec.get("aliases", ()):
            names[str(alias).lower()] = fact_field
    return names


def fact_field(name: str) -> str | None:
    """The canonical fact for a name a profile or a condition uses (年发明专利授权数 → invention_patents)."""
    return _fact_names().get(str(name).strip().lower())


@lru_cache(maxsize=1)
def _honour_vocabulary() -> tuple[dict[str, str], dict[str, str], dict[str, str], tuple[str, ...]]:
    """aliases → canonical honour name, level words, status words, award ranks (lexicons/honours.yaml)."""
    data = _lexicon("honours.yaml")
    names: dict[str, str] = {}
    for h in data.get("honours", ()):
        names[h["name"]] = h["name"]
        for alias in h.get("aliases", ()) or ():
            names.setdefault(str(alias), h["name"])
    levels = dict(data.get("levels") or {"国家级": "国家级", "国家": "国家级", "省级": "省级", "省": "省级",
                                          "市级": "市级", "市": "市级", "区县级": "区县级", "县级": "区县级"})
    levels.setdefault("区县级", "区县级")
    levels.setdefault("国际级", "国际")
    statuses = dict(data.get("statuses") or {"新认定": "新认定", "重新认定": "重新认定", "首次": "首次"})
    statuses.setdefault("持有", "持有")
    statuses.setdefault("已认定", "持有")
    statuses.setdefault("认定", "持有")
    ranks = tuple(data.get("ranks") or ("特等奖", "一等奖", "二等奖", "三等奖"))
    return names, levels, statuses, ranks


# A province or city named before an honour ("山东省专利奖") gives its level.
_PLACE_LEVEL = re.compile(r"^[\u4e00-\u9fff]{2,7}?(省|自治区|市)(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=65536)
def canonical_honour(text: str) -> tuple[str, str | None, str | None, str | None]:
    """(name, level, status, rank) from an honour as written: "省级技术创新中心" → 技术创新中心, 省级.

    >>> canonical_honour("国家级高新技术企业")
    ('高新技术企业', '国家级', None, None)
    >>> canonical_honour("山东省专利奖一等奖")
    ('专利奖', '省级', None, '一等奖')
    >>> canonical_honour("首次认定的国家技术创新示范企业")
    ('技术创新示范企业', '国家级', '首次', None)
    """
    names, levels, statuses, ranks = _honour_vocabulary()
    word = re.sub(r"\s+", "", text)
    status = level = rank = None
    changed = True
    while changed and word not in names:
        changed = False
        for w in sorted(statuses, key=len, reverse=True):
            if word.startswith(w) and len(word) > len(w):
                status, word, changed = status or statuses[w], word[len(w):], True
                break
        word = re.sub(r"^(认定为|认定|被认定为|评为|获批|获得|取得|的)", "", word)
        for w in sorted(levels, key=len, reverse=True):
            if word.startswith(w) and len(word) > len(w) + 1:
                level, word, changed = level or levels[w], word[len(w):], True
                break
        m = _PLACE_LEVEL.match(word)
        if m and not level and word not in names:
            level = "省级" if m.group(1) in ("省", "自治区") else "市级"
            word, changed = word[m.end():], True
    for r in sorted(ranks, key=len, reverse=True):
        if word in names:
            break
        if word.endswith(r) and len(word) > len(r):
            rank, word = r, word[: -len(r)]
            break
    name = names.get(word)
    if name is None:
        # "企业技术(研发)中心" and friends: try the longest known name inside the words.
        inside = [n for n in names if n in word]
        name = names[max(inside, key=len)] if inside else word
    return name, level, status, rank


# --------------------------------------------------------------------------------------- reading

def load_profile(path: str | Path, strict: bool = False) -> Profile:
    """Read a profile from a .json, .yaml or .yml file; ProfileError names the file and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileError(path, "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(path, "", f"cannot be read as UTF-8 text ({exc.__class__.__name__})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, Loader=_ProfileLoader)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else (f" at line {exc.lineno}" if hasattr(exc, "lineno") else "")
        raise ProfileError(path, "", f"is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}{where}") from None
    return profile_from_dict(data, source=path, strict=strict)


class _ProfileLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML without implicit dates: 2021-13-01 reaches the field check as text, not a crash."""


_ProfileLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def profile_from_dict(data: Any, source: object = "<profile>", today: dt.date | None = None,
                      strict: bool = False) -> Profile:
    """Build a Profile from parsed JSON/YAML; raises ProfileError naming the bad field.

    Unknown fields and facts are set aside and listed in `Profile.ignored`; `strict` makes
    them errors too.
    """
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ProfileError(source, "", f"expected a mapping of fields (name: …, region: …); got {type(data).__name__}")
    data = _canonical_keys(data, source)
    ignored: list[str] = []
    for key in [k for k in data if k not in PROFILE_KEYS]:
        # An unknown field is set aside and said so (a typo must not stop a whole answer),
        # unless the caller asks for strictness.
        if strict:
            raise ProfileError(source, str(key), f"unknown field; expected one of: {', '.join(PROFILE_KEYS)}")
        ignored.append(f"{key}：未识别的字段，未用于判断")
        data.pop(key)
    name = _text(data.get("name"), source, "name") or ""
    facts = _read_facts(data.get("facts"), source, strict, ignored)
    for shortcut in ("employees", "revenue"):
        if data.get(shortcut) is not None:
            facts[shortcut] = _number(data[shortcut], source, shortcut, money=shortcut == "revenue")
    place = _read_region(data.get("region"), source)
    scope = _text(data.get("scope"), source, "scope")
    industry = _read_industry(data.get("industry"), scope, source)
    sizes, size_source = _read_size(data.get("size"), industry, facts, source)
    above_scale = data.get("above_scale")
    if above_scale is not None and not isinstance(above_scale, bool):
        raise ProfileError(source, "above_scale", f"expected true or false (规模以上); got {above_scale!r}")
    recipient_types, recipient_source = _read_recipient(data.get("recipient_type"), name, source)
    honours_raw = data.get("honours")
    honours = _read_honours(honours_raw, source)
    as_of = _date(data.get("as_of"), source, "as_of") or (today or dt.date.today()).isoformat()
    return Profile(
        name=name,
        credit_code=_text(data.get("credit_code"), source, "credit_code"),
        place=place,
        industry=industry,
        sizes=sizes,
        size_source=size_source,
        above_scale=above_scale,
        ownership=_text(data.get("ownership"), source, "ownership"),
        founded=_date(data.get("founded"), source, "founded"),
        recipient_types=recipient_types,
        recipient_source=recipient_source,
        honours=honours,
        honours_known=honours_raw is not None,
        facts=facts,
        as_of=as_of,
        scope=scope,
        confirms=_read_confirms(data.get("confirms"), source),
        ignored=tuple(ignored),
    )


def _read_confirms(raw: Any, source: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ProfileError(source, "confirms", f"expected a list of phrases such as [作为第一完成单位]; got {raw!r}")
    return tuple(x.strip() for x in raw if x.strip())


# Other names profiles use for the same fields (STYLE.md's cases say `certificates`).
KEY_ALIASES = {
    "honors": "honours", "certificates": "honours", "qualifications": "honours", "资质": "honours", "荣誉": "honours",
    "资质荣誉": "honours", "名称": "name", "企业名称": "name", "统一社会信用代码": "credit_code", "地区": "region",
    "所在地": "region", "注册地": "region", "行业": "industry", "所属行业": "industry", "经营范围": "scope",
    "规模": "size", "企业规模": "size", "规上": "above_scale", "企业性质": "ownership", "所有制": "ownership",
    "成立日期": "founded", "注册日期": "founded", "申报主体": "recipient_type", "主体类型": "recipient_type",
    "type": "recipient_type", "数据": "facts", "指标": "facts", "确认": "confirms", "date": "as_of", "测算日": "as_of",
}
_PLACE_KEYS = {"province": "province", "city": "city", "county": "county", "省": "province", "省份": "province",
               "市": "city", "城市": "city", "区县": "county", "县": "county"}


def _canonical_keys(data: Mapping[str, Any], source: object) -> dict[str, Any]:
    """Field aliases to their names; a fact or a place level written at the top goes where it belongs."""
    out: dict[str, Any] = {}
    place: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        name = KEY_ALIASES.get(key, key)
        if name in PROFILE_KEYS:
            if name in out:
                raise ProfileError(source, key, f"given twice (as {name} too)")
            out[name] = value
        elif key in _PLACE_KEYS:
            place[_PLACE_KEYS[key]] = value
        elif fact_field(key):
            facts[key] = value
        else:
            out[key] = value
    if place:
        if "region" in out:
            raise ProfileError(source, next(iter(place)), "given with region: write the place once")
        out["region"] = place
    if facts:
        merged = dict(out.get("facts") or {}) if isinstance(out.get("facts") or {}, Mapping) else out["facts"]
        if isinstance(merged, dict):
            merged.update(facts)
            out["facts"] = merged
    return out


def _text(value: Any, source: object, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    raise ProfileError(source, name, f"expected text; got {type(value).__name__} {value!r}")


def _date(value: Any, source: object, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1900 <= value <= 2200:
        return f"{value}-01-01"
    m = re.fullmatch(r"\s*(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?\s*", str(value))
    if not m:
        raise ProfileError(source, name, f"expected a date such as 2021-12-31; got {value!r}")
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        raise ProfileError(source, name, f"expected a date such as 2021-12-31; got {value!r}") from None


_MONEY = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(亿|千万|百万|万|千)?\s*(元|人民币|件|人|亩|家|年|%|周岁)?\s*$")
_MULTIPLIERS = {"亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, None: 1.0}


def parse_quantity(value: Any) -> float | None:
    """A number as profiles write it: 25, "25件", "500万元", "1.2亿", "3,000".

    >>> parse_quantity("500万元"), parse_quantity("1.2亿"), parse_quantity("3,000人")
    (5000000.0, 120000000.0, 3000.0)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    m = _MONEY.match(value.replace(",", "").replace("，", ""))
    if not m:
        return None
    return float(m.group(1)) * _MULTIPLIERS[m.group(2)]


def _number(value: Any, source: object, name: str, money: bool = False) -> float:
    number = parse_quantity(value)
    if number is None:
        example = '"500万元" or 5000000' if money else "25"
        raise ProfileError(source, name, f"expected a number such as {example}; got {value!r}")
    return number


def _read_facts(raw: Any, source: object, strict: bool = True, ignored: list[str] | None = None) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ProfileError(source, "facts", f"expected a mapping such as {{年发明专利授权数: 25, 营业收入: 5000万元}}; got {raw!r}")
    facts: dict[str, float] = {}
    for key, value in raw.items():
        canonical = fact_field(str(key))
        if canonical is None:
            if strict or ignored is None:
                known = ", ".join(f"{f} ({spec['label']})" for f, spec in facts_lexicon().items())
                raise ProfileError(source, f"facts.{key}", f"unknown fact; expected one of: {known}")
            ignored.append(f"facts.{key}：未识别的数据项，未用于判断（可用的见 lexicons/facts.yaml）")
            continue
        if value is None:
            continue
        facts[canonical] = _number(value, source, f"facts.{key}", money=facts_lexicon()[canonical]["unit"] == "元")
    return facts


def _read_region(raw: Any, source: object) -> Place:
    if raw is None:
        return Place()
    if isinstance(raw, str):
        place = place_from_text(raw)
    elif isinstance(raw, Mapping):
        extra = [k for k in raw if k not in ("province", "city", "county")]
        if extra:
            raise ProfileError(source, f"region.{extra[0]}", "unknown field; expected province, city, county")
        names = [str(raw.get(k) or "") for k in ("province", "city", "county")]
        place = resolve_place([n for n in names if n])
    else:
        raise ProfileError(source, "region", f"expected text such as 山东省威海市环翠区 or {{province: 山东, city: 威海}}; got {raw!r}")
    if not place.known:
        raise ProfileError(source, "region", f"no province, city or county of China found in {raw!r}; expected e.g. 山东省威海市")
    return place


def _read_industry(raw: Any, scope: str | None, source: object) -> Industry:
    sections, divisions = _industries()
    if raw is None:
        return industry_from_scope(scope) if scope else Industry()
    text = str(raw).strip().upper()
    m = re.fullmatch(r"([A-T])?\s*(\d{2,4})?", text)
    if m and (m.group(1) or m.group(2)):
        code = m.group(2)
        division = code[:2] if code else None
        if division and division not in divisions:
            raise ProfileError(source, "industry", f"{raw!r}: no GB/T 4754 division {division}; expected e.g. C35 or 65")
        section = next((s for s, d in sections.items() if division in d["divisions"]), None) if division else m.group(1)
        if m.group(1) and section != m.group(1):
            raise ProfileError(source, "industry", f"{raw!r}: division {division} is in section {section}, not {m.group(1)}")
        return Industry(section=section, division=division, code=code)
    for letter, spec in sections.items():
        if spec["name"] == str(raw).strip():
            return Industry(section=letter)
    for code, spec in divisions.items():
        if spec["name"] == str(raw).strip():
            return Industry(section=_section_of(code), division=code, code=code)
    guess = industry_from_scope(str(raw))
    if guess.division:
        return guess
    raise ProfileError(source, "industry", f"expected a GB/T 4754 section or division such as C, C35, 65 or 制造业; got {raw!r}")


def _section_of(division: str) -> str | None:
    sections, _ = _industries()
    return next((s for s, d in sections.items() if division in d["divisions"]), None)


_SCOPE_SPLIT = re.compile(r"[；;。，,、\n]|（|\(")


def industry_from_scope(scope: str | None) -> Industry:
    """The GB/T 4754 division a business scope (经营范围) points to; earlier items weigh more.

    >>> industry_from_scope("软件开发；信息技术咨询服务；计算机软硬件销售").division
    '65'
    >>> industry_from_scope("餐饮服务（热食类食品制售）；预包装食品销售").division
    '62'
    """
    if not scope:
        return Industry()
    _, owner, _ = _scope_keywords()
    scores: dict[str, float] = {}
    clues: dict[str, str] = {}
    parts = [p for p in _SCOPE_SPLIT.split(scope) if p.strip()]
    for i, part in enumerate(parts[:30]):
        weight = 1.0 / (1 + i)
        for kw in _overlapping(part):
            for code in owner[kw]:
                score = weight * len(kw)
                if score > scores.get(code, 0):
                    scores[code] = score
                    clues[code] = kw
    if not scores:
        return Industry(source="scope")
    best = max(scores, key=lambda c: (scores[c], -int(c)))
    return Industry(section=_section_of(best), division=best, code=best, source="scope", clue=clues[best])


@lru_cache(maxsize=1)
def _scope_keywords() -> tuple[re.Pattern[str], dict[str, list[str]], dict[str, list[str]]]:
    """One pattern for every division keyword (longest first), keyword → divisions, keyword → its prefixes."""
    _, divisions = _industries()
    owner: dict[str, list[str]] = {}
    for code, spec in divisions.items():
        for kw in spec.get("keywords") or ():
            owner.setdefault(kw, []).append(code)
    words = sorted(owner, key=len, reverse=True)
    prefixes = {w: [v for v in owner if len(v) < len(w) and w.startswith(v)] for w in owner}
    # A lookahead finds overlapping keywords ("软件开发" and "开发" both count).
    return re.compile("(?=(" + "|".join(map(re.escape, words)) + "))"), owner, prefixes


def _overlapping(text: str) -> set[str]:
    """Every keyword inside the text (what `kw in text` for each keyword would find)."""
    pattern, _, prefixes = _scope_keywords()
    found: set[str] = set()
    for m in pattern.finditer(text):
        found.add(m.group(1))
        found.update(prefixes[m.group(1)])
    return found


@lru_cache(maxsize=1)
def _size_categories() -> list[dict[str, Any]]:
    return list(_lexicon("sme_size.yaml")["categories"])


def size_category(industry: Industry) -> dict[str, Any]:
    """The 划型 category whose GB/T 4754 prefix is the longest match for the industry."""
    keys = [k for k in (industry.code, industry.division, industry.section) if k]
    best: tuple[int, dict[str, Any]] | None = None
    for cat in _size_categories():
        for prefix in cat["codes"]:
            prefix = str(prefix)
            hit = any(k.startswith(prefix) for k in keys) if prefix else True
            if hit and (best is None or len(prefix) > best[0]):
                best = (len(prefix), cat)
    assert best is not None  # the catch-all "" category always matches
    return best[1]


def derive_size(industry: Industry, employees: float | None, revenue_yuan: float | None,
                total_assets_yuan: float | None = None) -> tuple[frozenset[str], str]:
    """The size classes possible under the national standard, and how they were found.

    Unknown indicators are tried at both extremes; when the answers differ, every class
    in between stays possible (工业, 50 人, revenue unknown → 小型 or 微型).

    >>> sorted(derive_size(Industry(section="C", division="35"), 120, 8_000_000)[0])
    ['小型']
    >>> sorted(derive_size(Industry(section="C", division="35"), 50, None)[0])
    ['小型', '微型']
    """
    cat = size_category(industry)
    known = {"employees": employees,
             "revenue": None if revenue_yuan is None else revenue_yuan / 1e4,
             "total_assets": None if total_assets_yuan is None else total_assets_yuan / 1e4}

    def classify(values: dict[str, float]) -> str:
        for cls, key in (("大型", "large"), ("中型", "medium"), ("小型", "small")):
            if all(values[ind] >= bound for ind, bound in cat[key].items()):
                return cls
        return "微型"

    low = {k: (v if v is not None else 0.0) for k, v in known.items()}
    high = {k: (v if v is not None else float("inf")) for k, v in known.items()}
    lo, hi = SIZES.index(classify(low)), SIZES.index(classify(high))
    classes = frozenset(SIZES[hi:lo + 1])
    used = [k for k in cat["large"] if known.get(k) is not None]
    how = f"derived: {cat['name']} ({', '.join(used) or 'no indicator'}) under 《中小企业划型标准规定》"
    return classes, how


def _read_size(raw: Any, industry: Industry, facts: Mapping[str, float], source: object) -> tuple[frozenset[str], str | None]:
    if raw is not None:
        word = str(raw).strip()
        if word not in SIZE_WORDS:
            raise ProfileError(source, "size", f"expected 大型, 中型, 小型, 微型 or 小微 (企业); got {raw!r}")
        return SIZE_WORDS[word], "stated"
    if facts.get("employees") is None and facts.get("revenue") is None and facts.get("total_assets") is None:
        return frozenset(), None
    classes, how = derive_size(industry, facts.get("employees"), facts.get("revenue"), facts.get("total_assets"))
    if len(classes) == len(SIZES):
        return frozenset(), None
    return classes, how


def _read_recipient(raw: Any, name: str, source: object) -> tuple[tuple[str, ...], str | None]:
    if raw is None:
        for word, kind in _NAME_TYPES:
            if word in name:
                return (kind,), "name"
        return (), None
    values = raw if isinstance(raw, list) else [raw]
    types: list[str] = []
    for i, value in enumerate(values):
        word = str(value).strip()
        found = word if word in RECIPIENT_TYPES else _RECIPIENT_ALIASES.get(word)
        if found is None:
            where = "recipient_type" if not isinstance(raw, list) else f"recipient_type[{i}]"
            raise ProfileError(source, where, f"expected one of {', '.join(RECIPIENT_TYPES)}; got {value!r}")
        types.append(found)
    return tuple(dict.fromkeys(types)), "stated"


_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d|21\d\d)(?!\d)年?")


def _read_honours(raw: Any, source: object) -> tuple[Honour, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ProfileError(source, "honours", f"expected a list such as [高新技术企业 新认定 2021, 省级技术创新中心 2022]; got {raw!r}")
    _, levels, statuses, _ = _honour_vocabulary()
    out: list[Honour] = []
    for i, item in enumerate(raw):
        where = f"honours[{i}]"
        if isinstance(item, str):
            text = item
            year = None
            m = _YEAR.search(text)
            if m:
                year = int(m.group(1))
                text = text[: m.start()] + " " + text[m.end():]
            status = None
            words = text.split()
            rest: list[str] = []
            for w in words:
                if w in statuses and status is None:
                    status = statuses[w]
                elif w in levels and len(words) > 1:
                    rest.insert(0, w)
                else:
                    rest.append(w)
            if not rest:
                raise ProfileError(source, where, f"no honour name in {item!r}; expected e.g. 高新技术企业 新认定 2021")
            name, level, status2, rank = canonical_honour("".join(rest))
            out.append(Honour(name=name, level=level, status=status or status2, year=year, rank=rank,
                              written=item.strip()))
        elif isinstance(item, Mapping):
            extra = [k for k in item if k not in ("name", "level", "status", "year", "rank")]
            if extra:
                raise ProfileError(source, f"{where}.{extra[0]}", "unknown field; expected name, level, status, year, rank")
            if not item.get("name"):
                raise ProfileError(source, f"{where}.name", "missing; expected e.g. 高新技术企业")
            name, level, status, rank = canonical_honour(str(item["name"]))
            if item.get("level") is not None:
                lv = str(item["level"]).strip()
                if lv not in levels:
                    raise ProfileError(source, f"{where}.level", f"expected one of 国家级, 省级, 市级, 区县级; got {lv!r}")
                level = levels[lv]
            if item.get("status") is not None:
                st = str(item["status"]).strip()
                if st not in statuses:
                    raise ProfileError(source, f"{where}.status",
                                       f"expected one of {', '.join(sorted(set(statuses.values())))}; got {st!r}")
                status = statuses[st]
            year = item.get("year")
            if year is not None and not (isinstance(year, int) and 1900 <= year <= 2200):
                raise ProfileError(source, f"{where}.year", f"expected a year such as 2021; got {year!r}")
            out.append(Honour(name=name, level=level, status=status, year=year, rank=item.get("rank") or rank,
                              written=str(item["name"])))
        else:
            raise ProfileError(source, where, f"expected text or a mapping; got {item!r}")
    return tuple(out)
