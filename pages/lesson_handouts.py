"""lesson_handouts: placeholder until its issue lands."""

import streamlit as st

from pages._frame import page_setup, placeholder, t

page_setup(sandbox=False)
st.title(t("common.nav.lesson_handouts"))
placeholder("common.nav.lesson_handouts")
