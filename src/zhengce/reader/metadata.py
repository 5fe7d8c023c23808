"""Metadata: title, issuer, dates, document number, addressees, citations, validity, tags."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from zhengce.model import Reference, Tags, Validity
from zhengce.reader.amounts import parse_number
from zhengce.reader.chrome import Page
from zhengce.reader.text import MappedText, tidy

# 发文字号: issuer abbreviation, year in brackets, serial number (威发〔2018〕9号, 皖政办秘〔2021〕82号).
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(（【][12]\d{3}[〕\])）】]\s*第?\d{1,4}\s*号")
CITATION = re.compile(
    r"《(?P<title>[^《》\n]{2,80})》"
    r"(?:\s*[(（]\s*(?P<number>[\u4e00-\u9fff]{1,12}[〔\[(（【][12]\d{3}[〕\])）】]\s*第?\d{1,4}\s*号)\s*[)）])?"
)
ISSUER_IN_TITLE = re.compile(
    r"^(?P<issuer>(?:[\u4e00-\u9fff]{2,12}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|管委会|"
    r"管理委员会|政府|厅|局|委|部))(?:(?:、|和)[\u4e00-\u9fff]{2,12}?(?:人民政府|办公厅|委员会|政府|厅|局|委|部))*)关于"
)
# A signature block: the issuing body on its own line, then the date.
SIGNATURE = re.compile(
    r"\n\s*(?P<issuer>[\u4e00-\u9fff、]{3,40}(?:人民政府|办公厅|办公室|委员会|政府|厅|局|委|部|中心))\s*\n\s*"
    r"(?P<date>[12]\d{3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
DATE = re.compile(r"([12]\d{3})\s*(?:[-./年])\s*(\d{1,2})\s*(?:[-./月])\s*(\d{1,2})")
ADDRESSEE_UNIT = re.compile(r"政府|部门|单位|委|局|办|厅|管委|机构|企业|协会")

# Validity clauses, found by their core words; the clause around the match is kept.
_N = r"[一二三四五六七八九十两\d]+"
EFFECTIVE = re.compile(
    r"(?:自|从)(?:[12]\d{3}年\d{1,2}月\d{1,2}日|发布之日|印发之日|公布之日|颁布之日)起(?:施行|执行|实施|生效)"
)
# "三年有效期" is spelt out from each first character ("三{_N}?年有效期"), so that every
# alternative starts with a literal: the engine then skips to the few places a match can start.
EXPIRY = re.compile(
    rf"有效期(?:为|至|自|:)|有效期{_N}年|政策期限为|执行期限为|实施期限为|"
    + "|".join(rf"{c}(?:{_N})?年有效期" for c in "一二三四五六七八九十两0123456789")
)
SUPERSEDES = re.compile(r"同时废止|予以废止|不再执行|停止执行|以本[\u4e00-\u9fff]{0,6}为准")
# What every match of a validity pattern holds, and how far before that word a match can
# start. Looking for these words is many times faster than trying a pattern at every
# position of the body: most bodies lack them, and the others are searched from there.
_CORE_WORDS = {
    EFFECTIVE: (("日起",), 16),
    EXPIRY: (("有效期", "期限为"), 16),
    SUPERSEDES: (("废止", "不再执行", "停止执行", "为准"), 12),
}
_CLAUSE_END = "。;；\n"
# Validity the text gives a certificate or a title, not the policy ("经认定的…产品有效期为3年",
# "签约授牌有效期为三年"): the noun right before 有效期.
_NOT_THE_POLICY = re.compile(r"(?:产品|授牌|牌匾|证书|资格|资质|称号|认定|备案|合同|协议|许可|执照|批复|额度|贷款)$")
_FROM_ISSUE = re.compile(r"(?:自|从)(?:发布|印发|公布|颁布|签发)之日起")
# 有效期N年 / N年有效期 / 暂定N年: a term that runs from the effective date.
_TERM_YEARS = re.compile(rf"有效期(?:为|暂定)?({_N})年|({_N})年有效期")
_SINCE = re.compile(r"([12]\d{3}年\d{1,2}月\d{1,2}日)起")
_UNTIL = re.compile(r"至\s*([12]\d{3})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?")


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    issuer: str | None
    published: str | None
    number: str | None
    addressees: tuple[str, ...]
    tags: Tags
    references: tuple[Reference, ...]
    validity: Validity


def iso_date(text: str | None) -> str | None:
    """'2019年01月22日' or '2021-11-01 10:00' → '2019-01-22'.

    >>> iso_date("2019年1月22日")
    '2019-01-22'
    """
    if not text:
        return None
    m = DATE.search(text)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _issuer_from_source(source: str, title: str) -> str | None:
    """'市人力资源社会保障局官网' on a page titled '广州市…' → '广州市人力资源社会保障局'."""
    name = re.sub(r"(?:官方网站|官网|门户网站|网站|微信公众号|公众号)$", "", source.strip())
    if not re.search(r"(?:政府|办公厅|办公室|委员会|委|局|厅|部|中心|办)$", name):
        return None
    place = re.match(r"^([\u4e00-\u9fff]{2,5}?(?:省|市|自治区|区|县))", title or "")
    if place and name[0] in "省市区县" and not name.startswith(place.group(1)):
        level = name[0]
        stem = place.group(1)
        if stem.endswith(level):
            name = stem + name[1:]
    return name


COVER = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff、]{4,40}(?:人民政府|办公厅|办公室|委员会|政府|厅|局|委|部|中心))\s*"
    r"(?P<date>[12〇一二三四五六七八九零]{4}\s*年(?:\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?)?)?\s*$"
)


def _cover_line(mapped: MappedText, page: Page) -> re.Match[str] | None:
    """The line right under the title that names only the issuing body (and a date): a cover page."""
    if not page.title_span:
        return None
    plain = mapped.plain
    start = plain.find("\n", page.title_span[1])
    if start == -1:
        return None
    end = plain.find("\n", start + 1)
    line = plain[start + 1:end if end != -1 else len(plain)].strip()
    return COVER.fullmatch(line) if line else None


def _compact_number(number: str) -> str:
    return re.sub(r"\s+", "", number)


_NUMBER_LINE = re.compile(
    r"[^《》]*?发文字号\s*:?\s*(?P<number>[\u4e00-\u9fff]{1,12}[〔\[(（【][12]\d{3}[〕\])）】]\s*第?\d{1,4}\s*号)", re.S
)


def _references(mapped: MappedText, start: int, end: int) -> tuple[Reference, ...]:
    found: dict[str, Reference] = {}
    for m in CITATION.finditer(mapped.text, start, end):
        title = tidy(m.group("title"))
        number = _compact_number(m.group("number")) if m.group("number") else None
        known = found.get(title)
        if number is None:
            # Guides list a cited document's number on its own 发文字号 line below it.
            below = _NUMBER_LINE.match(mapped.text, m.end(), min(end, m.end() + 120))
            number = _compact_number(below.group("number")) if below else None
        if known is None or (number and not known.number):
            found[title] = Reference(title=title, number=number, quote=mapped.quote(m.start(), m.end()))
    return tuple(found.values())


def _addressees(preamble: str) -> tuple[str, ...]:
    """The 主送 line: units, separated by commas, ending with a colon."""
    for line in preamble.split("\n"):
        line = line.strip()
        if len(line) < 4 or not line.endswith((":", "：")) or len(line) > 200:
            continue
        if re.match(r"[\d(（①-⑳]", line):
            continue
        units = [u.strip() for u in re.split(r"[,，;；]", line[:-1]) if u.strip()]
        if units and sum(bool(ADDRESSEE_UNIT.search(u)) for u in units) * 2 >= len(units):
            return tuple(units)
    return ()


def _clause_around(text: str, m: re.Match[str]) -> str:
    start = max(text.rfind(ch, 0, m.start()) for ch in _CLAUSE_END) + 1
    ends = [i for i in (text.find(ch, m.end()) for ch in _CLAUSE_END) if i != -1]
    clause = tidy(text[start:min(ends) if ends else len(text)]).lstrip(",，;；")
    return re.sub(r"^第[一二三四五六七八九十百零〇\d]+条\s*", "", clause)


def _validity(text: str, published: str | None = None) -> Validity:
    def first(pattern: re.Pattern[str]) -> str | None:
        words, reach_back = _CORE_WORDS[pattern]
        at = [i for i in map(text.find, words) if i >= 0]
        if not at:
            return None
        for m in pattern.finditer(text, max(0, min(at) - reach_back)):
            if pattern is EXPIRY and _NOT_THE_POLICY.search(text, max(0, m.start() - 2), m.start()):
                continue
            return _clause_around(text, m)
        return None

    effective, expiry = first(EFFECTIVE), first(EXPIRY)
    eff_date = None
    if effective:
        on = re.search(r"(?:自|从)([12]\d{3}年\d{1,2}月\d{1,2}日)起", effective)
        eff_date = iso_date(on.group(1)) if on else (published if _FROM_ISSUE.search(effective) else None)
    return Validity(effective=effective, effective_date=eff_date, expiry=expiry,
                    expiry_date=_expiry_date(expiry, eff_date or published) if expiry else None,
                    supersedes=first(SUPERSEDES))


def _expiry_date(expiry: str, start: str | None) -> str | None:
    """The last day a policy applies: the date its clause names (至2026年12月31日, 2016年至2018年),
    or the day before its term (有效期3年, 暂定三年有效期) has run from `start`.

    >>> _expiry_date("有效期至2026年6月", None), _expiry_date("政策期限为2016年至2018年", None)
    ('2026-06-30', '2018-12-31')
    >>> _expiry_date("本办法自2023年1月1日起施行,有效期五年", "2023-01-01")
    '2027-12-31'
    """
    until = _UNTIL.search(expiry)
    if until:
        year, month, day = until.group(1), until.group(2), until.group(3)
        if day:
            return iso_date(f"{year}年{month}月{day}日")
        if not 1 <= int(month or 12) <= 12:
            return None
        next_month = dt.date(int(year), int(month or 12), 1) + dt.timedelta(days=31)
        return (next_month.replace(day=1) - dt.timedelta(days=1)).isoformat()
    # "2022年8月11日起,有效期3年": the clause may say where the term starts.
    since = _SINCE.search(expiry)
    start = iso_date(since.group(1)) if since else start
    term = _TERM_YEARS.search(expiry)
    if not (term and start):
        return None
    years = parse_number(term.group(1) or term.group(2))
    begin = dt.date.fromisoformat(start)
    if not years or years != int(years):
        return None
    try:
        end = begin.replace(year=begin.year + int(years))
    except ValueError:  # 29 February
        end = begin.replace(year=begin.year + int(years), day=28)
    return (end - dt.timedelta(days=1)).isoformat()


def _tags(page: Page) -> Tags:
    return Tags(**{key: tuple(page.tags.get(key, ())) for key in ("industries", "sizes", "ownership", "themes")})


def read(mapped: MappedText, page: Page, first_unit: int | None = None) -> Metadata:
    """Read the metadata from the page and the text around the body."""
    text = mapped.text
    title = page.title or ""
    header = page.header

    cover = _cover_line(mapped, page)
    if cover:
        # A cover (title, then the compiling body and a date): header fields further
        # down belong to the documents it collects, not to it.
        header = {}
    issuer = cover.group("issuer") if cover else header.get("issuer")
    if not issuer and title:
        m = ISSUER_IN_TITLE.match(title)
        issuer = m.group("issuer") if m else None
    if not issuer and header.get("source"):
        issuer = _issuer_from_source(header["source"], title)
    body = text[page.body_start:page.body_end]
    signature = None
    for signature in SIGNATURE.finditer(body[-600:] if len(body) > 600 else body):
        pass
    if not issuer and signature:
        issuer = signature.group("issuer")

    published = iso_date(header.get("published")) or iso_date(header.get("written")) \
        or iso_date(header.get("date_line")) or (iso_date(cover.group("date")) if cover else None)
    if not published and signature:
        published = iso_date(signature.group("date"))

    number = header.get("number")
    preamble_end = first_unit if first_unit is not None else min(page.body_end, page.body_start + 1500)
    preamble = text[page.body_start:preamble_end]
    if not number:
        # A document's own number stands alone on a line near its title, not inside a citation.
        for line in preamble.split("\n")[:8]:
            m = DOC_NUMBER.fullmatch(line.strip())
            if m:
                number = m.group(0)
                break
    number = _compact_number(number) if number and DOC_NUMBER.search(number) else None

    return Metadata(
        title=title,
        issuer=issuer,
        published=published,
        number=number,
        addressees=_addressees(preamble),
        tags=_tags(page),
        references=_references(mapped, page.body_start, page.body_end),
        validity=_validity(body, published),
    )
