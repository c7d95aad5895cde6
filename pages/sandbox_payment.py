"""sandbox_payment: placeholder until its issue lands."""

import streamlit as st

from pages._frame import page_setup, placeholder, t

page_setup(sandbox=True)
st.title(t("common.nav.sandbox_payment"))
placeholder("common.nav.sandbox_payment")
