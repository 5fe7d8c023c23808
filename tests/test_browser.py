"""The main journeys in a real browser: Debian's chromium driven by Playwright, CJK font installed.

search → policy page → every tab → the graph draws and a click on a node reaches its clause →
calculator → an evaluation with its captcha → moderation by an officer → shown on the page.
Skipped (with the reason) when /usr/bin/chromium is missing: `make browser` installs it.
"""
from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path("/usr/bin/chromium")
CORPUS = Path(__file__).parent.parent / "corpus"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is missing: run `make browser` (Debian chromium + CJK font)")


@pytest.fixture(scope="module")
def demo() -> Iterator[object]:
    from zhengce.web.demo import serving

    with serving([CORPUS]) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, demo):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.errors = errors
    yield p
    context.close()


def test_a_cjk_font_is_installed() -> None:
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no CJK font: Chinese would render as boxes (make browser installs fonts-wqy-microhei)"


def test_search_policy_page_and_every_tab(page, demo) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo.url + "/")
    page.fill("input[name=q]", "众创空间")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator(".hit mark").first.inner_text() == "众创空间"
    page.click("text=威海市人民政府关于加快科技创新支持新旧动能转换的实施意见")
    page.wait_for_url(re.compile(r"/policy/\d+"))
    assert page.locator("h1").inner_text().startswith("威海市人民政府")
    assert page.locator("#a-16").is_visible()
    assert page.locator("mark.item").count() > 10
    expect = {"政策图谱": "#graph", "原文链接": "dl.facts", "政策解读": ".interpret", "申报入口": ".apply",
              "相关政策": ".tab-body", "政策评价": "#evaluate-form", "政策正文": ".body"}
    for tab, selector in expect.items():
        page.click(f"nav.tabs >> text={tab}")
        page.wait_for_selector(selector)
        assert page.locator("nav.tabs a.on").inner_text() == tab
    assert not page.errors, page.errors


def test_graph_renders_and_a_click_reaches_the_clause(page, demo) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{demo.url}/policy/{demo.policy_id}/graph")
    page.wait_for_selector("#graph[data-ready='1'] canvas", timeout=15_000)
    page.locator("#graph").scroll_into_view_if_needed()
    box = page.locator("#graph").bounding_box()  # relative to the viewport, after the scroll
    assert box and box["width"] > 300 and box["height"] > 300
    # Every node is in view: the settled layout is pinned and fitted to the canvas.
    outside = page.evaluate("""() => {
        const c = window.__graph.chart, data = c.getModel().getSeriesByIndex(0).getData();
        let out = 0;
        for (let i = 0; i < data.count(); i++) {
            const [x, y] = c.convertToPixel({seriesIndex: 0}, data.getItemLayout(i));
            if (x < 0 || y < 0 || x > c.getWidth() || y > c.getHeight()) out++;
        }
        return out;
    }""")
    assert outside == 0
    # Click article 16 as a person would in a dense graph: zoom in on it, hover until its
    # tooltip names it, then click.
    node_at = """() => {
        const g = window.__graph, data = g.chart.getModel().getSeriesByIndex(0).getData();
        return g.chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(g.nodes.findIndex(n => n.id === 'a16')));
    }"""
    page.evaluate("""() => {
        const g = window.__graph, data = g.chart.getModel().getSeriesByIndex(0).getData();
        g.chart.setOption({animation: false,
                           series: [{center: data.getItemLayout(g.nodes.findIndex(n => n.id === 'a16')), zoom: 4}]});
    }""")
    title = page.evaluate("() => window.__graph.nodes.find(n => n.id === 'a16').name")
    shows_title = "t => [...document.querySelectorAll('#graph div')].some(d => d.textContent.includes(t))"
    for attempt in range(5):  # a loaded machine may still be drawing: look again, move again
        where = page.evaluate(node_at)
        x, y = box["x"] + where[0], box["y"] + where[1]
        page.mouse.move(x - 3, y - 3)
        page.mouse.move(x, y, steps=3)
        try:
            page.wait_for_function(shows_title, arg=title[:8], timeout=2_000)
            break
        except PlaywrightTimeout:
            assert attempt < 4, f"no tooltip for {title} at {where}"
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"/policy/{demo.policy_id}#a-16$"), timeout=8_000)
    assert page.locator("#a-16").is_visible()
    assert not page.errors, page.errors


def test_calculator(page, demo) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo.url + "/calculator?example=1")
    page.click("form[action='/calculator'] button[type=submit]")
    page.wait_for_selector(".report")
    assert "确定可得" in page.inner_text(".totals")
    assert page.locator("tr.verdict-yes").count() >= 1
    assert page.locator("[data-print]").is_visible()


def test_evaluation_with_captcha_then_moderation(page, demo) -> None:  # type: ignore[no-untyped-def]
    from zhengce.library import open_library
    from zhengce.web import captcha
    from zhengce.web.demo import OFFICER
    from zhengce.web.store import WebStore

    with open_library(demo.db) as lib:
        secret = WebStore(lib.engine).secret()
    page.goto(f"{demo.url}/policy/{demo.policy_id}/evaluate")
    assert page.evaluate("document.getElementById('captcha-img').naturalWidth") == 150
    page.click("#captcha-refresh")  # a new image without a reload
    page.wait_for_function("document.getElementById('captcha-token').value !== ''")
    page.check("input[name=rating][value='4']")
    page.fill("input[name=title]", "浏览器里写的评价")
    page.fill("textarea[name=content]", "<script>alert(1)</script> 内容清楚")
    page.fill("#captcha-input", "WRONG")
    page.click("#evaluate-form button[type=submit]")
    assert "验证码不正确" in page.inner_text(".alert")
    page.errors.clear()  # that page was the intended 400
    token = page.input_value("#captcha-token")
    page.fill("input[name=title]", "浏览器里写的评价")
    page.fill("#captcha-input", captcha.answer_for(secret, token))
    page.click("#evaluate-form button[type=submit]")
    page.wait_for_selector(".notice")
    assert "浏览器里写的评价" not in page.inner_text(".evaluate")  # waits for moderation

    page.goto(demo.url + "/officer/login?next=/officer/feedback")
    page.fill("input[name=name]", OFFICER[0])
    page.fill("input[name=password]", OFFICER[1])
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/officer/feedback"))
    card = page.locator("section.comment", has_text="浏览器里写的评价")
    card.get_by_role("button", name="通过", exact=True).click()
    page.wait_for_url(re.compile(r"/officer/feedback\?status=pending"))
    page.goto(f"{demo.url}/policy/{demo.policy_id}/evaluate")
    assert "浏览器里写的评价" in page.inner_text(".evaluate")
    assert "<script>alert(1)</script> 内容清楚" in page.inner_text(".evaluate")  # shown as text, never run
    assert not page.errors, page.errors


def test_phone_width_has_no_horizontal_scroll(browser, demo) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    p = context.new_page()
    for path in ("/", f"/policy/{demo.policy_id}", f"/policy/{demo.policy_id}/interpret", "/items", "/calculator"):
        p.goto(demo.url + path)
        overflow = p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
    context.close()


def test_api_docs_render_offline(page, demo) -> None:  # type: ignore[no-untyped-def]
    # Swagger UI comes from the vendored files: no CDN, and no inline script under the page's CSP.
    page.goto(demo.url + "/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    assert page.locator(".opblock-summary-path", has_text="/api/search").count() >= 1
    assert not page.errors, page.errors
