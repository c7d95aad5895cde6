"""An official opens the tracker dashboard on a phone, signs in, reads where the commune stands,
and sees the figure change once a volunteer's work is saved (issue 8)."""

from playwright.sync_api import expect

from tests.browser.journeys import tracker_sign_in
from tests.browser.util import LAPTOP, PHONE, app_tracker, metric_value, screenshot, wait_for_app
from workbench.tracker import charts

USERNAME, SECRET = "dash.official", "dashboard-secret"
FIVE = ("vneid2", "dvc", "health_book", "bank", "wallet")


def an_official(db) -> None:
    """Our own official, whether or not another journey set up the first one."""
    from workbench.tracker import auth

    if db.execute("select 1 from users where username = ?", [USERNAME]).fetchone():
        return
    if auth.needs_setup(db):
        auth.create_first_official(db, username=USERNAME, display_name="Chị Hoa", secret=SECRET)
        return
    first = db.execute("select id from users where role = 'official' and active = 1 order by id").fetchone()[0]
    auth.create_user(db, auth.session_user(db, first), username=USERNAME, display_name="Chị Hoa",
                     role="official", secret=SECRET)


def sign_in(page, url):
    tracker_sign_in(page, USERNAME, SECRET, url)
    page.get_by_text("Công dân số").first.wait_for()


def expect_digital_shown(page, count: int) -> None:
    expect(metric_value(page, "Công dân số")).to_have_text(charts.number(count, "vi"))


def test_an_official_sees_the_dashboard_change_after_a_save(app_url, app_data_dir, new_page):
    from workbench.tracker import citizens, dashboard, realtime

    with app_tracker(app_data_dir) as db:
        an_official(db)
        before = dashboard.headline(db, dashboard.Filters())["digital"]
        waiting = db.execute("select id from citizens where digital_date is null order by id limit 1").fetchone()[0]

    page = new_page(PHONE)
    sign_in(page, app_url + "/tracker")
    expect_digital_shown(page, before)
    page.locator("[data-testid='stVegaLiteChart']").nth(5).wait_for()
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 6
    assert page.locator(".cds-sandbox-banner").count() == 0  # real data: never the sandbox banner
    width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= PHONE["width"] + 1, "nothing wider than the phone"
    screenshot(page, "tracker-dashboard-phone")

    with app_tracker(app_data_dir) as db:  # a volunteer's save, through the domain
        for milestone in FIVE:
            citizens.record_milestone(db, waiting, milestone, realtime.today(), helped_by="Tổ CNS", actor="tnv")

    sign_in(page, app_url + "/tracker")  # a new visit: a new session
    expect_digital_shown(page, before + 1)
    page.set_viewport_size(LAPTOP)
    wait_for_app(page)
    screenshot(page, "tracker-dashboard-laptop")
