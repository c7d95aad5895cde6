"""A volunteer, door to door with a 360-px phone, adds a citizen and ticks their milestones; the
commune official, on the office PC, sees the register change (issue 8)."""

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import tracker_sign_in
from tests.browser.util import LAPTOP, PHONE, app_tracker, metric_value, screenshot, wait_for_app
from workbench.tracker import charts

NAME = "Y Khăm Byă"


@pytest.fixture
def accounts(app_data_dir):
    """An official and a volunteer for the first village, whatever other journeys created before."""
    from workbench.tracker import auth, dashboard, places

    with app_tracker(app_data_dir) as db:
        if auth.needs_setup(db):
            auth.create_first_official(db, username="bt.canbo", display_name="Cán bộ", secret="matkhau-123")
        existing = {u["username"] for u in auth.users(db)}
        official = next(u for u in auth.users(db) if u["role"] == "official" and u["active"])
        village = places.villages(db)[0]
        if "bt.canbo" not in existing:
            auth.create_user(db, official, username="bt.canbo", display_name="Cán bộ", role="official",
                             secret="matkhau-123")
        if "bt.tnv" not in existing:
            auth.create_user(db, official, username="bt.tnv", display_name="Tình nguyện viên Hà",
                             role="volunteer", secret="246810", village_ids=[village["id"]])
        before = dashboard.headline(db, dashboard.Filters())["digital"]
    return {"village": village["name"], "digital_before": before}


def type_into(page, label, text):
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Tab")
    wait_for_app(page)


def digital_citizens(page):
    """The dashboard's headline figure, as the official reads it ("1.234" in Vietnamese)."""
    return metric_value(page, "Công dân số")


def open_from_sidebar(page, path):
    page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").click()
    wait_for_app(page)


def test_a_volunteer_adds_a_citizen_on_a_phone_and_the_official_sees_it(app_url, new_page, accounts, app_data_dir):
    office = new_page(LAPTOP)
    office.goto(app_url)
    wait_for_app(office)
    office.goto(app_url + "/tracker")
    tracker_sign_in(office, "bt.canbo", "matkhau-123")
    before = accounts["digital_before"]
    expect(digital_citizens(office)).to_have_text(charts.number(before, "vi"))

    phone = new_page(PHONE)
    # The very first session of a fresh server can ask for a page before app.py has registered
    # them ("Page not found"): open the home page first, as a volunteer would anyway.
    phone.goto(app_url)
    wait_for_app(phone)
    phone.goto(app_url + "/tracker-entry")
    tracker_sign_in(phone, "bt.tnv", "246810")
    type_into(phone, "Tìm theo họ tên", "y kham bya")
    phone.get_by_text("Chưa có ai tên").wait_for()  # waits while Streamlit reruns
    phone.get_by_role("button", name="Thêm người mới").click()
    wait_for_app(phone)
    type_into(phone, "Họ và tên", NAME)
    type_into(phone, "Năm sinh", "1988")
    phone.get_by_text("Nam", exact=True).click()
    wait_for_app(phone)
    type_into(phone, "Dân tộc", "Ê Đê")
    phone.get_by_text("Người dân đã đồng ý cho xã lưu thông tin này").click()
    wait_for_app(phone)
    screenshot(phone, "tracker-entry-new-person-phone")
    phone.get_by_role("button", name="Tiếp tục").click()
    wait_for_app(phone)
    for label in ("VNeID mức 2", "Tài khoản DVC", "Sổ sức khỏe điện tử", "Tài khoản ngân hàng",
                  "Thanh toán ví điện tử"):
        phone.get_by_text(label, exact=True).click()
        wait_for_app(phone)
    screenshot(phone, "tracker-entry-milestones-phone")
    save = phone.get_by_role("button", name="Lưu")
    box = save.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 44  # a big button, full width on the phone
    save.click()
    wait_for_app(phone)
    phone.get_by_text("Người này đã là công dân số!").wait_for()  # waits while Streamlit reruns
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    screenshot(phone, "tracker-entry-saved-phone")

    from workbench.tracker import dashboard

    with app_tracker(app_data_dir) as db:
        assert dashboard.headline(db, dashboard.Filters())["digital"] == accounts["digital_before"] + 1

    open_from_sidebar(office, "tracker-admin")  # same session: still signed in
    office.get_by_role("tab", name="Dữ liệu một người").click()
    type_into(office, "Tìm theo họ tên", "y kham bya")
    office.get_by_text(NAME).first.wait_for()  # waits while Streamlit reruns
    office.get_by_text("Thanh toán ví điện tử:").first.wait_for()  # and the milestones ticked
    open_from_sidebar(office, "tracker")
    expect(digital_citizens(office)).to_have_text(charts.number(before + 1, "vi"))  # the dashboard changed
    screenshot(office, "tracker-dashboard-after-entry-laptop")
