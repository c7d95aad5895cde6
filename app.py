"""Công dân số Workbench: navigation and nothing else. Each page is a thin script in pages/."""

import streamlit as st

from pages._ui.frame import current_lang
from workbench import i18n

st.set_page_config(page_title="Công dân số Workbench", page_icon=":material/how_to_reg:", layout="wide",
                   initial_sidebar_state="auto")

lang = current_lang()


def page(path: str, key: str, icon: str, url_path: str, default: bool = False) -> st.Page:
    return st.Page(path, title=i18n.t(f"common.nav.{key}", lang), icon=icon, url_path=url_path, default=default)


navigation = st.navigation(
    {
        i18n.t("common.nav.group_home", lang): [
            page("pages/home.py", "home", ":material/home:", "home", default=True),
        ],
        i18n.t("common.nav.group_sandbox", lang): [
            page("pages/sandbox/personas.py", "sandbox_personas", ":material/group:", "personas"),
            page("pages/sandbox/phone.py", "sandbox_phone", ":material/smartphone:", "phone"),
            page("pages/sandbox/police.py", "sandbox_police", ":material/local_police:", "police"),
            page("pages/sandbox/vneid_web.py", "sandbox_vneid_web", ":material/language:", "vneid-web"),
            page("pages/sandbox/portal_account.py", "sandbox_portal_account", ":material/account_circle:", "portal"),
            page("pages/sandbox/services.py", "sandbox_services", ":material/edit_document:", "services"),
            page("pages/sandbox/dossiers.py", "sandbox_dossiers", ":material/folder_open:", "dossiers"),
            page("pages/sandbox/payment.py", "sandbox_payment", ":material/credit_card:", "payment"),
            page("pages/sandbox/wallet.py", "sandbox_wallet", ":material/account_balance_wallet:", "wallet"),
            page("pages/sandbox/pay.py", "sandbox_pay", ":material/qr_code_scanner:", "pay"),
            page("pages/sandbox/desk.py", "sandbox_desk", ":material/account_balance:", "desk"),
            page("pages/sandbox/desk_qr.py", "sandbox_desk_qr", ":material/qr_code_2:", "desk-qr"),
            page("pages/sandbox/fees.py", "sandbox_fees", ":material/payments:", "fees"),
        ],
        i18n.t("common.nav.group_lessons", lang): [
            page("pages/learning/lessons.py", "lessons", ":material/school:", "lessons"),
            page("pages/learning/handouts.py", "lesson_handouts", ":material/print:", "handouts"),
        ],
        i18n.t("common.nav.group_workshop", lang): [
            page("pages/learning/workshop_trainer.py", "workshop_trainer", ":material/co_present:", "workshop"),
            page("pages/learning/workshop_join.py", "workshop_join", ":material/login:", "join"),
            page("pages/learning/workshop_report.py", "workshop_report", ":material/bar_chart:", "workshop-report"),
        ],
        i18n.t("common.nav.group_tracker", lang): [
            page("pages/tracker/dashboard.py", "tracker_dashboard", ":material/monitoring:", "tracker"),
            page("pages/tracker/entry.py", "tracker_entry", ":material/person_add:", "tracker-entry"),
            page("pages/tracker/importer.py", "tracker_import", ":material/upload_file:", "tracker-import"),
            page("pages/tracker/reports.py", "tracker_reports", ":material/description:", "tracker-reports"),
            page("pages/tracker/admin.py", "tracker_admin", ":material/admin_panel_settings:", "tracker-admin"),
        ],
        i18n.t("common.nav.group_settings", lang): [
            page("pages/settings.py", "settings", ":material/settings:", "settings"),
        ],
    },
    expanded=True,
)
navigation.run()
