"""The reader against the team's gold readings: no measure may fall under its floor."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring import score, score_items
from zhengce.reader import read_file

HERE = Path(__file__).parent
CORPUS = HERE.parent / "corpus"
GOLD = sorted((HERE / "gold").glob("*.gold.json"))
FLOORS = json.loads((HERE / "floors.json").read_text("utf-8"))


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_reading_meets_floors(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text("utf-8"))
    pred = read_file(CORPUS / gold["document"]).to_dict(with_text=False)
    scores = score(gold, pred)
    floors = FLOORS.get(gold["document"], {})
    items = score_items(gold, pred)
    detail = "; ".join(f"missed art {g['article']} {g['recipient']} {g.get('amount_yuan') or g.get('ratio')}"
                       for g in items["misses"][:5])
    low = {k: round(v, 3) for k, v in scores.items() if k in floors and v + 1e-9 < floors[k]}
    assert not low, f"{gold['document']}: under floor {low} (floors {floors}); {detail}"


def test_every_gold_has_floors() -> None:
    assert {json.loads(p.read_text("utf-8"))["document"] for p in GOLD} <= set(FLOORS)
