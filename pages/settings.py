"""Settings: language, where the data lives, the LAN address, how fresh the content is (issue 13),
clearing the sandbox, and (for officials) backing up and restoring tracker.db."""

import streamlit as st

from pages._ui import freshness, plain, safety_copies
from pages._ui.frame import page_setup, show_refusal, store_guard, t
from pages._ui.tracker_session import require_tracker_user
from workbench import databases, keys, network, store
from workbench.province import setup as province_setup
from workbench.tracker import backup as tracker_backup
from workbench.tracker.errors import TrackerError

lang = page_setup()
st.title(t("settings.title"))

st.subheader(t("settings.data_title"))
st.write(t("settings.data_folder", path=plain.md(store.data_dir())))
st.caption(t("settings.data_hint"))

st.subheader(t("settings.lan_title"))
addresses = network.lan_addresses()
if addresses:
    for address in addresses:
        # the port phones use (Caddy's, from scripts/serve.py), not 8501 whatever make run served on
        st.text(f"http://{address}:{network.public_port()}")  # text: no Markdown link, no highlighter
else:
    st.warning(t("common.home.join_no_lan"))

st.subheader(t("freshness.title"))
freshness.show(lang)

if not province_setup.is_province():  # the words a commune official reads to the province (issue 16)
    st.subheader(t("province.settings.title"))
    st.write(t("province.settings.body"))
    with store_guard():
        words = keys.fingerprint_words(keys.public_key_b64())
    st.markdown("  \n".join(f"{n}. **{word}**" for n, word in enumerate(words, 1)))

st.subheader(t("settings.sandbox_title"))
st.write(t("settings.sandbox_body"))
confirm = st.checkbox(t("settings.sandbox_confirm"), key="confirm_sandbox_reset")
if st.button(t("settings.sandbox_reset"), disabled=not confirm, type="primary"):
    with store_guard():
        store.reset_sandbox()
        databases.sandbox()
    st.success(t("settings.sandbox_done"))

# --- tracker.db: backup and restore, officials only (issue 8) ----------------------------------
# Last on the page: require_tracker_user() draws the sign-in form and stops when nobody allowed
# is signed in, and nothing of the tracker is shown before it returns.
st.divider()
st.subheader(t("tracker.backup.title"))
st.write(t("tracker.backup.body"))
tracker_store, tracker_user = require_tracker_user("admin")
if st.button(t("tracker.backup.prepare"), key="tracker_backup_prepare", width="stretch"):
    with store_guard():
        st.session_state["tracker_backup"] = (tracker_backup.backup_filename(),
                                              tracker_backup.backup_bytes(tracker_store, tracker_user["username"]))
if "tracker_backup" in st.session_state:
    name, payload = st.session_state["tracker_backup"]
    st.download_button(t("tracker.backup.download", name=name), payload, file_name=name,
                       mime="application/vnd.sqlite3", key="tracker_backup_download", width="stretch")
st.markdown(f"**{t('tracker.backup.restore_title')}**")
st.caption(t("tracker.backup.restore_body"))
restore_file = st.file_uploader(t("tracker.backup.restore_file"), type=["db", "sqlite", "sqlite3"],
                                key="tracker_restore_file")
restore_sure = st.checkbox(t("tracker.backup.restore_confirm"), key="tracker_restore_sure")
copies = None  # after a restore: the copies it listed; else read from the backups folder
if st.button(t("tracker.backup.restore"), key="tracker_restore", type="primary",
             disabled=restore_file is None or not restore_sure):
    try:
        with store_guard():
            restored = tracker_backup.restore_bytes(tracker_store, restore_file.getvalue(), tracker_user["username"])
    except TrackerError as error:
        show_refusal(error, as_text=True)
    else:
        st.success(t("tracker.backup.restored", citizens=restored["citizens"], safety=plain.md(restored["safety"])),
                   icon=":material/check_circle:")
        copies = restored["copies"]
safety_copies.show(copies)  # every copy taken before a restore, newest first, with its count
