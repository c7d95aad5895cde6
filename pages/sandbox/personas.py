"""Nhân vật mô phỏng: choose a sandbox persona, or create one in a starting state (issue 3).

The starting states (fresh, SIM not standardised, VNeID level 1, approved but not activated,
fully set up, an old portal account holder) come from workbench/scenarios.py, so a trainer can begin a lesson at any point.
Other areas link here through ``require_persona``.
"""

import streamlit as st

from pages._ui import glossary
from pages._ui.frame import current_lang, page_setup, sandbox_db, page_link, t
from pages._ui import pay_return, secrets, vneid_screens
from pages._ui.persona import current_persona, set_persona
from workbench import clock, rules
from workbench.sandbox import personas, portal, scenarios
from workbench import data as data_files

page_setup(sandbox=True)
lang = current_lang()
st.title(t("persona.title"))
glossary.explain("sim_verified", "eid_level2", "passcode")
db = sandbox_db()
persona = current_persona(db)
if pay_return.waiting_token():  # a scanned QR waits for a persona (issue 14)
    st.info(t("persona.pay_waiting"), icon=":material/qr_code_2:")


def portal_line(info: dict) -> str:
    """The portal row: an account the portal itself issued (before 1/7/2024) is shown as the old
    account it is, with today's way in (issue 13), never as a way to log in."""
    yes, no = ":green[:material/check_circle:]", ":grey[:material/radio_button_unchecked:]"
    if info["portal_method"] == "sim":
        return f"{no} {t('persona.profile.portal_old')}"
    return f"{yes if info['portal_account'] else no} {t('persona.profile.portal_yes' if info['portal_account'] else 'persona.profile.portal_no')}"


def profile_lines(persona_id: str) -> list[str]:
    info = portal.profile(db, persona_id)
    yes, no = ":green[:material/check_circle:]", ":grey[:material/radio_button_unchecked:]"
    return [
        f"{yes if info['sim_standardised'] else no} {t('persona.profile.sim_ok' if info['sim_standardised'] else 'persona.profile.sim_not_ok')}",
        f"{yes if info['eid_level'] == 2 else no} " + (t("persona.profile.eid_level", level=info["eid_level"])
                                                       if info["eid_level"] else t("persona.profile.eid_none")),
        portal_line(info),
        f"{yes if info['health_book'] else no} {t('persona.profile.health_yes' if info['health_book'] else 'persona.profile.health_no')}",
    ]


if persona:
    with st.container(border=True):
        st.header(t("persona.current.title", name=persona["full_name"]), anchor=False)
        st.markdown(
            f"**{t('persona.field.cccd')}:** {persona['cccd']}  \n"
            f"**{t('persona.field.phone')}:** {persona['phone']}  \n"
            f"**{t('persona.field.birth_date')}:** {'/'.join(reversed(persona['birth_date'].split('-')))}  \n"
            f"**{t('persona.field.village')}:** {persona['village']}"
        )
        st.markdown("\n".join(f"- {line}" for line in profile_lines(persona["id"])))
        secrets.persona_card(db, persona["id"])
        page_link("pages/sandbox/phone.py", label=t("persona.current.open_phone"), icon=":material/smartphone:")
        page_link("pages/sandbox/portal_account.py", label=t("persona.current.open_portal"),
                     icon=":material/account_circle:")
        vneid_screens.level2_next_step(db, persona["id"], register_label="persona.current.open_police")
        st.caption(t("persona.current.resume_hint"))
        if st.button(t("persona.current.change"), key="persona_change", width="stretch"):
            set_persona(None)
            st.rerun()

places = {e["key"]: f'{e["commune"]}, {e["province"]}' for e in data_files.load("commune").get("elsewhere", [])}
places = {"same_province": places.get("same_province", ""), "other_province": places.get("other_province", "")}
st.header(t("persona.create.title"), anchor=False)
with st.form("persona_create"):
    state = st.radio(t("persona.create.state"), scenarios.STATES, key="persona_state",
                     format_func=lambda s: t(f"persona.state.{s}"))
    st.caption(t("persona.create.state_hint"))
    # Where the persona lives (issue 13): another commune of the province files here too.
    home = st.radio(t("persona.create.home"), personas.HOMES, key="persona_home", horizontal=False,
                    format_func=lambda h: t(f"persona.home.{h}", **places))
    created = st.form_submit_button(key="persona_create_submit", label=t("persona.create.submit"), type="primary", width="stretch")
if created:
    made = scenarios.create(db, state, home=home)
    set_persona(made["id"])
    pay_return.back_to_payment(made["id"])
    st.session_state["persona_flash"] = made["full_name"]
    st.rerun()
if st.session_state.get("persona_flash"):
    st.success(t("persona.create.done", name=st.session_state.pop("persona_flash")), icon=":material/check_circle:")

with st.expander(t("persona.create.states_explained")):
    for s in scenarios.STATES:
        st.markdown(f"**{t(f'persona.state.{s}')}** — {scenarios.describe(s, lang)}")

st.header(t("persona.choose.title"), anchor=False)
# A workshop participant's persona is theirs alone: never offered to another browser (issue 7).
everyone = [p for p in personas.list_all(db, limit=500) if not p["workshop_id"]]
query = st.text_input(t("persona.choose.search"), key="persona_search", placeholder=t("persona.choose.search_hint"))
if query.strip():
    needle = query.strip().lower()
    everyone = [p for p in everyone if needle in p["full_name"].lower() or needle in p["cccd"]
                or needle in (p["display_name"] or "").lower()]
if not everyone:
    st.info(t("persona.choose.none"))
else:
    shown = everyone[:50]
    labels = {p["id"]: " · ".join([p["full_name"], p["cccd"], t(f"persona.state.{p['starting_state'] or 'fresh'}")])
              for p in shown}
    chosen = st.selectbox(t("persona.choose.label"), list(labels), key="persona_pick", format_func=labels.get)
    if st.button(t("persona.choose.submit"), key="persona_choose", type="primary", width="stretch"):
        set_persona(chosen)
        pay_return.back_to_payment(chosen)
        st.rerun()
    if len(everyone) > len(shown):
        st.caption(t("persona.choose.more", count=len(everyone) - len(shown)))

with st.expander(t("persona.trainer.title")):
    secrets.trainer_box("ready")  # every secret, from the one list (issue 14)
    # The old-account persona (issue 13): what it shows, and whether the portal's words are confirmed.
    notice = rules.get("portal.old_account_notice", clock.now(db).date()) if portal.old_account_notice(db) else None
    if notice is not None:
        st.markdown(t("persona.trainer.old_account", since=portal.route_since(db)))
        if notice.confidence != "confirmed":
            st.caption(t("persona.trainer.unconfirmed_wording", source=notice.source["document"]))
    st.markdown(t("persona.trainer.cases_intro"))
    # One card a case, not a table: a three-column table of long messages was cut at 360 px (issue 14).
    for case in scenarios.cases():
        state_name = t(f"persona.state.{case['state']}")
        message = t(case["expect"], tries_left=4, minutes=30, since=portal.route_since(db))
        with st.container(border=True, key=f"persona_case_{case['id']}"):
            st.markdown(f"**{case[lang] if lang in case else case['vi']}**")
            st.caption(f"{t('persona.trainer.col_state')}: {state_name}")
            st.markdown(f"{t('persona.trainer.col_message')}: *{message}*")
