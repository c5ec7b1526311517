"""The session guide at its longest prints on one A4 sheet in headless Chromium.

`ASUH_SCREENSHOTS=docs pytest tests/test_browser_guide.py` also writes docs/guide.png.
"""

import re

import pytest

from tests.content_catalog import FULL_GUIDE, cat, shipped_as
from tests.test_browser import sign_in
from tests.test_browser_screenshots import keep

__all__ = ["cat", "shipped_as"]
pytestmark = pytest.mark.browser


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF as Chromium writes it: one /Type /Page object per page."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_longest_session_guide_prints_on_one_a4_page(
    live_server, chromium, make_account, cat, shipped_as, tmp_path
):
    for language in ("id", "en"):
        cat.lesson("facilitator", "fs05", language)["guide"] = FULL_GUIDE
    shipped_as(cat.write())
    make_account("ana")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server)

    page.goto(f"{live_server}/admin/content/lessons/fs05/guide?language=en")
    assert page.locator("ol li").count() == 8
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / "guide.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1

    page.emulate_media(media="print")
    assert page.locator("nav.no-print").is_hidden()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=tmp_path / "guide.png", full_page=True)
    keep(tmp_path / "guide.png", "guide.png")
    context.close()
    assert (tmp_path / "guide.png").stat().st_size > 20_000


def test_a_guide_twice_as_long_would_need_a_second_page(
    live_server, chromium, make_account, cat, shipped_as
):
    """The page count is measured, not assumed: an over-long guide does spill over."""
    doubled = FULL_GUIDE | {"steps": [s + " " + s for s in FULL_GUIDE["steps"]]}
    cat.lesson("facilitator", "fs05", "en")["guide"] = doubled
    shipped_as(cat.write())
    make_account("ana")
    context = chromium.new_context()
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}/admin/content/lessons/fs05/guide?language=en")
    assert pdf_pages(page.pdf(format="A4", print_background=True)) >= 2
    context.close()
