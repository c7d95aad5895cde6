"""Importing the communes' weekly packages at the province (issue 16): upload the files, see
what was refused and why, and confirm a new commune after hearing its fingerprint words."""

import streamlit as st

from pages._ui import plain
from pages._ui.frame import page_setup, t
from pages._ui.tracker_session import require_province_user
from workbench import weekly_package
from workbench.province import imports

MAX_FILES = 200  # a province's communes in one go; a bigger folder goes in parts (or by the CLI)

lang = page_setup(sandbox=False)
st.title(t("province.import.title"))
db, user = require_province_user("import")
st.write(t("province.import.body"))

with st.form("province_import", clear_on_submit=True):
    files = st.file_uploader(t("province.import.files"), type=["json"], accept_multiple_files=True,
                             key="province_files", max_upload_size=weekly_package.MAX_BYTES // 2**20)
    submitted = st.form_submit_button(t("province.import.submit"), type="primary", icon=":material/move_to_inbox:")
if submitted and files:
    if len(files) > MAX_FILES:
        st.error(t("province.import.too_many", limit=MAX_FILES), icon=":material/error:")
    else:
        picked = [(f.name, f.getvalue() if f.size <= weekly_package.MAX_BYTES else
                   weekly_package.PackageRefused("province.refused.too_big", size_mb=round(f.size / 2**20, 1),
                                                 limit_mb=round(weekly_package.MAX_BYTES / 2**20, 1)))
                  for f in files]
        st.session_state["province_import_report"] = imports.import_packages(
            db, picked, actor=user["username"], lang=lang)

done = st.session_state.get("province_import_report")
if done:
    if done["imported"] or done["replaced"]:
        st.success(t("province.import.result", imported=done["imported"], replaced=done["replaced"]),
                   icon=":material/check_circle:")
    if done["held"]:
        st.info(t("province.import.held_count", held=len(done["held"])), icon=":material/phone_in_talk:")
    if done["refused"]:
        st.subheader(t("province.import.refused_title"))
        for refused in done["refused"]:
            st.error(f"{plain.md(refused['file'])}: {plain.md(refused['reason'])}", icon=":material/block:")

waiting = imports.held(db)
if waiting:
    st.subheader(t("province.import.held_title"))
    st.write(t("province.import.held_body"))
    for held in waiting:
        with st.container(border=True):
            st.markdown(t("province.import.held_line", commune=plain.md(held["name"]), code=plain.md(held["code"]),
                          week=held["week"]))
            st.markdown("  \n".join(f"{n}. **{word}**" for n, word in enumerate(held["fingerprint"].split(" · "), 1)))
            yes, no = st.columns(2)
            if yes.button(t("province.import.confirm"), key=f"confirm_{held['id']}", type="primary"):
                result = imports.confirm_held(db, held["id"], actor=user["username"], lang=lang)
                st.session_state["province_import_report"] = result
                st.toast(t("province.import.confirmed", commune=plain.md(held["name"]), imported=result["imported"]))
                st.rerun()
            if no.button(t("province.import.reject"), key=f"reject_{held['id']}"):
                imports.forget_held(db, held["id"])
                st.toast(t("province.import.rejected"))
                st.rerun()
