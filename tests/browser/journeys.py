"""Shared steps for browser journeys that need a persona or a portal log-in (issue 3).

Other areas' journeys start from here::

    persona_id = new_persona(app_data_dir, "ready")
    portal_login(page, app_url, persona_id)   # now logged in to the portal in this browser

``portal_login`` drives the real screens: the persona page (which selects the persona in
this browser session), the portal's "log in with VNeID", the VNeID app on the simulated
phone (passcode, confirm the request), and back to the portal. Navigation stays inside the
app (links and buttons, never ``page.goto``) so the browser's Streamlit session — and with
it ``st.session_state["portal_login"]`` — is kept.
"""

from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import axe
from tests.browser.util import app_sandbox, wait_for_app
from workbench.sandbox import scenarios


def new_persona(app_data_dir, state: str = "fresh") -> str:
    """Create a persona in ``state`` (one of ``scenarios.STATES``) in the running app's sandbox."""
    with app_sandbox(app_data_dir) as db:
        return scenarios.create(db, state)["id"]


WATCH_RUN = """() => {
  window.__cdsRan = false;
  const app = document.querySelector("[data-testid='stApp']");
  const seen = (m) => [m.oldValue, app.getAttribute("data-test-script-state")].includes("running");
  new MutationObserver((ms) => { if (ms.some(seen)) window.__cdsRan = true; })
    .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"], attributeOldValue: true});
}"""


def after_rerun(page, action) -> None:
    """Do ``action`` (a click) and return once the rerun it caused has finished.

    ``wait_for_app`` alone can return before Streamlit even starts the rerun; watching the
    script state flip to "running" closes that gap."""
    wait_for_app(page)
    page.evaluate(WATCH_RUN)
    action()
    try:
        page.wait_for_function("window.__cdsRan === true", timeout=10_000)
    except PlaywrightTimeout:
        pass  # the click caused no rerun (nothing changed); carry on
    wait_for_app(page)


def click(page, key: str) -> None:
    """Click the button (or form submit button) made with ``key=…`` and wait for its rerun."""
    button = page.locator(f".st-key-{key} button").first
    button.wait_for()
    after_rerun(page, button.click)


def follow_link(page, target: str) -> None:
    """Click an in-page link (``st.page_link``) to the page whose URL ends with ``target``."""
    link = page.locator(f"[data-testid='stPageLink'] a[href$='{target}']").first
    link.wait_for()
    after_rerun(page, link.click)


def fill(page, key: str, value: str) -> None:
    page.locator(f".st-key-{key} input").first.fill(value)


def close_page_not_found(page) -> None:
    """A fresh ``streamlit run`` answers the very first deep link with a "Page not found" dialog
    (its pages are registered only once app.py has run) while still showing the page: close it."""
    dialog = page.locator("[role='dialog']")
    if dialog.count() and dialog.first.is_visible():
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="hidden")


def open_persona(page, app_url: str, persona_id: str) -> str:
    """Open the persona page as ``persona_id`` (selecting it in this browser); return its CCCD."""
    page.goto(f"{app_url}/personas?p={persona_id}")
    wait_for_app(page)
    close_page_not_found(page)
    page.locator(".st-key-persona_change").wait_for()
    axe.check(page, "the persona page")
    text = page.locator("[data-testid='stMain']").inner_text()
    return re.search(r"(?:CCCD|định danh cá nhân)[^:\n]*:\s*(\d{12})", text).group(1)


def portal_login(page, app_url: str, persona_id: str) -> None:
    """Log ``persona_id`` (a fully set-up, level-2 persona) in to the portal with VNeID.

    Returns once the portal shows the logged-in home; the page is then on the portal page.
    """
    cccd = open_persona(page, app_url, persona_id)
    follow_link(page, "portal")
    log_in_on_portal_page(page, cccd)


CODE_SMS = re.compile(r"(?:Ma OTP cua ban la|Ma xac thuc[^0-9]*) (\d{6})")


def sms_code(page, not_code: str | None = None) -> str:
    """The 6-digit code in the newest unread SMS, read off the phone's notification banner
    (waiting for one that carries a code, and a different one than ``not_code``)."""
    banner = page.locator(".cds-notify", has_text=CODE_SMS).first
    banner.wait_for()
    code = CODE_SMS.search(banner.inner_text()).group(1)
    if not_code and code == not_code:
        page.locator(".cds-notify", has_text=CODE_SMS).filter(has_not_text=not_code).first.wait_for()
        return sms_code(page, not_code)
    return code


def main(page):
    """The page's main area, for ``expect(main(page)).to_contain_text(…)`` (which waits for reruns)."""
    return page.locator("[data-testid='stMain']")


def log_in_on_portal_page(page, cccd: str) -> None:
    """From the portal's start screen: log in with VNeID and confirm on the simulated phone."""
    click(page, "portal_go_login")
    click(page, "portal_choose_vneid")
    send_vneid_login(page, cccd)
    confirm_vneid_login(page)


def send_vneid_login(page, cccd: str) -> None:
    """On the portal's VNeID log-in form: the ID number and the VNeID password, sent."""
    fill(page, "portal_vneid_cccd", cccd)
    fill(page, "portal_vneid_password", scenarios.credentials()["vneid_password"])
    click(page, "portal_vneid_form_submit")


def confirm_vneid_login(page) -> None:
    """The portal asked VNeID: open the app on the simulated phone, unlock it if it asks, confirm
    the request with the passcode, and come back to the portal, logged in."""
    passcode = scenarios.credentials()["passcode"]
    click(page, "portal_open_vneid")  # to the simulated phone, VNeID app
    unlock = page.locator(".st-key-vneid_unlock_pc input")
    request_form = page.locator("[class*='st-key-vneid_request_pass_'] input").first
    unlock.or_(request_form).wait_for()
    if unlock.count():
        unlock.fill(passcode)
        click(page, "vneid_unlock_form_submit")
    request_form.wait_for()
    axe.check(page, "VNeID's log-in request on the phone")
    request_form.fill(passcode)
    after_rerun(page, page.locator("[class*='st-key-vneid_request_form_'][class*='_submit'] button").first.click)
    click(page, "vneid_back_portal")
    page.locator(".st-key-portal_logout").wait_for()
    axe.check(page, "the portal, logged in")


def press(page, name: str, then: str | None = None) -> None:
    """Press the button named ``name``; with ``then``, wait until that text shows."""
    page.get_by_role("button", name=name, exact=True).first.click()
    wait_for_app(page)
    if then:
        page.get_by_text(then, exact=False).first.wait_for()
        wait_for_app(page)


def fill_mother_page(page, name: str, residence: str) -> None:
    """The birth form's page about the mother, as the real Tờ khai đăng ký khai sinh asks it."""
    for label, value in (("Họ, chữ đệm và tên người mẹ", name), ("Ngày, tháng, năm sinh của mẹ", "01/02/1998"),
                         ("Dân tộc của mẹ", "Kinh"), ("Quốc tịch của mẹ", "Việt Nam"),
                         ("Số định danh cá nhân của mẹ", "000198001234"), ("Nơi cư trú của mẹ", residence)):
        page.get_by_role("textbox", name=label).fill(value)


def desk_receives(desk, app_url: str, code: str) -> None:
    """The commune's desk, in its own browser, finds the dossier by its code and receives it."""
    desk.goto(f"{app_url}/desk")
    wait_for_app(desk)
    close_page_not_found(desk)
    desk.get_by_role("textbox", name="Tìm theo mã hồ sơ").fill(code)
    desk.get_by_role("textbox", name="Tìm theo mã hồ sơ").press("Enter")
    wait_for_app(desk)
    press(desk, "Mở hồ sơ", then="Tiếp nhận hồ sơ")


def tracker_sign_in(page, username: str, secret: str, url: str | None = None) -> None:
    """Sign in on a tracker page's form; opening ``url`` first (a first visit to a page's address
    may show Streamlit's "page not found", closed with Escape)."""
    if url:
        page.goto(url)
        wait_for_app(page)
        page.keyboard.press("Escape")
    wait_for_app(page)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu hoặc mã PIN").fill(secret)
    page.get_by_role("button", name="Đăng nhập").click()
    wait_for_app(page)
