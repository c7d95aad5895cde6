"""Import the sheets volunteers keep (CSV or XLSX): dry run first, then commit (issue 8).

The dry run (``importer.plan``) writes nothing and lists what would be created, updated
and ignored, and every bad row with its row number, column and message. "Import" is offered
only after a dry run of the very same file, and plans it again before writing, so what is
written is checked against the database as it is at that moment. Any failure, expected or not,
is a message on the page and never a stack trace (issue 15); an unexpected one is logged for
the maintainer.
"""

import hashlib
import logging

import pandas as pd
import streamlit as st

from pages._ui.frame import page_setup, t
from pages._ui.tracker_session import require_tracker_user
from workbench.tracker import citizens, export, importer
from workbench.tracker.errors import TrackerError

lang = page_setup(sandbox=False)
st.title(t("common.nav.tracker_import"))
db, user = require_tracker_user("import")
allowed = user["village_ids"] if user["role"] == "volunteer" else None

st.write(t("tracker.import.page.intro"))
st.markdown(f"**{t('tracker.import.page.template_title')}**")
st.caption(t("tracker.import.page.template_body"))
left, right = st.columns(2)
left.download_button(t("tracker.import.page.template_xlsx"), importer.template_xlsx(lang),
                     file_name="mau-cong-dan-so.xlsx", width="stretch", key="import_template_xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
right.download_button(t("tracker.import.page.template_csv"), importer.template_csv(),
                      file_name="mau-cong-dan-so.csv", mime="text/csv", width="stretch",
                      key="import_template_csv")

upload = st.file_uploader(t("tracker.import.page.file_label"), type=["csv", "xlsx"], key="import_file",
                          help=t("tracker.import.page.file_help"))
mode = st.radio(t("tracker.import.page.mode_label"), ["all_or_nothing", "valid_only"], key="import_mode",
                format_func=lambda m: t(f"tracker.import.page.mode_{m}"))
st.text_input(t("tracker.field.consent_by"), key="import_consent_by", value=user["display_name"],
              help=t("tracker.import.page.consent_by_help"))
consent_ok = st.checkbox(t("tracker.import.page.consent_given"), key="import_consent_given")


SHOWN = 50
log = logging.getLogger(__name__)


def failure_message(error: Exception) -> str:
    """What the page says when an import fails: the refusal itself, or (a bug, logged with its
    stack trace on the server's console) that nothing was written."""
    if isinstance(error, TrackerError):
        return t(error.key, **error.params)
    log.exception("import of %s failed", upload.name)
    return t("tracker.import.error.unexpected")


def progress_bar(label_key: str, bar=None):
    bar = bar or st.progress(0.0, text=t(label_key, done=0, total=0))

    def update(done: int, total: int) -> None:
        fraction = min(1.0, done / total) if total else 0.5
        bar.progress(fraction, text=t(label_key, done=done, total=total))

    return bar, update


def show_report(counts: dict, issues: list, dry: bool) -> None:
    st.markdown(f"**{t('tracker.import.page.dry_title' if dry else 'tracker.import.page.done_title')}**")
    # One short line per figure: readable at 360 px, where four metrics would fill the screen.
    st.markdown("\n".join(f"- {t(f'tracker.import.page.{key}')}: **{counts[name]}**" for key, name in
                          (("created", "created"), ("updated", "updated"), ("ignored", "ignored"),
                           ("bad_rows", "errors"))))
    if issues:
        st.warning(t("tracker.import.page.errors_intro", count=len(issues)))
        # A list reads better than a wide table on a phone; every error is in the download.
        lines = [t("tracker.cli.error_line", **i.as_dict(lang)) for i in issues[:SHOWN]]
        st.markdown("\n".join(f"- {line}" for line in lines))
        if len(issues) > SHOWN:
            st.caption(t("tracker.import.page.more_errors", count=len(issues) - SHOWN))
        rows = [{k: export.neutralise(v) for k, v in i.as_dict(lang).items()} for i in issues]
        table = pd.DataFrame(rows).rename(columns={
            "row": t("tracker.import.page.col_row"), "column": t("tracker.import.page.col_column"),
            "message": t("tracker.import.page.col_message")})
        st.download_button(t("tracker.import.page.errors_download"), table.to_csv(index=False).encode("utf-8-sig"),
                           file_name="loi-nhap.csv", mime="text/csv", key="import_errors_download",
                           width="stretch")


if upload is not None:
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if st.button(t("tracker.import.page.dry_run"), key="import_dry_run", width="stretch"):
        bar, update = progress_bar("tracker.import.page.reading")
        try:
            result = importer.plan(db, data, upload.name, allowed_village_ids=allowed, progress=update)
        except Exception as error:
            bar.empty()
            st.session_state.pop("import_checked", None)
            st.error(failure_message(error))
        else:
            bar.empty()
            st.session_state["import_checked"] = {"digest": digest, "counts": result.counts(),
                                                  "issues": result.issues, "name": upload.name}
    checked = st.session_state.get("import_checked")
    if checked and checked["digest"] == digest:
        show_report(checked["counts"], checked["issues"], dry=True)
        blocked = mode == "all_or_nothing" and checked["counts"]["errors"] > 0
        if blocked:
            st.info(t("tracker.import.page.blocked"))
        if not consent_ok:
            st.info(t("tracker.import.page.consent_needed"))
        if st.button(t("tracker.import.page.commit"), key="import_commit", type="primary", width="stretch",
                     disabled=blocked or not consent_ok):
            bar, update = progress_bar("tracker.import.page.reading")
            try:
                result = importer.plan(db, data, upload.name, allowed_village_ids=allowed, progress=update)
                _, writing = progress_bar("tracker.import.page.writing", bar)
                written = importer.apply(db, result, mode=mode, actor=user["username"],
                                         consent_by=st.session_state.get("import_consent_by", ""),
                                         progress=writing)
            except Exception as error:
                bar.empty()
                st.error(failure_message(error))
            else:
                bar.progress(1.0, text=t("tracker.import.page.written"))
                st.session_state.pop("import_checked", None)
                st.session_state["import_done"] = {"digest": digest, "written": written,
                                                   "errors": len(result.bad_rows)}
                st.rerun()
    done = st.session_state.get("import_done")
    if done and done["digest"] == digest:
        written = done["written"]
        if written["written"]:
            st.success(t("tracker.import.page.committed", created=written["created"], updated=written["updated"],
                         ignored=written["ignored"]), icon=":material/check_circle:")
        else:
            st.error(t("tracker.import.page.not_written"))
else:
    st.caption(t("tracker.import.page.no_file"))
    st.caption(t("tracker.import.page.people_now", count=citizens.count(db)))
