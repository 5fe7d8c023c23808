"""Save a PNG of every page of the portal, at desktop and phone widths (`make screenshots`).

Drives Debian's chromium through Playwright (never `playwright install`), against the
demo portal built from the bundled corpus.

    python -m zhengce.web.screenshots [OUT_DIR] [CORPUS …]
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
MAX_HEIGHT = 3000


def pages(pid: int, ref: str) -> list[tuple[str, str, bool]]:
    """(name, path, needs officer) of every page."""
    return [
        ("home", "/", False), ("search", "/search?q=高新技术企业", False),
        ("search-facet", "/search?q=奖励&size=小微企业", False), ("items", "/items", False),
        ("policy-text", f"/policy/{pid}", False), ("policy-graph", f"/policy/{pid}/graph", False),
        ("policy-source", f"/policy/{pid}/source", False), ("policy-interpret", f"/policy/{pid}/interpret", False),
        ("policy-apply", f"/policy/{pid}/apply", False), ("policy-related", f"/policy/{pid}/related", False),
        ("policy-evaluate", f"/policy/{pid}/evaluate", False), ("application", f"/application/{ref}", False),
        ("calculator", "/calculator?example=1", False), ("calculator-result", "/calculator?example=1#submit", False),
        ("not-found", "/policy/999999", False), ("officer-login", "/officer/login", False),
        ("officer-dashboard", "/officer", True), ("officer-feedback", "/officer/feedback", True),
        ("officer-applications", "/officer/applications", True), ("officer-targets", "/officer/targets", True),
        ("api-docs", "/api/docs", False),
    ]


def main(argv: Sequence[str]) -> int:
    from playwright.sync_api import sync_playwright

    from zhengce.web.demo import OFFICER, serving

    out = Path(argv[0]) if argv else Path("screenshots")
    corpus = list(argv[1:]) or ["corpus"]
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium and a CJK font)", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with serving(corpus) as demo, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            page = context.new_page()
            logged_in = False
            for name, path, officer in pages(demo.policy_id, demo.application_ref):
                if officer and not logged_in:
                    page.goto(demo.url + "/officer/login")
                    page.fill("input[name=name]", OFFICER[0])
                    page.fill("input[name=password]", OFFICER[1])
                    page.click("form button[type=submit]")
                    logged_in = True
                page.goto(demo.url + path.split("#")[0])
                if path.endswith("#submit"):
                    page.click("form[action='/calculator'] button[type=submit]")
                    page.wait_for_selector(".report")
                if "graph" in name:
                    page.wait_for_selector("#graph[data-ready='1']", timeout=10_000)
                    page.wait_for_timeout(2500)  # let the force layout settle
                elif name == "officer-dashboard":
                    page.wait_for_timeout(800)
                target = out / f"{name}-{width_name}.png"
                # Long pages are cut at MAX_HEIGHT: enough to judge layout, small enough to look at.
                tall = page.evaluate("document.documentElement.scrollHeight")
                page.screenshot(path=str(target), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": min(tall, MAX_HEIGHT)})
                print(target, flush=True)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
