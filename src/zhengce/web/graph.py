"""政策图谱: the reading as a graph of nodes and links, each node linking to its clause.

policy → chapters → articles → items → honours / recipients; articles → departments;
policy → cited documents and related policies. The JSON is what ECharts' graph
series takes (nodes with `category`, links with `source`/`target` ids), plus `href`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from zhengce.model import Policy
from zhengce.web.interpret import amount

CATEGORIES = ("政策", "章节", "条款", "奖补事项", "资质荣誉", "受益对象", "部门", "引用文件", "相关政策")
# Past this many items a policy's graph stops adding recipients and honours: a readable picture
# matters more than completeness, and the lists on the other tabs are complete.
MAX_ITEM_LEAVES = 120


def graph(policy: Policy, policy_id: int, related: Sequence[Any] = ()) -> dict[str, Any]:
    """Nodes and links of one policy (related: objects with policy_id, title, reasons)."""
    base = f"/policy/{policy_id}"
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    seen: set[str] = set()

    def node(nid: str, name: str, category: int, href: str, size: float, detail: str = "") -> str:
        if nid not in seen:
            seen.add(nid)
            nodes.append({"id": nid, "name": name[:40], "category": category, "href": href,
                          "symbolSize": size, "detail": detail[:200]})
        return nid

    def link(source: str, target: str, label: str) -> None:
        links.append({"source": source, "target": target, "label": label})

    root = node("policy", policy.title, 0, base, 46, policy.issuer or "")
    chapter_of: dict[int, str] = {}
    for c in policy.chapters:
        cid = node(f"c{c.no}", f"{c.label}{c.title}", 1, f"{base}#c-{c.no}", 26)
        link(root, cid, "章节")
        chapter_of[c.no] = cid
    article_ids: dict[int, str] = {}
    for a in policy.articles:
        aid = node(f"a{a.no}", f"{a.label}{a.title}" if a.title else a.label, 2, f"{base}#a-{a.no}", 16,
                   a.text[:120])
        link(chapter_of.get(a.chapter or -1, root), aid, "条款")
        article_ids[a.no] = aid
        for role, names in (("牵头", a.lead), ("责任", a.responsible), ("配合", a.cooperating)):
            for name in names:
                did = node(f"d:{name}", name, 6, f"/search?q={quote(name)}", 14)
                link(aid, did, role)
    for seq, item in enumerate(policy.items):
        iid = node(f"i{seq}", f"{item.recipient[:16]} {amount(item)}", 3, f"{base}#item-{seq}", 12,
                   item.quote.text if item.quote else "")
        link(article_ids.get(item.article or -1, root), iid, item.kind)
        if seq >= MAX_ITEM_LEAVES:
            continue
        rid = node(f"r:{item.recipient}", item.recipient, 5, f"/items?q={quote(item.recipient[:30])}", 10)
        link(iid, rid, "受益")
        for c in item.conditions:
            if c.kind == "honour" and c.honour:
                name = f"{c.level or ''}{c.honour}"
                hid = node(f"h:{name}", name, 4, f"/items?q={quote(c.honour)}", 12)
                link(iid, hid, c.status or "资格")
    for n, r in enumerate(policy.references):
        fid = node(f"f{n}", f"《{r.title}》", 7, f"/search?q={quote(r.title[:60])}", 14, r.number or "")
        link(root, fid, "引用")
    for r in related:
        pid = node(f"p{r.policy_id}", r.title, 8, f"/policy/{r.policy_id}", 18, "；".join(r.reasons))
        link(root, pid, "相关")
    return {"categories": [{"name": c} for c in CATEGORIES], "nodes": nodes, "links": links}
