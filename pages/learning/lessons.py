"""The lesson player (issue 6): pick a lesson, practise on the sandbox, steps tick themselves.

Thin: the lesson engine is workbench/learning/lessons/. Where a learner is lives in SQLite (per
persona), so a reload — or the same ``?p=`` link on another day — continues the lesson.
``?lesson=<id>`` picks a lesson; a persona with a lesson in progress resumes it.
"""

import html
import json
import urllib.parse

import streamlit as st

from pages._ui import glossary
from pages._ui import plain, secrets, workshop_nudge as _workshop_nudge
from pages._ui.frame import page_setup, sandbox_db, t
from pages._ui.lesson_strip import page_link
from pages._ui.persona import current_persona, set_persona
from workbench import clock, i18n, network
from workbench.learning.lessons import catalogue, progress, validator
from workbench.sandbox import persona_secrets

SIZES = {"normal": 1.0, "large": 1.2, "huge": 1.45}
watching: list[str] = []  # the step watch_step polls for in this run, if any
VOICES = {"vi": "vi-VN", "en": "en-GB"}
# The step's own poll (a step done on another phone or by the trainer); it also looks for the
# trainer's messages. Each poll is a redraw on the phone: ~0.1 s of its CPU.
WATCH_SECONDS = 8

lang = page_setup(sandbox=False, polls=True)  # watch_step or _workshop_nudge.watch, below
st.title(t("lessons.title"))
glossary.explain("eid_level2", "passcode", "sim_verified", "online_partial", "payee")
db = sandbox_db()


def text_size_control() -> None:
    size = st.radio(t("lessons.text_size"), list(SIZES), key="lesson_text_size", horizontal=True,
                    format_func=lambda s: t(f"lessons.text_size_{s}"))
    scale = SIZES.get(size, 1.0)
    st.html(
        f"<style>[data-testid='stMain'] [data-testid='stMarkdownContainer'] p,"
        f"[data-testid='stMain'] [data-testid='stMarkdownContainer'] li {{ font-size: {scale:.2f}rem; "
        f"line-height: 1.5; }} .cds-step-do {{ font-size: {1.15 * scale:.2f}rem; font-weight: 600; }}"
        f".cds-resume-link {{ word-break: break-all; }}</style>")


def read_aloud(text: str) -> None:
    """A button that reads ``text`` with the browser's own speech synthesis (a vi-VN voice when
    the phone has one). Nothing leaves the phone: no speech service is called."""
    labels = {"read": t("lessons.read_aloud"), "stop": t("lessons.stop_reading"), "no_voice": t("lessons.no_voice")}
    st.iframe(f"""
<div style="font-family:sans-serif">
<button id="say" type="button" style="min-height:3rem;min-width:9rem;font-size:1.05rem;border-radius:.5rem;
  border:1px solid #1565c0;background:#e3f2fd;color:#0d47a1;cursor:pointer;display:inline-flex;align-items:center;gap:.4rem">
  <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor"
  d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"/></svg>
  <span id="label">{labels['read']}</span></button>
<span id="note" style="font-size:.8rem;color:#555;margin-left:.5rem"></span></div>
<script>
const text = {json.dumps(text)}, want = {json.dumps(VOICES.get(lang, 'vi-VN'))}, labels = {json.dumps(labels)};
const button = document.getElementById("say"), note = document.getElementById("note"), label = document.getElementById("label");
const synth = window.speechSynthesis;
if (!synth) {{ button.disabled = true; note.textContent = labels.no_voice; }}
button.onclick = () => {{
  if (synth.speaking) {{ synth.cancel(); label.textContent = labels.read; return; }}
  const say = new SpeechSynthesisUtterance(text);
  say.lang = want; say.rate = 0.9;
  const voice = synth.getVoices().find(v => (v.lang || "").replace("_", "-").toLowerCase().startsWith(want.slice(0, 2)));
  if (voice) {{ say.voice = voice; }} else {{ note.textContent = labels.no_voice; }}
  say.onend = () => {{ label.textContent = labels.read; }};
  synth.speak(say);
  label.textContent = labels.stop;
}};
</script>""", height=64)


def choose_lesson(lesson_id: str | None) -> None:
    if lesson_id:
        st.query_params["lesson"] = lesson_id
        st.session_state.pop("lesson_browse", None)
    else:
        st.query_params.pop("lesson", None)
        st.session_state["lesson_browse"] = True
    st.session_state.pop("lesson_quiz_feedback", None)
    st.rerun()


def show_problems(problems) -> None:
    if problems:
        st.warning(t("lessons.problems_title") + "\n\n" + "\n".join(f"- {p.message(lang)}" for p in problems),
                   icon=":material/warning:")


def lesson_list(found) -> None:
    st.write(t("lessons.intro"))
    if not found:
        st.info(t("lessons.no_lessons"))
    for lesson in found:
        with st.container(border=True):
            st.header(f"{lesson.number}. {lesson.title[lang]}")
            st.caption(" · ".join([t(f"lessons.audience.{lesson.audience}"),
                                   t("lessons.duration", minutes=lesson.duration_minutes),
                                   t("lessons.steps_count", count=len(lesson.steps))]))
            st.write(lesson.summary[lang])
            if lesson.bdhvs:  # the Bình dân học vụ số skill areas it practises (issue 13)
                names = dict(validator.bdhvs_areas(clock.now(sandbox_db()).date(), lang))
                st.caption(t("lessons.bdhvs", areas=", ".join(names.get(a, a) for a in lesson.bdhvs)))
            if st.button(t("lessons.choose"), key=f"pick_{lesson.id}", type="primary", width="stretch"):
                choose_lesson(lesson.id)


def start_screen(lesson, persona) -> None:
    st.header(f"{lesson.number}. {lesson.title[lang]}")
    st.caption(" · ".join([t(f"lessons.audience.{lesson.audience}"),
                           t("lessons.duration", minutes=lesson.duration_minutes)]))
    st.write(lesson.summary[lang])
    st.markdown(f"**{t('lessons.goals')}**\n\n" + "\n".join(f"- {g}" for g in lesson.goals[lang]))
    st.markdown(f"**{t('lessons.persona_title')}**")
    state_text = t(f"lessons.state.{lesson.starting_state}")
    if st.button(t("lessons.persona_new", state=state_text), key="lesson_new_persona", type="primary",
                 width="stretch"):
        made = progress.start_with_new_persona(db, lesson.id)
        set_persona(made["id"])
        st.query_params["lesson"] = lesson.id
        st.rerun()
    if persona is not None:
        if progress.persona_fits(db, persona["id"], lesson):
            if st.button(t("lessons.persona_keep", name=persona["display_name"]), key="lesson_keep_persona",
                         width="stretch"):
                progress.start(db, persona["id"], lesson.id)
                st.query_params["lesson"] = lesson.id
                st.rerun()
        else:
            st.caption(t("lessons.persona_not_fit", name=persona["display_name"], state=state_text))
    if st.button(t("lessons.other_lesson"), key="lesson_back_to_list"):
        choose_lesson(None)


def practice_card(persona, setup: dict) -> None:
    """What the learner needs to type on the sandbox pages: their persona's details, the
    practice secrets of the starting state, and what this lesson's setups handed over."""
    with st.expander(t("lessons.practice.title"), icon=":material/badge:"):
        rows = [(t("lessons.practice.name"), persona["full_name"]), (t("lessons.practice.cccd"), persona["cccd"]),
                (t("lessons.practice.phone"), persona["phone"])]
        st.markdown("\n".join(f"- {label}: **{value}**" for label, value in rows) + "\n"
                    + secrets.markdown_list(persona_secrets.secrets_of(db, persona["id"])))  # one list (issue 14)
        st.caption(t("lessons.practice.note"))
    shown = []
    if setup.get("code"):
        shown.append(t("lessons.practice.dossier_code", code=setup["code"],
                       amount=i18n.format_money(setup.get("amount", 0), lang)))
    if setup.get("qr_code"):
        shown.append(t("lessons.practice.qr_code", code=setup["qr_code"]))
    if setup.get("codes"):
        shown.append(t("lessons.practice.desk_codes", codes=", ".join(setup["codes"])))
    if shown:
        st.info("\n\n".join(shown), icon=":material/info:")
    if setup.get("qr_token"):
        st.markdown(f"[{t('lessons.practice.qr_link')}](pay?t={setup['qr_token']}&p={persona['id']})")
    if setup.get("error"):
        st.error(t(setup["error"]))


@st.fragment(run_every=WATCH_SECONDS)
def watch_step(persona_id: str, lesson_id: str, step_id: str, hints_seen: int) -> None:
    """Every few seconds: has the learner done the step (on another page or phone), or has the trainer
    sent a message? Then show it. (The page's only timer: see pages/_ui/workshop_nudge.py.)"""
    if _workshop_nudge.arrived(persona_id):
        st.rerun()
    # A timed rerun may run on another thread than the page did, and a SQLite connection
    # belongs to the thread that opened it: this thread's own (a hall of 40 phones hit it).
    fragment_db = sandbox_db()
    # Here a step done on a sandbox page or another phone ticks (docs/lessons.md, "How a step ticks").
    state = progress.evaluate(fragment_db, persona_id, lesson_id)
    now = state.current.id if state.current else None
    if now != step_id or len(state.hints.get(step_id, [])) != hints_seen:
        st.rerun()
    st.caption(t("lessons.waiting"))


def image_alt(image: str) -> str:
    """A lesson picture in words (its alt text): lessons.image_alt.<file name> in the locales;
    tests/test_image_alt.py checks every lesson picture has one."""
    return t(f"lessons.image_alt.{image.rsplit('/', 1)[-1].removesuffix('.svg')}")


def step_screen(lesson, state, persona) -> None:
    step = state.current
    index = lesson.steps.index(step) + 1
    st.markdown(f"### {t('lessons.step_of', n=index, total=len(lesson.steps))}")
    st.html(f"<p class='cds-step-do'>{html.escape(step.t('do', lang))}</p>")
    if step.image:
        st.image(str(catalogue.LESSONS_DIR / step.image), width=240, alt=image_alt(step.image))
    read_aloud(step.t("do", lang))
    for hint in state.hints.get(step.id, []):
        st.warning(f"**{t('lessons.hint_title')}:** {hint[lang]}", icon=":material/lightbulb:")
    if step.page:
        page_link(step.page, t("lessons.open_page"), ":material/open_in_new:", persona["id"])
    with st.expander(t("lessons.why")):
        st.write(step.t("why", lang))
    with st.expander(t("lessons.mistake")):
        st.write(step.t("mistake", lang))
        st.markdown(f"**{t('lessons.recover')}:** {step.t('recover', lang)}")
    if step.manual:
        st.caption(t("lessons.manual_note"))
        if st.button(t("lessons.manual_tick"), key=f"tick_{step.id}", type="primary", width="stretch"):
            progress.tick_manual(db, persona["id"], lesson.id, step.id)
            st.rerun()
    else:
        watch_step(persona["id"], lesson.id, step.id, len(state.hints.get(step.id, [])))
        watching.append(step.id)
    if st.toggle(t("lessons.show_trainer_notes"), key="lesson_trainer_notes"):
        st.info(step.t("trainer", lang), icon=":material/co_present:")


def steps_overview(lesson, state) -> None:
    with st.expander(t("lessons.all_steps")):
        for number, step in enumerate(lesson.steps, start=1):
            done = state.done[step.id] == "done"
            mark = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
            status = t("lessons.done_mark") if done else t("lessons.pending_mark")
            st.markdown(f"{mark} {number}. {step.t('do', lang)[:90]}… — *{status}*")


def quiz_screen(lesson, state, persona) -> None:
    feedback = st.session_state.get("lesson_quiz_feedback")
    if feedback and feedback["lesson"] == lesson.id:
        question = lesson.question(feedback["question"])
        if feedback["correct"]:
            st.success(t("lessons.quiz_right"), icon=":material/check_circle:")
        else:
            st.error(t("lessons.quiz_wrong", answer=question.options[lang][question.answer]), icon=":material/cancel:")
        st.write(question.explain[lang])
        if st.button(t("lessons.quiz_next"), key="lesson_quiz_next", type="primary", width="stretch"):
            st.session_state.pop("lesson_quiz_feedback", None)
            st.rerun()
        return
    question = state.quiz_pending[0]
    number = lesson.quiz.index(question) + 1
    st.header(t("lessons.quiz_title"))
    st.caption(t("lessons.question_of", n=number, total=len(lesson.quiz)))
    choice = st.radio(question.question[lang], range(len(question.options[lang])), index=None,
                      format_func=lambda i: question.options[lang][i], key=f"quiz_{lesson.id}_{question.id}")
    read_aloud(question.question[lang] + ". " + ". ".join(question.options[lang]))
    if st.button(t("lessons.quiz_submit"), key="lesson_quiz_submit", type="primary", width="stretch"):
        if choice is None:
            st.error(t("lessons.error.choose_an_answer"))
        else:
            correct = progress.answer(db, persona["id"], lesson.id, question.id, int(choice))
            st.session_state["lesson_quiz_feedback"] = {"lesson": lesson.id, "question": question.id,
                                                        "correct": correct}
            st.rerun()


def summary_screen(lesson, persona) -> None:
    result = progress.summary(db, persona["id"], lesson.id)
    st.success(t("lessons.completed"), icon=":material/celebration:")
    st.header(t("lessons.summary_title"))
    st.markdown("\n".join([
        f"- {t('lessons.summary_time', minutes=result['minutes'])}",
        f"- {t('lessons.summary_steps', done=result['steps_done'], total=result['steps_total'])}",
        f"- {t('lessons.summary_mistakes', mistakes=result['mistakes'], recovered=result['mistakes_recovered'])}",
        f"- {t('lessons.summary_hints', hints=result['hints_shown'])}",
        f"- {t('lessons.summary_quiz', score=result['quiz_score'], total=result['quiz_total'])}",
    ]))
    if st.button(t("lessons.other_lesson"), key="lesson_done_other", type="primary", width="stretch"):
        choose_lesson(None)


def player(lesson, persona) -> None:
    state = progress.evaluate(db, persona["id"], lesson.id)  # ticks what was done since the last run
    st.header(f"{lesson.number}. {lesson.title[lang]}")
    if persona["display_name"] and persona["display_name"] != persona["full_name"]:  # "Bà Lan" plays "Y Suôn Kpă"
        st.caption(t("lessons.playing_as_named", you=plain.md(persona["display_name"]), name=persona["full_name"]))
    else:
        st.caption(t("lessons.playing_as", name=persona["full_name"]))
    st.progress(state.steps_done / max(1, len(lesson.steps)),
                text=t("lessons.progress", done=state.steps_done, total=len(lesson.steps)))
    practice_card(persona, state.setup)
    feedback = st.session_state.get("lesson_quiz_feedback") or {}
    if feedback.get("lesson") == lesson.id:
        quiz_screen(lesson, state, persona)  # the answer's feedback first, even after the last question
    elif state.completed:
        summary_screen(lesson, persona)
    elif state.current is None:
        quiz_screen(lesson, state, persona)
    else:
        step_screen(lesson, state, persona)
    steps_overview(lesson, state)
    st.divider()
    st.caption(t("lessons.resume_link"))
    path = f"lessons?p={persona['id']}&lesson={lesson.id}"
    # Not st.code: st.code makes every phone fetch and compile Streamlit's 1.5 MB
    # syntax highlighter, which cost each joining phone ~0.45 s of CPU (bench/workshop_load.py).
    # st.html, not Markdown with HTML: that makes every phone fetch Streamlit's rehype-raw
    # (~63 KB, issue 14). The link is ours to write, so the address is HTML-escaped: the browser
    # reads "&amp;" back as "&" in the link a person taps.
    address = html.escape(urllib.parse.quote(network.public_url(path) or "/" + path, safe=":/?&=.-_~%"))
    st.html(f"<p><code class='cds-resume-link'><a href=\"{address}\" target=\"_blank\">{address}</a></code></p>")
    left, right = st.columns(2)
    if not state.completed and left.button(t("lessons.other_lesson"), key="lesson_other", width="stretch"):
        choose_lesson(None)
    if right.button(t("lessons.restart"), key="lesson_restart", width="stretch"):
        progress.start(db, persona["id"], lesson.id, restart=True)
        st.session_state.pop("lesson_quiz_feedback", None)
        st.rerun()


text_size_control()
found, problems = catalogue.load_all()
show_problems(problems)
persona = current_persona(db)
by_id = {lesson.id: lesson for lesson in found}
chosen = st.query_params.get("lesson")
if chosen is None and persona is not None and not st.session_state.get("lesson_browse"):
    running = progress.active(db, persona["id"])
    chosen = running["lesson_id"] if running else None  # a reload continues where the learner was
    if chosen:
        st.query_params["lesson"] = chosen  # and stays on it once the lesson is completed
if chosen and chosen not in by_id:
    st.error(t("lessons.error.unknown_lesson", lesson=chosen))
    chosen = None

if not chosen:
    lesson_list(found)
else:
    lesson = by_id[chosen]
    if persona is not None and progress.run(db, persona["id"], lesson.id):
        player(lesson, persona)
    else:
        start_screen(lesson, persona)
if not watching:  # no step to watch: only the trainer's messages (one timer a page)
    _workshop_nudge.watch_if_participant()
