"""tracker_entry: placeholder until its issue lands; signed-in users only."""

import streamlit as st

from pages._frame import page_setup, placeholder, t
from pages._tracker_session import require_tracker_user

page_setup(sandbox=False)
st.title(t("common.nav.tracker_entry"))
db, user = require_tracker_user("enter")
placeholder("common.nav.tracker_entry")
