"""tracker_admin: placeholder until its issue lands; signed-in users only."""

import streamlit as st

from pages._frame import page_setup, placeholder, t
from pages._tracker_session import require_tracker_user

page_setup(sandbox=False)
st.title(t("common.nav.tracker_admin"))
db, user = require_tracker_user("admin")
placeholder("common.nav.tracker_admin")
