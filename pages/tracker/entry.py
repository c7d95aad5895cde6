"""Quick entry, in the field, on a phone: find or add a citizen, tick milestones, save (issue 8).

Steps kept in ``st.session_state["entry_step"]``: find → (new → check duplicates) → milestones → done.
Nothing is written until "Save" on the milestones step, in one transaction
(``auth.save_entry``); a possible duplicate is shown before that and the volunteer
chooses: that person, or "a different person". What was typed is kept on every error.
"""

import datetime as dt
from functools import partial

import streamlit as st

from pages._ui import plain, steps
from pages._ui.frame import page_setup, refusal_text, show_refusal, t
from pages._ui.tracker_session import require_tracker_user
from workbench import i18n, text
from workbench.tracker import auth, citizens, places, realtime, settings
from workbench.tracker.errors import DuplicateCitizen, TrackerError
from workbench.tracker.schema import MILESTONES

lang = page_setup(sandbox=False)
st.title(t("common.nav.tracker_entry"))
db, user = require_tracker_user("enter")

STATE = "entry_step"


go = partial(steps.go, STATE)


# Widget values that must survive steps where their widget is not drawn (Streamlit drops the
# state of widgets it did not draw); buttons are never in this list (their state cannot be set).
KEPT = ("new_", "ms_", "entry_query", "entry_confirm_different")
STATE_KEYS = ("entry_step", "entry_citizen_id", "entry_new", "entry_matches", "entry_errors", "entry_ms_errors",
              "entry_allow_duplicate", "entry_saved_id", "entry_saved_count", "entry_was_new")


def clear() -> None:
    for key in [k for k in st.session_state if k.startswith(KEPT) or k in STATE_KEYS]:
        del st.session_state[key]


def restart() -> None:
    clear()
    st.rerun()


for _key in [k for k in st.session_state if k.startswith(KEPT)]:
    st.session_state[_key] = st.session_state[_key]


def show_date(iso: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(iso), lang) if iso else ""


def back_link(step: str) -> None:
    if st.button("‹ " + t("common.back"), key=f"entry_back_{step}", type="tertiary"):
        go(step)


allowed = user["village_ids"] if user["role"] == "volunteer" else None
villages = places.villages(db, allowed)
village_name = {v["id"]: v["name"] for v in villages}
step = st.session_state.setdefault(STATE, "find")

# --- 1. find ---------------------------------------------------------------------------------
if step == "find":
    st.write(t("tracker.entry.find_hint"))
    query = st.text_input(t("tracker.entry.search_label"), key="entry_query",
                          placeholder=t("tracker.entry.search_placeholder"))
    if query.strip():
        found = auth.search(db, user, query, limit=15)
        if not found:
            st.info(t("tracker.entry.none_found", query=plain.md(query)))
        for row in found:
            with st.container(border=True):
                line = t("tracker.entry.result_line", name=plain.md(row["full_name"]), year=row["birth_year"],
                         village=plain.md(row["village_name"]))
                st.markdown(f"**{plain.md(row['full_name'])}**  \n{line}")
                if row["phone"]:
                    st.caption(t("tracker.entry.phone_line", phone=plain.md(row["phone"])))
                if row["digital_date"]:
                    st.caption(":material/workspace_premium: " + t("tracker.entry.is_digital"))
                if st.button(t("tracker.entry.choose"), key=f"entry_pick_{row['id']}", width="stretch"):
                    go("milestones", entry_citizen_id=row["id"], entry_new=None)
    if not villages:
        st.warning(t("tracker.entry.no_villages"))
    elif st.button(t("tracker.entry.add_new"), key="entry_add_new", type="primary", width="stretch"):
        if query.strip() and not st.session_state.get("new_full_name"):
            st.session_state["new_full_name"] = text.clean(query).title()
        go("new")

# --- 2. a new person -------------------------------------------------------------------------
elif step == "new":
    back_link("find")
    st.subheader(t("tracker.entry.new_title"))
    errors: dict = st.session_state.get("entry_errors", {})
    if errors:
        with st.container(border=True):
            st.error(t("tracker.entry.error_summary"), icon=":material/error:")
            for field, message in errors.items():
                st.markdown(f"- {t(f'tracker.field.{field}')}: {message}")

    def field_error(name: str) -> None:
        if name in errors:
            st.error(errors[name])

    st.text_input(t("tracker.field.full_name"), key="new_full_name")
    field_error("full_name")
    st.text_input(t("tracker.field.birth_year"), key="new_birth_year", max_chars=4,
                  placeholder=t("tracker.entry.birth_year_placeholder"))
    field_error("birth_year")
    st.radio(t("tracker.field.gender"), ["nam", "nữ"], key="new_gender", horizontal=True, index=None,
             format_func=lambda g: t(f"tracker.gender.{'male' if g == 'nam' else 'female'}"))
    field_error("gender")
    st.text_input(t("tracker.field.ethnicity"), key="new_ethnicity", placeholder=t("tracker.entry.ethnicity_placeholder"))
    field_error("ethnicity")
    st.selectbox(t("tracker.field.village"), list(village_name), key="new_village",
                 format_func=lambda v: village_name.get(v, "?"))
    st.text_input(t("tracker.field.phone"), key="new_phone", help=t("tracker.entry.optional"))
    field_error("phone")
    st.text_input(t("tracker.field.cccd_last4"), key="new_cccd_last4", max_chars=4, help=t("tracker.entry.optional"))
    field_error("cccd_last4")
    st.markdown(f"**{t('tracker.entry.consent_title')}**")
    st.caption(t("tracker.entry.consent_body"))
    st.checkbox(t("tracker.entry.consent_given"), key="new_consent")
    field_error("consent")
    st.session_state.setdefault("new_consent_date", realtime.today())
    st.date_input(t("tracker.field.consent_date"), key="new_consent_date", max_value=realtime.today(), format="DD/MM/YYYY")
    field_error("consent_date")
    if "new_consent_by" not in st.session_state:
        st.session_state["new_consent_by"] = user["display_name"]
    st.text_input(t("tracker.field.consent_by"), key="new_consent_by")
    field_error("consent_by")

    if st.button(t("common.continue"), key="entry_new_continue", type="primary", width="stretch"):
        s = st.session_state
        fields = {"full_name": s.get("new_full_name"), "birth_year": s.get("new_birth_year"),
                  "gender": s.get("new_gender") or "", "ethnicity": s.get("new_ethnicity"),
                  "phone": s.get("new_phone"), "cccd_last4": s.get("new_cccd_last4"),
                  "consent_by": s.get("new_consent_by"), "consent_date": s.get("new_consent_date")}
        clean, problems = citizens.check(**fields)
        messages = {name: refusal_text(error, as_text=True) for name, error in problems.items()}
        if not s.get("new_consent"):
            messages["consent"] = t("tracker.error.consent_missing")
        if messages:
            go("new", entry_errors=messages)
        clean["village"] = s.get("new_village")
        st.session_state.pop("entry_errors", None)
        matches = auth.duplicates_for(db, user, clean["full_name"], clean["birth_year"], clean["village"])
        go("duplicates" if matches else "milestones", entry_new=clean, entry_citizen_id=None,
           entry_matches=[m["id"] for m in matches])

# --- 2b. possible duplicates: the volunteer decides --------------------------------------------
elif step == "duplicates":
    back_link("new")
    new = st.session_state["entry_new"]
    st.subheader(t("tracker.entry.duplicates_title"))
    st.warning(t("tracker.error.duplicate", count=len(st.session_state.get("entry_matches", []))))
    for citizen_id in st.session_state.get("entry_matches", []):
        try:
            found = auth.citizen_for(db, user, citizen_id)
        except TrackerError:
            continue
        with st.container(border=True):
            st.markdown(f"**{plain.md(found['full_name'])}**  \n" + t(
                "tracker.entry.result_line", name=plain.md(found["full_name"]), year=found["birth_year"],
                village=plain.md(found["village_name"])))
            st.caption(t("tracker.entry.recorded_on", date=show_date(found["created_at"][:10])))
            if found["phone"]:
                st.caption(t("tracker.entry.phone_line", phone=plain.md(found["phone"])))
            if st.button(t("tracker.entry.same_person"), key=f"entry_same_{citizen_id}", width="stretch"):
                go("milestones", entry_citizen_id=citizen_id, entry_new=None)
    st.checkbox(t("tracker.entry.different_person"), key="entry_confirm_different")
    if st.button(t("common.continue"), key="entry_dup_continue", type="primary", width="stretch",
                 disabled=not st.session_state.get("entry_confirm_different")):
        go("milestones", entry_allow_duplicate=True)

# --- 3. milestones ---------------------------------------------------------------------------
elif step == "milestones":
    citizen_id = st.session_state.get("entry_citizen_id")
    new = st.session_state.get("entry_new")
    back_link("new" if new else "find")
    reached: dict = {}
    if citizen_id:
        try:
            citizen = auth.citizen_for(db, user, citizen_id)
        except TrackerError as error:
            show_refusal(error, icon=None, as_text=True)
            if st.button(t("tracker.entry.start_again"), key="entry_restart_missing"):
                restart()
            st.stop()
        reached = citizens.milestones_of(db, citizen_id)
        title, village = citizen["full_name"], citizen["village_name"]
        year = citizen["birth_year"]
    else:
        title, village, year = new["full_name"], village_name.get(new["village"], ""), new["birth_year"]
    st.subheader(plain.md(title))
    st.caption(t("tracker.entry.result_line", name=plain.md(title), year=year, village=plain.md(village))
               + ("" if citizen_id else " · " + t("tracker.entry.new_badge")))
    if new:
        if st.button(t("tracker.entry.change_details"), key="entry_change_details", type="tertiary"):
            go("new")
    st.write(t("tracker.entry.tick_hint"))
    problems: dict = st.session_state.get("entry_ms_errors", {})
    for milestone in MILESTONES:
        label = t(f"tracker.milestone.{milestone}")
        if milestone in reached:
            st.markdown(f":material/check_circle: **{label}** — {show_date(reached[milestone]['date'])}")
            continue
        ticked = st.checkbox(label, key=f"ms_{milestone}",
                             help=settings.milestone_help(milestone, realtime.today(), lang) or None)
        if ticked:
            st.session_state.setdefault(f"ms_date_{milestone}", realtime.today())
            st.date_input(t("tracker.entry.milestone_date", milestone=label), key=f"ms_date_{milestone}",
                          max_value=realtime.today(), format="DD/MM/YYYY")
        if milestone in problems:
            st.error(problems[milestone])
    st.text_input(t("tracker.field.note"), key="ms_note", help=t("tracker.entry.note_help"))
    chosen = {m: st.session_state.get(f"ms_date_{m}") or realtime.today()
              for m in MILESTONES if m not in reached and st.session_state.get(f"ms_{m}")}
    if st.button(t("common.save"), key="entry_save", type="primary", width="stretch",
                 disabled=bool(citizen_id) and not chosen):
        try:
            saved_id = auth.save_entry(
                db, user, citizen_id=citizen_id, citizen=None if citizen_id else new, milestones=chosen,
                note=st.session_state.get("ms_note", ""),
                allow_duplicate=bool(st.session_state.get("entry_allow_duplicate")))
        except DuplicateCitizen as error:
            # Someone else saved the same person a moment ago: show them, let the volunteer choose.
            go("duplicates", entry_matches=[m["id"] for m in error.matches])
        except TrackerError as error:
            field = (error.field or "")[2:] if (error.field or "").startswith("m_") else None
            message = refusal_text(error, as_text=True)
            if field:
                go("milestones", entry_ms_errors={field: message})
            st.error(message)
        else:
            st.session_state.pop("entry_ms_errors", None)
            go("done", entry_saved_id=saved_id, entry_saved_count=len(chosen), entry_was_new=not citizen_id)

# --- 4. done ---------------------------------------------------------------------------------
elif step == "done":
    saved_id = st.session_state.get("entry_saved_id")
    try:
        citizen = auth.citizen_for(db, user, saved_id)
    except TrackerError:
        citizen = None
    with st.container(border=True):
        st.success(t("tracker.entry.saved_title"), icon=":material/check_circle:")
        if citizen:
            st.markdown(f"### {plain.md(citizen['full_name'])}")
            key = "tracker.entry.saved_new" if st.session_state.get("entry_was_new") else "tracker.entry.saved_more"
            st.write(t(key, count=st.session_state.get("entry_saved_count", 0)))
            if citizen["digital_date"]:
                st.markdown(":material/workspace_premium: **" + t("tracker.entry.now_digital") + "**")
    st.write(t("tracker.entry.next_hint"))
    if st.button(t("tracker.entry.next_person"), key="entry_next", type="primary", width="stretch"):
        restart()
    if citizen and st.button(t("tracker.entry.more_for_same"), key="entry_more", width="stretch"):
        clear()
        go("milestones", entry_citizen_id=saved_id, entry_new=None)
