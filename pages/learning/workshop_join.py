"""Join a workshop from a phone: scan the QR (or type the code) → a name and a role → a fresh
persona in the planned state → the first lesson. Reopening ``?p=<token>`` resumes."""

import streamlit as st

from pages._ui.frame import page_setup, sandbox_db, show_refusal, t
from pages._ui.persona import set_persona
from workbench.learning.workshops import hall
from workbench.learning.workshops.hall import WorkshopError

LESSON_PAGE = "pages/learning/lessons.py"

page_setup(sandbox=False)
st.title(t("workshop.join.title"))
db = sandbox_db()


def go_to_lesson(persona_id: str, lesson_id: str) -> None:
    """The lesson player's contract: ``?p=<persona_id>&lesson=<lesson_id>``."""
    st.switch_page(LESSON_PAGE, query_params={"p": persona_id, "lesson": lesson_id})


# --- resume: the token in the URL is the participant's only key ------------------------------
token = st.query_params.get("p")
if token:
    found = hall.participant(db, token)
    if found is None:
        st.error(t("workshop.error.unknown_token"), icon=":material/link_off:")
    else:
        set_persona(token)
        lesson_id = hall.resume(db, token)
        if lesson_id:
            go_to_lesson(token, lesson_id)
        st.success(t("workshop.join.all_done", name=found["display_name"]), icon=":material/celebration:")
        st.stop()

# --- the code: from the QR's URL, or typed -----------------------------------------------------
code = st.query_params.get("code", "")
current = None
if code:
    try:
        current = hall.by_code(db, code)
    except WorkshopError as error:
        show_refusal(error)

if current is None:
    st.write(t("workshop.join.need_code"))
    with st.form("join_code_form"):
        typed = st.text_input(t("workshop.field.code"), value=code, max_chars=9, key="join_code_typed")
        go = st.form_submit_button(t("workshop.join.code_submit"), type="primary", width="stretch")
    if go:
        try:
            found = hall.by_code(db, typed)
        except WorkshopError as error:
            show_refusal(error)
        else:
            st.query_params["code"] = found["join_code"]
            st.rerun()
    st.stop()

# --- name and role -----------------------------------------------------------------------------------
st.write(t("workshop.join.welcome", name=current["name"], place=current["place"]))
st.caption(t("workshop.join.sandbox_note"))
with st.form("join_form"):
    name = st.text_input(t("workshop.field.display_name"), max_chars=hall.NAME_MAX, key="join_display_name")
    st.caption(t("workshop.field.display_name_help"))
    role = st.radio(t("workshop.field.role"), hall.ROLES, format_func=lambda r: t(f"workshop.role.{r}"),
                    key="join_role")
    submitted = st.form_submit_button(t("workshop.join.submit"), type="primary", width="stretch")

if submitted:
    try:
        joined = hall.join(db, current["join_code"], name, role)
    except WorkshopError as error:
        show_refusal(error)
    else:
        set_persona(joined["persona_id"])
        go_to_lesson(joined["persona_id"], joined["lesson_id"])
