"""Công an xã: the level-2 registration desk (issue 3).

In real life a citizen brings the chip CCCD to the commune police, who take a portrait photo
and fingerprints and send the dossier for approval. Here a trainer (or the persona itself,
in self-study) takes the registration and approves it; approval sends the real-style SMS to
the persona's simulated phone. Logic: workbench/eid.py (submit_registration, approve_registration).
"""

import streamlit as st

from pages._ui import glossary
from pages._ui.frame import page_setup, sandbox_db, page_link, show_refusal, t
from pages._ui.persona import current_persona
from workbench.sandbox import eid, personas
from workbench.sandbox.phone import IdentityError

page_setup(sandbox=True)
st.title(t("police.title"))
st.caption(t("police.subtitle"))
glossary.explain("eid_level2")
db = sandbox_db()
ss = st.session_state
persona = current_persona(db)

def status_of(persona_id: str) -> str:
    acc = eid.account(db, persona_id)
    return "active" if acc["level"] == 2 else acc["registration"]


def status_text(persona_id: str) -> str:
    return t(f"police.status.{status_of(persona_id)}")


def act(call, persona_id: str, flash: str) -> None:
    try:
        call(db, persona_id, actor="desk")
    except IdentityError as error:
        show_refusal(error)
    else:
        ss["police_flash"] = flash
        st.rerun()


if ss.get("police_flash"):
    st.success(t(ss.pop("police_flash")), icon=":material/check_circle:")

if persona:
    pid = persona["id"]
    with st.container(border=True):
        st.header(t("police.citizen.title", name=persona["full_name"]), anchor=False)
        st.markdown(f"**{t('police.citizen.cccd')}:** {persona['cccd']}  \n"
                    f"**{t('police.citizen.phone')}:** {persona['phone']}  \n"
                    f"**{t('police.citizen.status')}:** {status_text(pid)}")
        status = status_of(pid)
        if status == "none":
            st.markdown(t("police.citizen.checklist"))
            ticked = [item for item in eid.REGISTRATION_DOCUMENTS
                      if st.checkbox(t(f"police.check.{item}"), key=f"police_check_{item}")]
            if st.button(t("police.citizen.submit"), key="police_submit", type="primary", width="stretch"):
                act(lambda db, persona_id, actor: eid.submit_registration(db, persona_id, actor, documents=ticked),
                    pid, "police.flash.submitted")
        elif status == "submitted":
            st.info(t("police.citizen.waiting"), icon=":material/hourglass_top:")
            if st.button(t("police.citizen.approve"), key="police_approve", type="primary", width="stretch"):
                act(eid.approve_registration, pid, "police.flash.approved")
        elif status == "approved":
            st.success(t("police.citizen.approved"), icon=":material/sms:")
            page_link("pages/sandbox/phone.py", label=t("police.citizen.open_phone"), icon=":material/smartphone:")
        else:
            st.success(t("police.citizen.active"), icon=":material/verified:")
else:
    st.info(t("police.no_persona"), icon=":material/person_search:")
    page_link("pages/sandbox/personas.py", label=t("persona.choose_link"), icon=":material/group:")

st.header(t("police.queue.title"), anchor=False)
waiting = [p for p in (personas.get(db, pid) for pid in eid.awaiting_approval(db)) if p]
if not waiting:
    st.caption(t("police.queue.empty"))
for person in waiting:
    with st.container(border=True):
        st.markdown(f"**{person['full_name']}** · {person['cccd']}")
        if st.button(t("police.citizen.approve"), key=f"police_approve_{person['id']}", width="stretch"):
            act(eid.approve_registration, person["id"], "police.flash.approved")
