"""Score a reading against a gold reading (the same measures as the team's scoring tool).

Gold files (`gold/<document>.gold.json`) say what must be read from a corpus
document; `floors.json` pins the level each measure has reached, per document.
"""
from __future__ import annotations

import re
from collections import Counter


def norm_text(s: str | None) -> str:
    s = re.sub(r"[〔(（\[【][^〕)）\]】]*[〕)）\]】]", "", s or "")
    return re.sub(r"\s+", "", s).replace("“", '"').replace("”", '"')


def norm_number(s: str | None) -> str:
    s = re.sub(r"\s+", "", s or "")
    return s.translate(str.maketrans("[［(（【〔]］)）】〕", "〔〔〔〔〔〔〕〕〕〕〕〕"))


def norm_dept(s: str) -> str:
    s = norm_text(s)
    return s[1:] if s.startswith("市") and len(s) > 2 else s


def f1(tp: int, npred: int, ngold: int) -> float:
    p = tp / npred if npred else (1.0 if not ngold else 0.0)
    r = tp / ngold if ngold else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def char_f1(a: str, b: str) -> float:
    a, b = norm_text(a), norm_text(b)
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def _quantified(item: dict) -> bool:
    return item.get("amount_yuan") not in (None, 0) or item.get("ratio") not in (None, 0)


def _same_key(g: dict, p: dict, free: bool) -> bool:
    if not free and g.get("article") != p.get("article"):
        return False
    if g.get("amount_yuan"):
        return p.get("amount_yuan") == g["amount_yuan"]
    return p.get("amount_yuan") in (None, 0) and p.get("ratio") is not None and g.get("ratio") is not None \
        and abs(float(p["ratio"]) - g["ratio"]) < 1e-6


def _ignored(p: dict, gold: dict) -> bool:
    return any(x.get("amount_yuan") is not None and x.get("amount_yuan") == p.get("amount_yuan")
               and x.get("article") == p.get("article") for x in gold.get("ignored", []))


def score_items(gold: dict, pred: dict) -> dict:
    free = gold.get("article_numbering") == "free"
    gold_items = [g for g in gold["items"] if _quantified(g)]
    pred_items = [p for p in pred.get("items", []) if _quantified(p) and not _ignored(p, gold)]
    used: set[int] = set()
    sims, misses = [], []
    for g in gold_items:
        best, best_sim = None, -1.0
        for k, p in enumerate(pred_items):
            if k in used or not _same_key(g, p, free):
                continue
            sim = char_f1(g["recipient"], p.get("recipient", ""))
            if sim >= 0.5 and sim > best_sim:
                best, best_sim = k, sim
        if best is None:
            misses.append(g)
        else:
            used.add(best)
            sims.append(best_sim)
    extra = [p for k, p in enumerate(pred_items) if k not in used]
    return {"f1": f1(len(sims), len(pred_items), len(gold_items)),
            "recipient_sim": sum(sims) / len(sims) if sims else (1.0 if not gold_items else 0.0),
            "misses": misses, "extra": extra}


def score(gold: dict, pred: dict) -> dict[str, float]:
    """Per-measure scores in 0..1 (structure is left out where numbering is free)."""
    items = score_items(gold, pred)
    by_no = {a.get("no"): a for a in pred.get("articles", [])}
    tp = npred = ngold = 0
    for ga in gold.get("articles", []):
        pa = by_no.get(ga["no"], {})
        for role in ("lead", "responsible"):
            g = {norm_dept(x) for x in ga.get(role, [])}
            p = {norm_dept(x) for x in pa.get(role, []) or []}
            tp, npred, ngold = tp + len(g & p), npred + len(p), ngold + len(g)
    result = {"items_f1": items["f1"], "recipient_sim": items["recipient_sim"], "departments_f1": f1(tp, npred, ngold)}
    if gold.get("article_numbering") != "free":
        titles = {a.get("no"): norm_text(a.get("title")) for a in pred.get("articles", [])}
        ok = sum(titles.get(a["no"]) == norm_text(a["title"]) for a in gold["articles"])
        chapters = {c.get("no"): (norm_text(c.get("title")), list(c.get("articles", []))) for c in pred.get("chapters", [])}
        cok = sum(chapters.get(c["no"]) == (norm_text(c["title"]), c["articles"]) for c in gold["chapters"])
        result["structure"] = (ok + cok) / max(1, len(gold["articles"]) + len(gold["chapters"]))
    checks = [norm_text(pred.get("title")) == norm_text(gold["title"]),
              norm_text(pred.get("issuer")) == norm_text(gold.get("issuer")),
              pred.get("published") == gold.get("published")]
    for key, values in gold.get("tags", {}).items():
        checks.append({norm_text(x) for x in (pred.get("tags") or {}).get(key, [])} == {norm_text(x) for x in values})
    gold_numbers = {norm_number(r["number"]) for r in gold.get("references", []) if r.get("number")}
    checks.append(gold_numbers <= {norm_number(r.get("number")) for r in pred.get("references", [])})
    result["metadata"] = sum(checks) / len(checks)
    gts, pts, used, hit = gold.get("targets", []), list(pred.get("targets", [])), set(), 0
    for g in gts:
        for k, p in enumerate(pts):
            if k not in used and abs(float(p["value"]) - g["value"]) < 1e-9 and p.get("year") == g["year"] \
                    and char_f1(p.get("indicator", ""), g["indicator"]) >= 0.6:
                used.add(k)
                hit += 1
                break
    result["targets_f1"] = f1(hit, len(pts), len(gts))
    return result
