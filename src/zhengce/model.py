"""The reading of one policy document: plain dataclasses, treated as values; no I/O.

Every piece that comes from the text carries a `Quote` with offsets into the
document's original text (after decoding and, for HTML/PDF/DOCX, conversion to
text), so a person can always see it in place.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The classes are not frozen: a page's reading builds hundreds of them, and a frozen
# dataclass's __init__ costs five times a plain one's (7 % of reading a page). They are
# values all the same: nothing mutates a reading; make a changed copy with
# dataclasses.replace. They stay hashable (by value) as frozen ones were.
_value = dataclass(slots=True, unsafe_hash=True)


@_value
class Quote:
    """An exact span of the original text (原文引用)."""

    text: str
    start: int
    end: int


@_value
class Condition:
    """One requirement an applicant must meet (申报条件), typed where we can.

    kind is one of: honour (a qualification or title held), recipient_type,
    threshold (a numeric fact compared with a value), region, size, text (free
    text the calculator answers `unknown` for).
    """

    kind: str
    text: str
    honour: str | None = None          # 高新技术企业, 技术创新中心 …
    level: str | None = None           # 国家级 / 省级 / 市级
    status: str | None = None          # 新认定 / 重新认定 / 首次 / 升级为 …
    recipient_type: str | None = None  # 企业 / 高校院所 / 服务机构 / 个人 …
    field: str | None = None           # profile field a threshold reads
    op: str | None = None              # >=, >, <=, <, =
    value: float | None = None
    unit: str | None = None


@_value
class Item:
    """One benefit an applicant can get (奖补事项)."""

    article: int | None
    recipient: str
    kind: str                        # 奖励 / 补助 / 补贴 / 配套 / 贴息 / 风险补偿 / 税收优惠 / 支持
    basis: str                       # fixed | max | per_unit | ratio | matching | unquantified
    amount_yuan: float | None = None
    ratio: float | None = None       # 0.5 for 50 %; 1.0 for 1:1 配套
    ratio_min: float | None = None   # lower end of a range such as 5%—20%
    cap_yuan: float | None = None    # 封顶
    unit: str | None = None          # per-unit amounts: 亩, 人, 家, 位次 …
    period: str | None = None        # 每年 / 一次性 / 连续5年 …
    conditions: tuple[Condition, ...] = ()
    quote: Quote | None = None
    clue: str | None = None          # the words that set basis or cap


@_value
class Article:
    """An article (条款): the unit items, departments and quotes hang on."""

    no: int
    title: str
    label: str                       # the numbering as written: "3.", "第三条", "(二)"
    text: str                        # the article's text, normalised
    start: int                       # offsets into the original text
    end: int
    chapter: int | None = None
    lead: tuple[str, ...] = ()        # 牵头单位
    responsible: tuple[str, ...] = ()  # 责任单位
    cooperating: tuple[str, ...] = ()  # 配合单位


@_value
class Chapter:
    """A chapter (一、… / 第一章) and the numbers of its articles."""

    no: int
    title: str
    label: str
    start: int
    end: int
    articles: tuple[int, ...] = ()


@_value
class Reference:
    """A document the policy cites: 《title》 (number)."""

    title: str
    number: str | None = None
    quote: Quote | None = None


@_value
class Target:
    """A quantified goal (到2020年…达到2.85%以上)."""

    year: int | None
    indicator: str
    value: float
    unit: str
    op: str                          # >=, >, =, ~ (左右), <=, <
    article: int | None = None
    quote: Quote | None = None


@_value
class Tags:
    """The tags a portal page states (所属行业 / 企业规模 / 适用对象 / 政策主题)."""

    industries: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@_value
class Validity:
    """When the policy applies and what it replaces (施行 / 有效期 / 废止)."""

    effective: str | None = None     # the clause as written, e.g. 自发布之日起施行
    effective_date: str | None = None
    expiry: str | None = None        # 有效期至2025年12月31日 / 暂定三年有效期
    expiry_date: str | None = None
    supersedes: str | None = None    # 此前出台的…同时废止 / 以本意见为准


@_value
class Source:
    """Where the reading came from."""

    path: str | None = None
    format: str = "txt"              # txt | html | pdf | docx
    encoding: str | None = None
    url: str | None = None
    sha256: str | None = None


@_value
class Policy:
    """The whole reading of one policy document (一份政策文件)."""

    title: str
    issuer: str | None
    published: str | None            # YYYY-MM-DD
    number: str | None               # 发文字号, 威发〔2018〕9号
    addressees: tuple[str, ...]
    tags: Tags
    references: tuple[Reference, ...]
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]
    items: tuple[Item, ...]
    targets: tuple[Target, ...]
    validity: Validity
    text: str                        # the original text the offsets point into
    source: Source = field(default_factory=Source)

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        """The JSON-ready reading (the contract of the scoring tool, and more)."""
        data = asdict(self)
        if not with_text:
            data.pop("text")
        return data
