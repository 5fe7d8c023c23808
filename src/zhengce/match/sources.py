"""Where the calculator gets its policies: files read on the spot, or the policy library.

Anything with `policies() -> Iterable[(id, Policy)]` is a `PolicySource`; the CLI takes
`--policy PATH` files and folders (`FileSource`) and, without them, the library
(`LibrarySource` over `zhengce.library.open_library`).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from zhengce.model import Policy


class PolicySource(Protocol):
    """A set of policies, each under a stable id the report cites."""

    def policies(self) -> Iterable[tuple[str, Policy]]: ...


_PREFERRED = {".txt": 0, ".docx": 1, ".pdf": 2, ".html": 3, ".htm": 3}


class FileSource:
    """Policy documents read from files and folders (folders recursively)."""

    def __init__(self, paths: Sequence[str | Path]) -> None:
        self.paths = [Path(p) for p in paths]

    def policies(self) -> Iterator[tuple[str, Policy]]:
        from zhengce.reader import read_file
        from zhengce.reader.loading import iter_documents

        # One document per stem and folder: x.html beside x.txt is the same policy, read once
        # (counting it twice would pay its items twice), from the plainest form. The stem is
        # the id a person recognises.
        chosen: dict[tuple[str, str], Path] = {}
        for path in iter_documents(self.paths):
            key = (str(path.parent), path.stem)
            if key not in chosen or _PREFERRED.get(path.suffix.lower(), 9) < _PREFERRED.get(chosen[key].suffix.lower(), 9):
                chosen[key] = path
        for path in chosen.values():
            yield path.stem, read_file(path)


class PolicyList:
    """Policies already read (tests, benchmarks, the web app)."""

    def __init__(self, policies: Iterable[tuple[str, Policy]]) -> None:
        self._policies = list(policies)

    def policies(self) -> list[tuple[str, Policy]]:
        return self._policies


class LibrarySource:
    """Every policy stored in a library (`zhengce.library.Library`), by its id."""

    def __init__(self, library: Any) -> None:
        self.library = library

    def policies(self) -> Iterator[tuple[str, Policy]]:
        repo = getattr(self.library, "repo", None)
        ids = repo.ids() if repo is not None and hasattr(repo, "ids") else self.library.ids()
        for policy_id in ids:
            yield str(policy_id), self.library.load(policy_id)


def library_source(url: str | None = None) -> LibrarySource | None:
    """The library at `url` (default ZHENGCE_DB or ./zhengce.db) if it exists, else None."""
    try:
        from zhengce.library import open_library
        from zhengce.store import default_url
    except ImportError:
        return None
    url = url or default_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    return LibrarySource(open_library(url))
