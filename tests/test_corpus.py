"""Every bundled document reads without error, and the reading holds together."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhengce.reader import read_file
from zhengce.reader.loading import iter_documents

CORPUS = Path(__file__).parent.parent / "corpus"
DOCUMENTS = list(iter_documents([CORPUS]))


def test_corpus_is_bundled() -> None:
    assert len(DOCUMENTS) >= 20


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_reads(path: Path) -> None:
    policy = read_file(path)
    assert policy.text
    data = json.loads(json.dumps(policy.to_dict(), ensure_ascii=False))
    assert data["title"] == policy.title
    # Quotes point into the original text, where they stand verbatim.
    for article in policy.articles:
        assert 0 <= article.start < article.end <= len(policy.text)
        assert article.title.replace(" ", "") in policy.text[article.start:article.end].replace(" ", "").replace("\n", "") \
            or not article.title
    for item in policy.items:
        if item.quote:
            assert policy.text[item.quote.start:item.quote.end] == item.quote.text
    numbers = [a.no for a in policy.articles]
    assert len(numbers) == len(set(numbers)), "article numbers must be unique"
