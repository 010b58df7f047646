"""A real headless Chromium reads the served site: no console errors, no broken links."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from servers import require
from test_server import kg_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    executable = require("chromium", "headless browser tests, Debian package chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(built):
    with kg_server(built) as base:
        yield base


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visit:
    """A page opened in Chromium, with every console error and failed request recorded."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1100, "height": 1400})
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error"
                     and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400
                     and self.problems.append(f"{r.status}: {r.url}"))
        self.page.goto(url)

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "a[href]",
            "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)")


def assert_links_work(base: str, links: list[str]) -> int:
    checked = 0
    host = urlsplit(base).netloc
    for link in sorted(set(links)):
        if urlsplit(link).netloc != host:
            continue
        response = httpx.get(link.split("#")[0], follow_redirects=True, timeout=10)
        assert response.status_code == 200, link
        checked += 1
    return checked


def test_index_resource_and_article_pages(browser, server, shots):
    index = Visit(browser, server + "/")
    assert index.page.title() == "kg: corporate deals as linked data"
    assert index.page.locator("svg.network circle").count() == 6
    index.page.screenshot(path=str(shots / "index.png"), full_page=True)
    assert assert_links_work(server, index.links()) > 10

    # Follow the network picture to an organization's page.
    index.page.locator("svg.network text.organization-label",
                       has_text=re.compile("^OpenAI$")).click()
    index.page.wait_for_load_state()
    assert index.page.locator("h1").inner_text() == "OpenAI"
    assert index.page.locator("blockquote mark").count() >= 1
    index.page.screenshot(path=str(shots / "resource.png"), full_page=True)
    assert assert_links_work(server, index.links()) > 10

    # From the evidence to the article view, where the quote is highlighted.
    index.page.locator("text=see it in the article").first.click()
    index.page.wait_for_load_state()
    assert "article" in index.page.url
    assert index.page.locator("a.ev").count() > 20
    index.page.screenshot(path=str(shots / "article.png"), full_page=True)
    assert assert_links_work(server, index.links()) > 10
    assert index.problems == []


def test_sparql_form_runs_a_query(browser, server, shots):
    visit = Visit(browser, server + "/sparql")
    visit.page.fill("#query",
                    "SELECT ?name WHERE { ?o a <https://kg.example.org/ontology#Organization> ; "
                    "<https://schema.org/name> ?name } ORDER BY ?name")
    visit.page.click("button[type=submit]")
    visit.page.wait_for_load_state()
    cells = visit.page.locator("table.results td").all_inner_texts()
    assert cells[:3] == ["Arm", "Inflection", "Microsoft"]
    visit.page.screenshot(path=str(shots / "sparql.png"), full_page=True)
    assert visit.problems == []


def test_pages_are_readable_on_a_phone(browser, server, shots):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(server + "/id/agreement/microsoft-openai-partnership")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "no horizontal scrolling on a phone"
    page.screenshot(path=str(shots / "phone.png"), full_page=True)


def test_the_search_box_finds_a_label_as_it_is_typed(browser, server, shots):
    visit = Visit(browser, server + "/")
    visit.page.fill("#search", "")
    visit.page.type("#search", "openai", delay=20)  # lower case: the match ignores case
    results = visit.page.locator("#search-results a")
    results.filter(has_text=re.compile("^OpenAI$")).first.wait_for(timeout=5000)
    assert "OpenAI" in results.all_inner_texts()
    assert all("openai" in text.lower() for text in results.all_inner_texts())
    visit.page.screenshot(path=str(shots / "search.png"), full_page=True)
    visit.page.fill("#search", "no label has this")
    visit.page.locator("#search-status", has_text="Nothing found.").wait_for(timeout=5000)
    assert results.count() == 0
    visit.page.fill("#search", "openai")
    results.filter(has_text=re.compile("^OpenAI$")).first.click()
    visit.page.wait_for_load_state()
    assert visit.page.locator("h1").inner_text() == "OpenAI"
    assert visit.problems == []


def test_the_timeline_page_links_its_events(browser, server, shots):
    visit = Visit(browser, server + "/timeline.html")
    assert visit.page.locator("table.timeline tbody tr").count() == 9
    visit.page.screenshot(path=str(shots / "timeline.png"), full_page=True)
    assert assert_links_work(server, visit.links()) > 10
    assert visit.problems == []
