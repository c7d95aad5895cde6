"""A phone in the hall fetches no Markdown-with-HTML renderer (issue 14, first paint on /join).

Streamlit loads rehype-raw, hastscript and web-namespaces (~63 KB gzipped, on the hall's shared
wifi) only for ``st.markdown(..., unsafe_allow_html=True)``; the pages draw their markup with
``st.html`` instead (tests/test_no_markdown_html.py keeps new calls out). Here a participant's
phone, at 360 px, goes the way the workshop sends it: the join QR's address, its name, the
lesson, the simulated phone, the portal, and not one of those bundles is requested."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.journeys import after_rerun, close_page_not_found, follow_link, main
from tests.browser.util import PHONE, app_sandbox, screenshot, wait_for_app
from workbench.learning.workshops import hall

MARKDOWN_HTML_BUNDLES = re.compile(r"/(rehype-raw|hastscript|web-namespaces)\.[^/]*\.js")


def test_a_phone_joins_learns_and_opens_the_portal_without_the_markdown_html_bundles(app_url, app_data_dir,
                                                                                       new_page):
    with app_sandbox(app_data_dir) as db:
        workshop = hall.create(db, name="Tối thứ Năm — VNeID", place="Nhà văn hóa thôn 2", date="2026-11-26",
                               lessons_planned=["vneid_activation"])
    page = new_page(PHONE)
    fetched = []
    page.context.on("request", lambda request: fetched.append(request.url))

    page.goto(f"{app_url}/join?code={workshop['join_code']}")  # the address in the join QR
    wait_for_app(page)
    close_page_not_found(page)
    page.get_by_role("textbox", name="Tên của bạn").fill("Bà Lan")
    page.get_by_role("button", name="Vào buổi tập").click()
    page.wait_for_url(re.compile(r".*/lessons\?.*lesson=vneid_activation"))
    wait_for_app(page)
    expect(main(page)).to_contain_text("Bước 1/6")
    resume = page.locator(".cds-resume-link a")  # a link a person can tap, "&" and all
    expect(resume).to_have_attribute("href", re.compile(r"/lessons\?p=[^&]+&lesson=vneid_activation$"))
    axe.check(page, "a participant's lesson, joined")

    after_rerun(page, page.get_by_role("link", name="Mở trang để làm bước này").click)  # the simulated phone
    expect(page.locator(".cds-lesson-strip")).to_contain_text("Bài 2 · Bước 1/6")
    expect(page.get_by_test_id("persona-id-card")).to_be_visible()
    page.evaluate("() => { window.scrollTo(0, 0); document.querySelector('[data-testid=stMain]').scrollTo(0, 0); }")
    page.wait_for_timeout(200)
    banner = page.locator(".cds-sandbox-banner").bounding_box()
    header = page.locator("[data-testid='stHeader']").bounding_box()
    assert banner["y"] >= header["y"] + header["height"], "the SANDBOX banner must not slide under the header"
    screenshot(page, "no-markdown-html-phone")
    axe.check(page, "the simulated phone, in a lesson")

    follow_link(page, "portal")
    expect(page.locator(".cds-sandbox-banner")).to_be_visible()
    axe.check(page, "the portal's start page")

    bundles = sorted({url.rsplit("/", 1)[-1] for url in fetched if MARKDOWN_HTML_BUNDLES.search(url)})
    assert any("/static/js/" in url for url in fetched), "the journey must have loaded Streamlit's bundles"
    assert bundles == [], f"a page used st.markdown(..., unsafe_allow_html=True): the phone fetched {bundles}"
