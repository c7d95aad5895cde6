"""Every page of the app: its file, its URL path, its title and icon, in the sidebar's groups.

The one table of where a page's file lives. ``app.py`` builds the navigation from it; a lesson
step names its page by URL path (``page = "pay"``, docs/lessons.md) and ``file_for`` turns that
into the file ``st.page_link`` wants. URL paths never change: people keep links to them.
"""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    file: str
    key: str  # the title is common.nav.<key> in the locales
    icon: str
    url_path: str


DEFAULT = "home"

# Sidebar group (common.nav.<group>) -> its pages, in order.
GROUPS = {
    "group_home": [
        Page("pages/home.py", "home", ":material/home:", "home"),
    ],
    "group_sandbox": [
        Page("pages/sandbox/personas.py", "sandbox_personas", ":material/group:", "personas"),
        Page("pages/sandbox/phone.py", "sandbox_phone", ":material/smartphone:", "phone"),
        Page("pages/sandbox/police.py", "sandbox_police", ":material/local_police:", "police"),
        Page("pages/sandbox/vneid_web.py", "sandbox_vneid_web", ":material/language:", "vneid-web"),
        Page("pages/sandbox/portal_account.py", "sandbox_portal_account", ":material/account_circle:", "portal"),
        Page("pages/sandbox/services.py", "sandbox_services", ":material/edit_document:", "services"),
        Page("pages/sandbox/dossiers.py", "sandbox_dossiers", ":material/folder_open:", "dossiers"),
        Page("pages/sandbox/payment.py", "sandbox_payment", ":material/credit_card:", "payment"),
        Page("pages/sandbox/wallet.py", "sandbox_wallet", ":material/account_balance_wallet:", "wallet"),
        Page("pages/sandbox/pay.py", "sandbox_pay", ":material/qr_code_scanner:", "pay"),
        Page("pages/sandbox/desk.py", "sandbox_desk", ":material/account_balance:", "desk"),
        Page("pages/sandbox/desk_qr.py", "sandbox_desk_qr", ":material/qr_code_2:", "desk-qr"),
        Page("pages/sandbox/fees.py", "sandbox_fees", ":material/payments:", "fees"),
    ],
    "group_lessons": [
        Page("pages/learning/lessons.py", "lessons", ":material/school:", "lessons"),
        Page("pages/learning/handouts.py", "lesson_handouts", ":material/print:", "handouts"),
    ],
    "group_workshop": [
        Page("pages/learning/workshop_trainer.py", "workshop_trainer", ":material/co_present:", "workshop"),
        Page("pages/learning/workshop_join.py", "workshop_join", ":material/login:", "join"),
        Page("pages/learning/workshop_report.py", "workshop_report", ":material/bar_chart:", "workshop-report"),
    ],
    "group_tracker": [
        Page("pages/tracker/dashboard.py", "tracker_dashboard", ":material/monitoring:", "tracker"),
        Page("pages/tracker/entry.py", "tracker_entry", ":material/person_add:", "tracker-entry"),
        Page("pages/tracker/importer.py", "tracker_import", ":material/upload_file:", "tracker-import"),
        Page("pages/tracker/reports.py", "tracker_reports", ":material/description:", "tracker-reports"),
        Page("pages/tracker/admin.py", "tracker_admin", ":material/admin_panel_settings:", "tracker-admin"),
    ],
    # issue 16: shown instead of the tracker when the data folder is set up as a province
    "group_province": [
        Page("pages/province/dashboard.py", "province_dashboard", ":material/map:", "province"),
        Page("pages/province/imports.py", "province_import", ":material/move_to_inbox:", "province-import"),
    ],
    "group_settings": [
        Page("pages/settings.py", "settings", ":material/settings:", "settings"),
    ],
}

PAGES = [page for pages in GROUPS.values() for page in pages]
URL_PATHS = [page.url_path for page in PAGES]
_FILES = {page.url_path: page.file for page in PAGES}


def groups(province: bool) -> dict[str, list[Page]]:
    """The sidebar of a commune (its tracker) or of a province (the communes' reports), issue 16."""
    hidden = "group_tracker" if province else "group_province"
    return {group: pages for group, pages in GROUPS.items() if group != hidden}


def file_for(url_path: str) -> str:
    """The file of the page at ``url_path`` ("pay" -> its script), for ``st.page_link``.

    A KeyError here is a lesson naming a page the app does not have: the lesson validator and
    tests/pages/test_lessons_pages.py catch that before anyone sees it."""
    return _FILES[url_path]
