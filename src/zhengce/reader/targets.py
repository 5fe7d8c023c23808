"""Quantified targets (量化目标): "到2020年,全社会研发投入占生产总值比重达到2.85%以上".

Where the policy has a goals section (an article or chapter titled …目标), targets
are read there only: elsewhere "到2020年…达到" sentences describe programmes, not
the policy's goals. Without such a section the whole body is read.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from zhengce.model import Article, Chapter, Target
from zhengce.reader.text import MappedText

# The year a target is for: 到2020年, 到“十四五”末 (the last year of a five-year plan), or a
# sentence that opens with its year ("2025年,技术合同成交额突破500亿元").
YEAR = re.compile(
    r"(?:到|至|截至|力争到|力争)\s*(?P<year>[12]\d{3})\s*年(?:底|末)?"
    r"|(?:到|至|力争到)?\s*[“\"]?十(?P<plan>[一二三四五])五[”\"]?(?:规划)?(?:时期|期)?末"
    r"|^\s*(?P<opening>[12]\d{3})\s*年(?:底|末)?(?=\s*[,，])"
)
_PLAN_END = {"一": 2010, "二": 2015, "三": 2020, "四": 2025, "五": 2030}


def _year(m: re.Match[str]) -> int:
    if m.group("plan"):
        return _PLAN_END[m.group("plan")]
    return int(m.group("year") or m.group("opening"))

UNITS = ("个百分点", "百分点", "万亿元", "亿元", "万元", "元", "万人", "万家", "万件", "%", "家", "个", "件", "项",
         "名", "人", "所", "座", "台", "户", "次", "倍", "亩", "平方米", "公里", "吨", "条", "支", "种", "位")
VALUE = re.compile(
    r"(?P<value>[0-9]+(?:\.\d+)?)\s*(?P<unit>" + "|".join(map(re.escape, UNITS)) + r")"
    r"(?P<after>以上|及以上|左右|以内|以下|上下)?"
)
# Verbs between indicator and value. Those that say "reach" are not part of the
# indicator; those that say "grow by" are (年均增长15%: the indicator is growth).
REACH = re.compile(r"(?:力争)?(?:达到|达|突破|超过|超|不低于|不少于|保持在|保持|实现|控制在|提高到|提升到|增至|为)$")
OP_BY_VERB = {"突破": ">", "超过": ">", "超": ">", "不低于": ">=", "不少于": ">="}
OP_BY_AFTER = {"以上": ">=", "及以上": ">=", "左右": "~", "上下": "~", "以内": "<=", "以下": "<="}
_DIGIT = re.compile(r"[0-9]")
_SUBJECT_END = re.compile(r"年均|增长|增加|提高|占")
_SENTENCE = re.compile(r"[^。;；]+")
_CLAUSE = re.compile(r"[^,，]+")
LEADING_NOISE = re.compile(r"^(?:[,，、;；]|其中|力争|全市|全省|全区|全县|基本|初步|进一步|实现)+")


def _goal_scope(articles: Sequence[Article], chapters: Sequence[Chapter]) -> list[Article]:
    goal_articles = [a for a in articles if "目标" in a.title]
    if not goal_articles:
        goal_chapters = {c.no for c in chapters if "目标" in c.title}
        goal_articles = [a for a in articles if a.chapter in goal_chapters]
    return goal_articles


def _clause_targets(clause: str, year: int | None, subject: str) -> tuple[list[tuple], str]:
    found = []
    for m in VALUE.finditer(clause):
        head = clause[:m.start()]
        # The indicator ends at the value; a reach-verb before the value is dropped.
        verb = REACH.search(head)
        indicator = head[:verb.start()] if verb else head
        indicator = YEAR.sub("", indicator)
        indicator = LEADING_NOISE.sub("", indicator.strip()).strip(" ,，")
        if indicator.startswith(("占", "比重")) and subject:
            indicator = subject + indicator
        if not indicator or len(indicator) > 60 or _DIGIT.search(indicator):
            continue
        op = OP_BY_AFTER.get(m.group("after") or "") or OP_BY_VERB.get(verb.group(0) if verb else "", "=")
        if op == "=" and verb and verb.group(0).startswith("力争"):
            op = "="
        found.append((year, indicator, float(m.group("value")), m.group("unit"), op, m.start(), m.end()))
        subject = _SUBJECT_END.split(indicator, 1)[0] or subject
        break  # one target per clause: later numbers in it qualify the first
    return found, subject


def extract(mapped: MappedText, articles: Sequence[Article], chapters: Sequence[Chapter]) -> tuple[Target, ...]:
    """The quantified targets of the policy."""
    scope = _goal_scope(articles, chapters)
    targets: list[Target] = []
    for article in scope or articles:
        start = mapped.locate(article.start)
        end = mapped.locate(article.end)
        text = mapped.text[start:end]
        year: int | None = None
        for sentence in _SENTENCE.finditer(text):
            s_text = sentence.group(0)
            years = list(YEAR.finditer(s_text))
            if years:
                year = _year(years[0])
            elif not scope:
                continue  # outside a goals section only "到N年" sentences state targets
            if year is None:
                continue
            subject = ""
            for clause in _CLAUSE.finditer(s_text):
                c_text = clause.group(0)
                inner_year = YEAR.search(c_text)
                if inner_year:
                    year = _year(inner_year)
                found, subject = _clause_targets(c_text, year, subject)
                for y, indicator, value, unit, op, v_start, v_end in found:
                    c_start = start + sentence.start() + clause.start()
                    targets.append(Target(
                        year=y, indicator=indicator, value=value, unit=unit, op=op, article=article.no,
                        quote=mapped.quote(c_start, c_start + v_end + 3 if v_end + 3 <= len(c_text) else c_start + len(c_text)),
                    ))
    return tuple(targets)
