"""tracker_admin: placeholder until its issue lands."""

import streamlit as st

from pages._frame import page_setup, placeholder, t

page_setup(sandbox=False)
st.title(t("common.nav.tracker_admin"))
placeholder("common.nav.tracker_admin")
