"""The trainer's laptop: create a workshop, project the join QR, watch the hall live, help,
nudge, move the sandbox clock, approve VNeID in bulk, end and reset."""

import datetime as dt
import html

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pages._ui import secrets
from pages._ui.frame import current_lang, page_setup, sandbox_db, refusal_text, show_refusal, t
from workbench import clock, network, qr
from workbench.learning.lessons import catalogue
from workbench.learning.lessons.model import LessonError
from workbench.learning.workshops import hall, nudges, progress, report, trainer
from workbench.learning.workshops.hall import WorkshopError
from workbench.sandbox import eid, personas, scenarios

REFRESH_SECONDS = 5
DEFAULT_LESSON = "vneid_activation"  # the commonest evening in the seeds (VNeID level 2)
CELL = {  # state -> (symbol, background, text colour): a symbol too, never colour alone
    "done": ("✓", "#1b7f3b", "#ffffff"),
    "working": ("●", "#ffe08a", "#1a1a1a"),
    "stuck": ("!", "#c62828", "#ffffff"),
    "todo": ("○", "#eeeeee", "#666666"),
}

page_setup(sandbox=False)
lang = current_lang()
st.title(t("workshop.trainer.title"))
st.caption(t("workshop.trainer.intro"))
db = sandbox_db()


def lesson_title(lesson_id: str) -> str:
    try:
        return catalogue.get(lesson_id).title[lang]
    except LessonError:
        return lesson_id


# --- choose or create ------------------------------------------------------------------------------
all_workshops = hall.list_all(db)
by_id = {w["id"]: w for w in all_workshops}
chosen_id = st.query_params.get("w")
if chosen_id not in by_id:
    chosen_id = all_workshops[0]["id"] if all_workshops else None



def remember_choice() -> None:
    st.query_params["w"] = st.session_state["trainer_workshop"]


if all_workshops:
    if st.session_state.get("trainer_workshop") != chosen_id:
        st.session_state["trainer_workshop"] = chosen_id
    st.selectbox(
        t("workshop.trainer.choose"), list(by_id), on_change=remember_choice,
        format_func=lambda wid: t("workshop.trainer.choose_option", name=by_id[wid]["name"],
                                  code=by_id[wid]["join_code"], status=t(f"workshop.status.{by_id[wid]['status']}")),
        key="trainer_workshop")
else:
    st.info(t("workshop.trainer.none_yet"), icon=":material/info:")

known_lessons = hall.lesson_catalogue()
with st.expander(t("workshop.trainer.create_title"), expanded=not all_workshops, icon=":material/add:"):
    with st.form("create_workshop"):
        name = st.text_input(t("workshop.field.name"), placeholder=t("workshop.field.name_help"), key="new_name")
        place = st.text_input(t("workshop.field.place"), placeholder=t("workshop.field.place_help"),
                              key="new_place")
        date = st.date_input(t("workshop.field.date"), value=clock.real_now().date(), format="DD/MM/YYYY",
                             key="new_date")
        planned = st.multiselect(t("workshop.field.lessons"), list(known_lessons),
                                 default=[DEFAULT_LESSON] if DEFAULT_LESSON in known_lessons else list(known_lessons)[:1],
                                 format_func=lambda lid: f"{known_lessons[lid].number}. {known_lessons[lid].title[lang]}",
                                 key="new_lessons")
        states = [hall.LESSON_STATE, *scenarios.STATES]
        state = st.selectbox(t("workshop.field.starting_state"), states,
                             format_func=lambda s: t("workshop.state.lesson") if s == hall.LESSON_STATE
                             else scenarios.describe(s, lang), key="new_state")
        stuck = st.number_input(t("workshop.field.stuck_minutes"), min_value=1, max_value=60,
                                value=hall.DEFAULT_STUCK_MINUTES, step=1, key="new_stuck")
        create = st.form_submit_button(t("workshop.trainer.create_submit"), type="primary")
    if create:
        try:
            made = hall.create(db, name=name, place=place, date=date, lessons_planned=planned,
                                   starting_state=state, stuck_minutes=stuck)
        except WorkshopError as error:
            st.error(t("workshop.trainer.fix_above", message=refusal_text(error)), icon=":material/error:")
        else:
            st.query_params["w"] = made["id"]
            st.session_state["trainer_flash"] = t("workshop.trainer.created", name=made["name"],
                                                  code=made["join_code"])
            st.rerun()

if chosen_id is None:
    st.stop()

flash = st.session_state.pop("trainer_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

current = hall.get(db, chosen_id)
if current["status"] == "ended":
    st.warning(t("workshop.trainer.ended_note"), icon=":material/event_busy:")
try:
    st.page_link("pages/learning/workshop_report.py", label=t("workshop.trainer.report_link"), icon=":material/bar_chart:",
                 query_params={"w": chosen_id})
except StreamlitPageNotFoundError:  # the page run on its own (AppTest), outside app.py's navigation
    st.markdown(f"[{t('workshop.trainer.report_link')}](workshop-report?w={chosen_id})")

projector, live_tab, controls = st.tabs([t("workshop.trainer.tab_projector"), t("workshop.trainer.tab_dashboard"),
                                          t("workshop.trainer.tab_controls")])

# --- projector -----------------------------------------------------------------------------------------
with projector:
    # the address make run printed: Streamlit's own server.port is the internal one behind Caddy
    join_url = network.public_url(hall.join_path(current))
    base_url = network.public_url("join")
    left, right = st.columns([1, 1], vertical_alignment="center")
    with left:
        if join_url:
            st.markdown(f"### {t('workshop.projector.scan')}")
            st.image(qr.png(join_url, box_size=14), width=420,
                     alt=t("workshop.projector.qr_alt", name=current["name"], url=join_url))
        else:
            st.error(t("workshop.projector.no_network"), icon=":material/wifi_off:")
    with right:
        code = current["join_code"]
        st.html(
            f'<div style="text-align:center"><div style="font-size:1.4rem">{html.escape(t("workshop.projector.code_caption"))}</div>'
            f'<div data-testid="join-code" style="font-size:clamp(2.6rem, 6vw, 6rem); font-weight:800; white-space:nowrap; '
            f'letter-spacing:.12em; font-family:monospace">{code[:3]}&nbsp;{code[3:]}</div></div>')
        if base_url:
            st.markdown(f"{t('workshop.projector.or_type')}  \n**{html.escape(base_url)}**")
            st.caption(t("workshop.projector.same_wifi"))
            # Not st.code: its scrolling <pre> cannot take focus (axe, serious) and it loads the highlighter.
            # A link, as Markdown made it (st.html, not Markdown with HTML: no rehype-raw, issue 14).
            address = html.escape(join_url)
            st.html(f"<p><code class='cds-join-url'><a href='{address}' target='_blank'>{address}</a></code></p>")
    with st.expander(t("persona.secrets.trainer_title"), icon=":material/key:"):
        secrets.trainer_box(hall.starting_state_for(current))  # the one list of secrets (issue 14)


# --- live dashboard --------------------------------------------------------------------------------
# The names stay in view while the steps scroll sideways on a narrow screen (issue 14, 360 px).
STICKY = "position:sticky;left:0;z-index:1;background:#fff;"


def grid_html(board: dict) -> str:
    columns = board["columns"]
    head_lessons = []
    for lesson_id in dict.fromkeys(c["lesson_id"] for c in columns):
        span = sum(1 for c in columns if c["lesson_id"] == lesson_id)
        head_lessons.append(f'<th colspan="{span}" style="padding:4px">{html.escape(lesson_title(lesson_id))}</th>')
    head_steps = "".join(f'<th style="padding:4px;min-width:2.2rem" title="{html.escape(c["step_id"])}">'
                         f'{c["number"]}</th>' for c in columns)
    body = []
    for row in board["rows"]:
        cells = []
        for c in columns:
            state = row["cells"][(c["lesson_id"], c["step_id"])]
            symbol, background, colour = CELL[state]
            cells.append(f'<td data-state="{state}" title="{html.escape(t(f"workshop.status.{state}"))}" '
                         f'style="background:{background};color:{colour};text-align:center;font-weight:700;'
                         f'padding:6px;border:1px solid #fff">{symbol}</td>')
        status = row["status"]
        body.append(f'<tr data-participant="{html.escape(row["display_name"])}" data-status="{status}">'
                    f'<th style="{STICKY}text-align:left;padding:4px 8px;white-space:nowrap">{html.escape(row["display_name"])}'
                    f'<br><small>{html.escape(t("workshop.dashboard.plays", persona=row["persona_name"]))}</small>'
                    f'<br><small>{html.escape(t(f"workshop.status.{status}"))}</small></th>{"".join(cells)}</tr>')
    return (f'<div style="overflow-x:auto"><table class="cds-workshop-grid" style="border-collapse:collapse;'
            f'font-size:1rem"><thead><tr><th></th>{"".join(head_lessons)}</tr>'
            f'<tr><th style="{STICKY}text-align:left;padding:4px 8px">{html.escape(t("workshop.dashboard.participant"))}</th>'
            f'{head_steps}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def who(row: dict) -> str:
    """The name the participant typed and the persona they play (issue 14: "Bà Lan" played
    "Y Suôn Kpă" and the trainer could not tell who was who)."""
    return t("workshop.dashboard.who", name=row["display_name"], persona=row["persona_name"])


@st.fragment(run_every=REFRESH_SECONDS)
def live(workshop_id: str) -> None:
    fragment_db = sandbox_db()
    board = progress.dashboard(fragment_db, workshop_id)
    now = dt.datetime.fromisoformat(board["now"])
    st.caption(t("workshop.dashboard.refreshing", seconds=REFRESH_SECONDS, time=now.strftime("%H:%M %d/%m/%Y")))
    rows = board["rows"]
    if len(rows) != st.session_state.get("trainer_known_people", len(rows)):
        st.rerun()  # someone joined: the whole page, so the helper below can choose them too
    joined, finished, working, stuck = st.columns(4)
    joined.metric(t("workshop.dashboard.joined"), len(rows))
    finished.metric(t("workshop.dashboard.finished"), board["totals"]["finished"])
    working.metric(t("workshop.dashboard.working"), board["totals"]["working"])
    stuck.metric(t("workshop.dashboard.stuck"), board["totals"]["stuck"])
    if not rows:
        st.info(t("workshop.dashboard.nobody"), icon=":material/qr_code_2:")
        return
    st.html(grid_html(board))
    st.caption(t("workshop.dashboard.legend", minutes=board["workshop"]["stuck_minutes"]))
    errors, done = st.columns(2)
    with errors:
        st.markdown(f"**{t('workshop.dashboard.errors_title')}**")
        lines = [f"- {who(row)}: " + ", ".join(
            f"{report.mistake_label(kind, lang)} ×{count}" for kind, count in row["mistakes"].items())
            for row in rows if row["mistakes"]]
        st.markdown("\n".join(lines) if lines else t("workshop.dashboard.no_errors"))
    with done:
        st.markdown(f"**{t('workshop.dashboard.finished_title')}**")
        names = [row["display_name"] for row in rows if row["status"] == "finished"]
        st.markdown("\n".join(f"- {html.escape(n)}" for n in names) if names else
                    t("workshop.dashboard.nobody_finished"))


with live_tab:
    people = hall.participants(db, chosen_id)
    st.session_state["trainer_known_people"] = len(people)
    live(chosen_id)
    if people:
        st.subheader(t("workshop.dashboard.help_title"))
        names = {p["persona_id"]: p["display_name"] for p in people}
        played = {p["id"]: p["full_name"] for p in personas.list_all(db, workshop_id=chosen_id, limit=1000)}
        helped = st.selectbox(t("workshop.dashboard.help_choose"), list(names),
                              format_func=lambda pid: who({"display_name": names[pid], "persona_name": played.get(pid, "")}),
                              key="help_persona")
        state = progress.participant_state(db, chosen_id, helped)
        persona = state["persona"]
        st.markdown(f"**{t('workshop.dashboard.help_persona')}:** {persona['full_name']} · CCCD {persona['cccd']} "
                    f"· {persona['phone']}")
        account = state["eid"]
        stage = eid.stage_of(account)  # plain words, never "mức 0" (issue 14)
        st.markdown("**VNeID:** " + t(f"workshop.eid_stage.{stage}",
                                        step=t(f"eid.step.{account['step']}") if stage == "activating" else ""))
        sim = state["sim"] or {}
        st.markdown(t("workshop.dashboard.help_sim", phone=sim.get("phone") or "—",
                      standardised=t("workshop.dashboard.yes") if sim.get("standardised")
                      else t("workshop.dashboard.no")))
        sms = state["latest_sms"]
        st.markdown(f"**{t('workshop.dashboard.help_sms')}:** " +
                    (f"{sms['sender']}: {sms['text']}" if sms else t("workshop.dashboard.help_no_sms")))
        st.markdown(f"**{t('workshop.dashboard.help_progress')}:**")
        for lesson_id, steps in state["progress"].items():
            marks = " ".join("✓" if v == "done" else "○" for v in steps.values())
            done_count = sum(1 for v in steps.values() if v == "done")
            st.markdown(f"- {lesson_title(lesson_id)}: {marks} "
                        f"({t('workshop.dashboard.steps_done', done=done_count, total=len(steps))})")
        with st.expander(t("workshop.dashboard.help_recent")):
            st.dataframe([{"at": e["at"][11:16], "kind": e["kind"]} for e in state["recent_events"]],
                         hide_index=True, width="stretch")
        with st.form("nudge_form", clear_on_submit=True):
            st.markdown(f"**{t('workshop.dashboard.nudge_title')}**")
            text = st.text_input(t("workshop.dashboard.nudge_text"), placeholder=t("workshop.dashboard.nudge_placeholder"),
                                 max_chars=nudges.NUDGE_MAX, key="nudge_text")
            send = st.form_submit_button(t("workshop.dashboard.nudge_send"), icon=":material/send:")
        if send:
            try:
                nudges.nudge(db, chosen_id, helped, text)
            except WorkshopError as error:
                show_refusal(error)
            else:
                st.success(t("workshop.dashboard.nudge_sent", name=names[helped]), icon=":material/check:")

# --- controls -----------------------------------------------------------------------------------------
with controls:
    st.subheader(t("workshop.controls.clock_title"))
    st.write(t("workshop.controls.clock_now", time=clock.now(db).strftime("%H:%M %d/%m/%Y")))
    st.caption(t("workshop.controls.clock_note"))
    minutes = st.number_input(t("workshop.controls.clock_minutes"), min_value=1, max_value=7 * 24 * 60, value=6,
                              step=1, key="clock_minutes")
    if st.button(t("workshop.controls.clock_move"), icon=":material/fast_forward:", key="clock_move"):
        try:
            moved = trainer.move_clock(db, chosen_id, minutes)
        except WorkshopError as error:
            show_refusal(error)
        else:
            st.success(t("workshop.controls.clock_moved", time=moved.strftime("%H:%M %d/%m/%Y")))

    st.divider()
    st.subheader(t("workshop.controls.approve_title"))
    st.write(t("workshop.controls.approve_body"))
    if st.button(t("workshop.controls.approve_button"), icon=":material/local_police:", key="bulk_approve"):
        count = trainer.bulk_approve(db, chosen_id)
        st.success(t("workshop.controls.approved", count=count), icon=":material/check:")

    st.divider()
    st.subheader(t("workshop.controls.end_title"))
    if current["status"] == "open":
        st.write(t("workshop.controls.end_body"))
        if st.button(t("workshop.controls.end_button"), icon=":material/stop_circle:", key="end_workshop"):
            trainer.end(db, chosen_id)
            st.session_state["trainer_flash"] = t("workshop.controls.ended")
            st.rerun()
    elif st.button(t("workshop.trainer.reopen"), icon=":material/replay:", key="reopen_workshop"):
        trainer.reopen(db, chosen_id)
        st.rerun()

    st.divider()
    st.subheader(t("workshop.controls.reset_title"))
    st.write(t("workshop.controls.reset_body"))
    confirm = st.checkbox(t("workshop.controls.reset_confirm"), key="reset_confirm")
    if st.button(t("workshop.controls.reset_button"), icon=":material/delete_sweep:", key="reset_workshop"):
        if not confirm:
            st.error(t("workshop.controls.reset_needs_confirm"), icon=":material/error:")
        else:
            count = trainer.reset(db, chosen_id)
            st.session_state["trainer_flash"] = t("workshop.controls.reset_done", count=count)
            st.session_state.pop("reset_confirm", None)
            st.rerun()
