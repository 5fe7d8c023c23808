from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The scoring helpers beside the tests are imported as a plain module.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def corpus_dir() -> Path:
    return Path(__file__).parent.parent / "corpus"
