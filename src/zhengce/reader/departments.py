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


_LEVELS = "市区县省州"


def _short_form(name: str) -> str:
    """区人社局 → 区人力资源社会保障局: a short form after a level, from the lexicon's short_forms."""
    if len(name) > 2 and name[0] in _LEVELS:
        full = lexicon()["short_forms"].get(name[1:])
        if full:
            return name[0] + full
    return name


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
        name = aliases.get(name) or _short_form(name)
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


def _role_columns(text: str, before: int) -> tuple[int, dict[int, str]]:
    """A table's heading row above `before` that names departments' roles: (its cell count, column → role).

    "序号\t政策名称\t支持标准\t责任单位": each row's fourth cell lists its responsible departments.
    """
    line_end = before
    for _ in range(3):  # the heading sits just above the first row, maybe under a caption
        line_start = text.rfind("\n", 0, max(0, line_end - 1)) + 1
        cells = [_BRACKETED.sub("", c).strip() for c in text[line_start:line_end].rstrip("\n").split("\t")]
        columns = {i: _roles()[c] for i, c in enumerate(cells) if c in _roles()}
        if columns and len(cells) > 1:
            return len(cells), columns
        if line_start == 0:
            break
        line_end = line_start
    return 0, {}


def _row_roles(mapped: MappedText, article: Article, width: int, columns: dict[int, str],
               expanded: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The departments an article that is one row of such a table lists in its role columns."""
    text = mapped.text
    at = mapped.locate(article.start)
    line_end = text.find("\n", at)
    row = text[text.rfind("\n", 0, at) + 1:line_end if line_end >= 0 else len(text)]
    cells = row.split("\t")
    found: dict[str, tuple[str, ...]] = {}
    if len(cells) > width:
        return found  # not a row of that table
    for column, role in columns.items():
        # A row's empty cells at its end are cut with the line's trailing layout.
        written = cells[column].strip(" ,，;；、。") if column < len(cells) else ""
        if written:
            names = expanded.get(written)
            if names is None:
                names = expanded[written] = expand(written)
            found[role] = found.get(role, ()) + names
    return found


def assign(mapped: MappedText, articles: Sequence[Article]) -> tuple[Article, ...]:
    """Attach each article's departments: from its role notes, or from the role columns of the table it is a row of."""
    result = []
    expanded: dict[str, tuple[str, ...]] = {}  # articles repeat their lists ("牵头单位:市科技局")
    width, columns = 0, {}
    if articles and "\t" in mapped.text:
        first = mapped.locate(articles[0].start)
        width, columns = _role_columns(mapped.text, mapped.text.rfind("\n", 0, first) + 1)
    for article in articles:
        roles = roles_in(article.text, expanded)
        if columns and not roles:
            roles = _row_roles(mapped, article, width, columns, expanded)
        if roles:
            a = article
            article = Article(a.no, a.title, a.label, a.text, a.start, a.end, a.chapter, lead=roles.get("lead", ()),
                              responsible=roles.get("responsible", ()), cooperating=roles.get("cooperating", ()))
        result.append(article)
    return tuple(result)
