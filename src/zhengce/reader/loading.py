"""Load a document file into text (placeholder: UTF-8 text only; being replaced)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from zhengce.errors import ReadError


@dataclass(frozen=True, slots=True)
class LoadedText:
    text: str
    format: str
    encoding: str | None
    sha256: str


def load(path: Path) -> LoadedText:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, exc.strerror or str(exc)) from None
    return LoadedText(raw.decode("utf-8-sig"), "txt", "utf-8", hashlib.sha256(raw).hexdigest())
