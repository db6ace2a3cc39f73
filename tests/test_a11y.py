"""Accessibility in a real browser, light and dark: axe-core finds no serious or critical
violation in the chat (with its sources list), an answer, the evidence panel (an answer's
and a possibly relevant passage's) and the evidence view, and every
colour the app sets (chips, highlights, muted text) meets WCAG AA contrast as rendered."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.test_e2e import BROWSER_ARGS, CHROMIUM, _ask, browser_page, server  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
# Installed by `make test` (npm install --prefix .venv/axe axe-core@<pinned>).
AXE = Path(sys.prefix) / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DOCUMENT = "?doc=gpa-trafficking-hearing-2025-06-30.md&start=4587&end=4693"

VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter((v) => v.impact === "serious" || v.impact === "critical")
  .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)"""
# WCAG 2.x contrast of each visible element's text colour on its first opaque background.
CONTRASTS = """(selector) => {
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const parse = (css) => {
    const m = css.match(/^rgba?\\(([^)]+)\\)$/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(parseFloat);
    return {rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1};
  };
  const ratios = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    const fg = parse(getComputedStyle(el).color);
    let bg = null;
    for (let e = el; e && !bg; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.alpha >= 0.9) bg = c;
    }
    if (!fg) { ratios.push(-1); continue; }
    const [a, b] = [luminance(fg.rgb), luminance((bg || {rgb: [255, 255, 255]}).rgb)];
    ratios.push((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
  }
  return ratios;
}"""
# The colours the app itself sets, by the page state that shows them.
OURS = {
    "empty chat": ["#source-list .source-title", "#source-list .source-facts"],
    "answer": [
        "#chat a.cite",
        "#chat .cite-meta",
        "#chat details mark",
        "#status",
        "#chat .certainty",
    ],
    "related panel": ["#panel-head .panel-not-answer", "#chat a.cite.related"],
    "panel": ["#panel-head", "#panel-body mark#panel-quote"],
    "evidence": [
        "#evidence mark#quote",
        "#evidence mark.hit",
        "#evidence mark.hit.current",
        "#search-count",
        "#evidence .evidence-where",
    ],
}


def _check(page, state: str, theme: str, problems: list[str]) -> None:
    page.add_script_tag(path=str(AXE))
    problems += [f"{theme} {state}: {v}" for v in page.evaluate(VIOLATIONS)]
    for selector in OURS.get(state, []):
        ratios = page.evaluate(CONTRASTS, selector)
        if not ratios:
            problems.append(f"{theme} {state}: nothing visible matches {selector}")
        low = [round(r, 2) for r in ratios if r < 4.5]
        if low:
            problems.append(f"{theme} {state}: {selector} contrast {low} < 4.5")


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed")
@pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core is not installed at {AXE}")
def test_every_view_passes_axe_and_meets_contrast_in_both_themes(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for theme in ("light", "dark"):
            page = browser_page(browser, viewport={"width": 1280, "height": 900})
            dark = "__theme=dark" if theme == "dark" else ""
            page.goto(f"{server}?{dark}")
            page.wait_for_selector("#chat .examples")
            # The sources list arrives with the page's load event: checked once it is there.
            page.wait_for_selector("#source-list .source-title", timeout=30_000)
            if theme == "dark":
                assert page.evaluate("document.body.classList.contains('dark')")
            _check(page, "empty chat", theme, problems)
            _ask(page, "What root causes of trafficking were identified?")
            page.locator("#chat details summary").first.click()
            _check(page, "answer", theme, problems)
            page.locator("#chat a.cite").first.click()
            page.wait_for_selector("#panel-body mark#panel-quote", timeout=30_000)
            _check(page, "panel", theme, problems)
            _ask(page, "What is Ghada Waly's nationality?", "#chat a.cite.related")
            page.locator("#chat a.cite.related").first.click()
            page.wait_for_selector("#panel-head .panel-not-answer", timeout=30_000)
            _check(page, "related panel", theme, problems)
            page.goto(f"{server}{DOCUMENT}&{dark}")
            page.wait_for_selector("#evidence mark#quote", timeout=60_000)
            page.locator("#doc-search textarea").fill("traffick")  # typing: test_e2e
            page.wait_for_selector("#evidence mark.hit.current", timeout=30_000)
            _check(page, "evidence", theme, problems)
            page.close()
        browser.close()
    assert problems == []
