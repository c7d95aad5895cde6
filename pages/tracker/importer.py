"""Import the sheets volunteers keep (CSV or XLSX): dry run first, then commit (issue 8).

The dry run (``importer.plan``) writes nothing and lists what would be created, updated
and ignored, and every bad row with its row number, column and message. "Import" is offered
only after a dry run of the very same file, and plans it again before writing, so what is
written is checked against the database as it is at that moment. Any failure, expected or not,
is a message on the page and never a stack trace (issue 15); an unexpected one is logged for
the maintainer.

A team value that is no team's name ("Tổ 3") is a choice drawn under the dry run (issue 15):
map it to a team, create it (officials only) or no team. The choices feed the next dry run
and the import, which remembers them (``team_names``); "Import" waits for a dry run with the
choices as they are on screen.
"""

import hashlib
import logging

import pandas as pd
import streamlit as st

from pages._ui import plain
from pages._ui.frame import page_setup, refusal_text, t
from pages._ui.tracker_session import require_tracker_user
from workbench.tracker import auth, citizens, formulas, importer, places, sheets, team_names
from workbench.tracker.errors import TrackerError

lang = page_setup(sandbox=False)
st.title(t("common.nav.tracker_import"))
db, user = require_tracker_user("import")
allowed = user["village_ids"] if user["role"] == "volunteer" else None
may_create_teams = auth.can(user, "admin")

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

upload = st.file_uploader(t("tracker.import.page.file_label", max_mb=sheets.MAX_BYTES // (1024 * 1024)),
                          type=["csv", "xlsx"], key="import_file", help=t("tracker.import.page.file_help"),
                          max_upload_size=sheets.MAX_BYTES // (1024 * 1024))
mode = st.radio(t("tracker.import.page.mode_label"), ["all_or_nothing", "valid_only"], key="import_mode",
                format_func=lambda m: t(f"tracker.import.page.mode_{m}"))
st.text_input(t("tracker.field.consent_by"), key="import_consent_by", value=user["display_name"],
              help=t("tracker.import.page.consent_by_help"))
consent_ok = st.checkbox(t("tracker.import.page.consent_given"), key="import_consent_given")


SHOWN = 50
TEAMS_SHOWN = 30  # team values drawn as choices; the rest are counted (a sheet rarely has more)
UNDECIDED = "undecided"

log = logging.getLogger(__name__)


def failure_message(error: Exception) -> str:
    """What the page says when an import fails: the refusal itself, or (a bug, logged with its
    stack trace on the server's console) that nothing was written."""
    if isinstance(error, TrackerError):
        return refusal_text(error, as_text=True)
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
                           ("bad_rows", "errors"), ("undecided", "undecided")) if name != "undecided" or counts.get(name)))
    if issues:
        st.warning(t("tracker.import.page.errors_intro", count=len(issues)))
        # A list reads better than a wide table on a phone; every error is in the download.
        # What the file said (its headings, its cells) is shown as text, never as Markdown.
        lines = [t("tracker.cli.error_line", row=i.row, column=plain.md(i.column),
                   message=t(i.key, **plain.params(i.params))) for i in issues[:SHOWN]]
        st.markdown("\n".join(f"- {line}" for line in lines))
        if len(issues) > SHOWN:
            st.caption(t("tracker.import.page.more_errors", count=len(issues) - SHOWN))
        rows = [{k: formulas.neutralise(v) for k, v in i.as_dict(lang).items()} for i in issues]
        table = pd.DataFrame(rows).rename(columns={
            "row": t("tracker.import.page.col_row"), "column": t("tracker.import.page.col_column"),
            "message": t("tracker.import.page.col_message")})
        st.download_button(t("tracker.import.page.errors_download"), table.to_csv(index=False).encode("utf-8-sig"),
                           file_name="loi-nhap.csv", mime="text/csv", key="import_errors_download",
                           width="stretch")


def team_key(folded: str) -> str:
    return "import_team_" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:12]


def chosen_teams(checked: dict | None) -> dict:
    """The team choices on screen for the values the last dry run listed (none chosen: left out)."""
    chosen = {}
    for entry in (checked or {}).get("teams", []):
        choice = st.session_state.get(team_key(entry["value_folded"]), entry["choice"])
        if choice not in (None, UNDECIDED):
            chosen[entry["value_folded"]] = choice
    return chosen


def team_values(result) -> tuple[list, int]:
    """The dry run's team values to draw (the undecided and the most used first), each with its
    suggestion; and how many more there are."""
    entries = [{"value_folded": folded, **entry} for folded, entry in result.team_values.items()]
    entries.sort(key=lambda e: (e["choice"] is not None, -e["rows"], e["first_rows"][0]))
    shown = entries[:TEAMS_SHOWN]
    suggested = team_names.suggest(db, [e["value"] for e in shown])
    for entry in shown:
        entry["suggestion"] = suggested[entry["value"]]
    return shown, len(entries) - len(shown)


def show_team_choices(checked: dict) -> None:
    """One choice a team value: the suggested team first, never chosen for the person."""
    st.markdown(f"**{t('tracker.import.page.teams_title')}**")
    st.caption(t("tracker.import.page.teams_intro"))
    if not may_create_teams:
        st.caption(t("tracker.import.page.teams_create_official"))
    names = {team["id"]: team["name"] for team in places.teams(db)}
    for entry in checked["teams"]:
        suggestion = entry["suggestion"] if entry["suggestion"] in names else None
        others = [team_id for team_id in names if team_id != suggestion]
        options = [UNDECIDED, team_names.NO_TEAM, *([team_names.CREATE] if may_create_teams else []),
                   *([suggestion] if suggestion else []), *others]
        choice = entry["choice"] if entry["choice"] in options else UNDECIDED

        def label(option, value=entry["value"], suggested=suggestion):
            if option == UNDECIDED:
                return t("tracker.import.page.team_undecided")
            if option == team_names.NO_TEAM:
                return t("tracker.import.page.team_none")
            if option == team_names.CREATE:
                return t("tracker.import.page.team_create", value=value)
            key = "tracker.import.page.team_suggested" if option == suggested else "tracker.import.page.team_map"
            return t(key, team=names[option])

        st.selectbox(t("tracker.import.page.team_value", value=entry["value"], rows=entry["rows"],
                       first_rows=", ".join(map(str, entry["first_rows"]))),
                     options, index=options.index(choice), format_func=label, key=team_key(entry["value_folded"]))
        if entry["remembered"] is not None:
            st.caption(t("tracker.import.page.team_remembered"))
        elif suggestion:
            st.caption(t("tracker.import.page.team_suggestion", team=names[suggestion]))
    if checked["teams_more"]:
        st.caption(t("tracker.import.page.teams_more", count=checked["teams_more"]))


if upload is not None:
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if st.button(t("tracker.import.page.dry_run"), key="import_dry_run", width="stretch"):
        bar, update = progress_bar("tracker.import.page.reading")
        try:
            previous = st.session_state.get("import_checked")
            decisions = chosen_teams(previous if previous and previous["digest"] == digest else None)
            result = importer.plan(db, data, upload.name, allowed_village_ids=allowed, progress=update,
                                   team_decisions=decisions, may_create_teams=may_create_teams)
        except Exception as error:
            bar.empty()
            st.session_state.pop("import_checked", None)
            st.error(failure_message(error))
        else:
            bar.empty()
            shown, more = team_values(result)
            st.session_state["import_checked"] = {"digest": digest, "counts": result.counts(),
                                                  "issues": result.issues, "name": upload.name,
                                                  "teams": shown, "teams_more": more,
                                                  "decisions": {e["value_folded"]: e["choice"] for e in shown
                                                                if e["choice"] is not None}}
    checked = st.session_state.get("import_checked")
    if checked and checked["digest"] == digest:
        show_report(checked["counts"], checked["issues"], dry=True)
        if checked["teams"]:
            show_team_choices(checked)
        undecided = checked["counts"]["undecided"]
        changed = chosen_teams(checked) != checked["decisions"]
        blocked = mode == "all_or_nothing" and (checked["counts"]["errors"] > 0 or undecided > 0)
        if changed:
            st.info(t("tracker.import.page.teams_changed"))
        elif undecided:
            st.info(t("tracker.import.page.teams_waiting", count=undecided))
        if blocked and checked["counts"]["errors"]:
            st.info(t("tracker.import.page.blocked"))
        if not consent_ok:
            st.info(t("tracker.import.page.consent_needed"))
        if st.button(t("tracker.import.page.commit"), key="import_commit", type="primary", width="stretch",
                     disabled=blocked or changed or not consent_ok):
            bar, update = progress_bar("tracker.import.page.reading")
            try:
                result = importer.plan(db, data, upload.name, allowed_village_ids=allowed, progress=update,
                                       team_decisions=checked["decisions"], may_create_teams=may_create_teams)
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
