"""Công dân số Workbench: navigation and nothing else. Each page is a thin script in pages/,
listed once in pages/_ui/nav.py."""

import os

import streamlit as st

from pages._ui import nav
from pages._ui.frame import current_lang
from workbench import i18n, network
from workbench.province import setup as province_setup

# The port phones use (issue 14). scripts/serve.py sets it (Caddy's, in front of Streamlit);
# a bare `streamlit run app.py --server.port N` serves phones on N itself.
os.environ.setdefault(network.PUBLIC_PORT_ENV, str(st.get_option("server.port")))

# An emoji icon is drawn by the browser; a ":material/…" one is fetched from fonts.gstatic.com
# (in a hall without internet, a failed request on every page a phone opens).
st.set_page_config(page_title="Công dân số Workbench", page_icon="🏛️", layout="wide",
                   initial_sidebar_state="auto")

lang = current_lang()


def page(entry: nav.Page) -> st.Page:
    return st.Page(entry.file, title=i18n.t(f"common.nav.{entry.key}", lang), icon=entry.icon,
                   url_path=entry.url_path, default=entry.url_path == nav.DEFAULT)


navigation = st.navigation(
    {i18n.t(f"common.nav.{group}", lang): [page(entry) for entry in entries] for group, entries in nav.groups(province_setup.is_province()).items()},
    expanded=True,
)
navigation.run()
