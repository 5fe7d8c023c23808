"""The reader: pure functions from a document's text to a `Policy`.

`read_text` takes decoded text; `read_file` loads a file (txt, html, pdf, docx;
UTF-8 or GBK) first. Each step lives in its own module, named for what it reads.
"""
from __future__ import annotations

from pathlib import Path

from zhengce.model import Policy, Source
from zhengce.reader import chrome, departments, items, loading, metadata, structure, targets
from zhengce.reader.text import normalise


def read_text(original: str, source: Source | None = None) -> Policy:
    """Read a policy from its decoded text."""
    mapped = normalise(original)
    page = chrome.strip(mapped)
    meta = metadata.read(mapped, page)
    chapters, articles = structure.read(mapped, page.body_start, page.body_end)
    articles = departments.assign(mapped, articles)
    return Policy(
        title=meta.title,
        issuer=meta.issuer,
        published=meta.published,
        number=meta.number,
        addressees=meta.addressees,
        tags=meta.tags,
        references=meta.references,
        chapters=chapters,
        articles=articles,
        items=items.extract(mapped, articles, structure.uncovered(mapped, articles, page.body_start, page.body_end)),
        targets=targets.extract(mapped, articles, chapters),
        validity=meta.validity,
        text=original,
        source=source or Source(),
    )


def read_file(path: str | Path, url: str | None = None) -> Policy:
    """Load and read one document file; raises ReadError naming the file."""
    loaded = loading.load(Path(path))
    return read_text(loaded.text, Source(path=str(path), format=loaded.format,
                                         encoding=loaded.encoding, url=url, sha256=loaded.sha256))
