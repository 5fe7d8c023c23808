"""Benefit items (奖补事项) from article text (placeholder: being written)."""
from __future__ import annotations

from collections.abc import Sequence

from zhengce.model import Article, Item
from zhengce.reader.text import MappedText


def extract(mapped: MappedText, articles: Sequence[Article]) -> tuple[Item, ...]:
    return ()
