"""Lead, responsible and cooperating departments (牵头单位 / 责任单位 / 配合单位) of each article.

Articles close with "(牵头单位:市科技局;责任单位:市财政局、统计局)". Lists
share their first name's prefix ("市发展改革委、经济和信息化委" → 市发展改革委,
市经济和信息化委); bracketed notes ("各区市〔含国家级开发区…〕政府〔管委〕") are
dropped from the name. Role words, prefixes and aliases live in
`lexicons/departments.yaml`.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import yaml

from zhengce.model import Article
from zhengce.reader.text import MappedText

_OPEN, _CLOSE = "(（〔[【", ")）〕]】"


@cache
def lexicon() -> dict:
    return yaml.safe_load(resources.files("zhengce.lexicons").joinpath("departments.yaml").read_text("utf-8"))


@cache
def _role_pattern() -> re.Pattern[str]:
    words = [w for names in lexicon()["roles"].values() for w in names]
    alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"({alt})\s*[:：]")


@cache
def _roles() -> dict[str, str]:
    """Role word → role (the first role that lists it)."""
    roles: dict[str, str] = {}
    for role, names in lexicon()["roles"].items():
        for name in names:
            roles.setdefault(name, role)
    return roles


def _role_of(word: str) -> str:
    return _roles().get(word, "lead")


@cache
def _separator() -> re.Pattern[str]:
    prefixes = "|".join(map(re.escape, lexicon()["prefixes"]))
    return re.compile(rf"[、,，;；]|(?<!济)[和及](?={prefixes})")


_OPENING = re.compile(r"[(（〔\[【]")
_BRACKETED = re.compile(r"[(（〔\[【][^)）〕\]】]*[)）〕\]】]")
_MASK = str.maketrans("、,，;；和及", "\ue000\ue001\ue002\ue003\ue004\ue005\ue006")
_UNMASK = str.maketrans("\ue000\ue001\ue002\ue003\ue004\ue005\ue006", "、,，;；和及")


def _split_top_level(text: str) -> list[str]:
    """Split on 、 , ， ; and on 和 before a prefixed name, never inside brackets."""
    if not _OPENING.search(text):
        return [p for p in map(str.strip, _separator().split(text)) if p]
    text = _BRACKETED.sub(lambda m: m.group(0).translate(_MASK), text)
    return [p for p in (p.translate(_UNMASK).strip() for p in _separator().split(text)) if p]


def _drop_brackets(name: str) -> str:
    if not _OPENING.search(name):
        return name.strip()
    return _BRACKETED.sub("", name).strip()


@cache
def _affixes() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The prefixes, and the starts and ends of self-standing names, as tuples for str.startswith."""
    rules = lexicon()["self_standing"]
    return tuple(lexicon()["prefixes"]), tuple(rules["starts"]), tuple(rules["ends"])


def _prefix_of(name: str, prefixes: tuple[str, ...] | None = None) -> str | None:
    prefixes = prefixes or _affixes()[0]
    if not name.startswith(prefixes):
        return None  # most names: one test for all the prefixes
    for prefix in prefixes:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return prefix[0]  # 市委宣传部 lends 市, not 市委
    return None


def expand(names: str) -> tuple[str, ...]:
    """A written list of departments → full names.

    >>> expand("市发展改革委、经济和信息化委、科技局")
    ('市发展改革委', '市经济和信息化委', '市科技局')
    >>> expand("各区市〔含国家级开发区、综保区、南海新区,下同〕政府〔管委〕、市人力资源社会保障局")
    ('各区市政府', '市人力资源社会保障局')
    >>> expand("市委宣传部和市科协、科技局")
    ('市委宣传部', '市科协', '市科技局')
    """
    result: list[str] = []
    shared: str | None = None
    aliases = lexicon()["aliases"]
    prefixes, starts, ends = _affixes()
    bracketed = _OPENING.search(names) is not None
    for raw in _split_top_level(names):
        name = (_drop_brackets(raw) if bracketed else raw).strip(" .。")
        if not name or len(name) > 30:
            continue
        own = _prefix_of(name, prefixes)
        if own:
            shared = own
        elif shared and not (name.startswith(starts) or name.endswith(ends)):
            name = shared + name  # a name that does not stand by itself takes the list's prefix
        name = aliases.get(name, name)
        if name not in result:
            result.append(name)
    return tuple(result)


_LIST_END = re.compile(r"[(（〔\[【)）〕\]】。\n]")


def roles_in(text: str, expanded: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """The departments named by role in an article's text (`expanded`: lists already expanded)."""
    expanded = {} if expanded is None else expanded
    matches = list(_role_pattern().finditer(text))
    found: dict[str, tuple[str, ...]] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        segment = text[m.end():end]
        # The list ends at the bracket that closes the role note, or at a full stop.
        depth = 0
        for b in _LIST_END.finditer(segment):
            ch = b.group()
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                if depth == 0:
                    segment = segment[:b.start()]
                    break
                depth -= 1
            elif depth == 0:  # 。 or a line break
                segment = segment[:b.start()]
                break
        role = _role_of(m.group(1))
        written = segment.strip(" ,，;；、")
        names = expanded.get(written)
        if names is None:
            names = expanded[written] = expand(written)
        had = found.get(role, ())
        found[role] = had + tuple([n for n in names if n not in had]) if had else names
    return found


def assign(mapped: MappedText, articles: Sequence[Article]) -> tuple[Article, ...]:
    """Attach each article's departments."""
    result = []
    expanded: dict[str, tuple[str, ...]] = {}  # articles repeat their lists ("牵头单位:市科技局")
    for article in articles:
        roles = roles_in(article.text, expanded)
        if roles:
            a = article
            article = Article(a.no, a.title, a.label, a.text, a.start, a.end, a.chapter, lead=roles.get("lead", ()),
                              responsible=roles.get("responsible", ()), cooperating=roles.get("cooperating", ()))
        result.append(article)
    return tuple(result)
