"""Settings: language, where the data lives, the LAN address, and clearing the sandbox."""

import streamlit as st

from pages._frame import page_setup, store_guard, t
from workbench import network, store

page_setup()
st.title(t("settings.title"))

st.subheader(t("settings.data_title"))
st.write(t("settings.data_folder", path=str(store.data_dir())))
st.caption(t("settings.data_hint"))

st.subheader(t("settings.lan_title"))
addresses = network.lan_addresses()
if addresses:
    for address in addresses:
        st.code(f"http://{address}:{network.DEFAULT_PORT}", language=None)
else:
    st.warning(t("common.home.join_no_lan"))

st.subheader(t("settings.sandbox_title"))
st.write(t("settings.sandbox_body"))
confirm = st.checkbox(t("settings.sandbox_confirm"), key="confirm_sandbox_reset")
if st.button(t("settings.sandbox_reset"), disabled=not confirm, type="primary"):
    with store_guard():
        store.reset_sandbox()
        store.sandbox()
    st.success(t("settings.sandbox_done"))
