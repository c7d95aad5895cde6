"""The workshop's report: attendance, completion per lesson and step, the common mistakes and
the time taken, as a table for the page, a CSV for Excel and a PDF for the commune office."""

from __future__ import annotations

import csv
import datetime as dt
import io

from workbench import i18n, pdf
from workbench.learning.lessons import catalogue, progress as lesson_progress
from workbench.learning.workshops import hall, progress


def report(db, workshop_id: str) -> dict:
    """Attendance, completion per lesson and step, common mistakes and time taken."""
    board = progress.dashboard(db, workshop_id)
    workshop = board["workshop"]
    planned = [catalogue.get(lesson_id) for lesson_id in hall.planned_lessons(workshop)]
    people = board["rows"]
    total = len(people)
    saved = lesson_progress.steps_done(db, [p["persona_id"] for p in people])
    runs = {(r[0], r[1]): r[2] for r in db.execute(
        "select r.persona_id, r.lesson_id, r.started_at from lesson_runs r join workshop_participants p "
        "on p.persona_id = r.persona_id where p.workshop_id = ?", [workshop_id])}
    joined = {p["persona_id"]: p for p in hall.participants(db, workshop_id)}
    steps = []
    for lesson in planned:
        for n, step in enumerate(lesson.steps, start=1):
            done = sum(1 for p in people if p["cells"].get((lesson.id, step.id)) == "done")
            stuck = sum(1 for p in people if p["cells"].get((lesson.id, step.id)) == "stuck")
            steps.append({"lesson_id": lesson.id, "step_id": step.id, "number": n, "done": done, "stuck": stuck,
                          "total": total, "share": (done / total) if total else 0.0})
    lesson_rows = []
    for lesson in planned:
        completed = sum(1 for p in people if all(p["cells"].get((lesson.id, s.id)) == "done" for s in lesson.steps))
        lesson_rows.append({"lesson_id": lesson.id, "completed": completed, "total": total,
                            "share": (completed / total) if total else 0.0})
    attendance = []
    for p in people:
        pid = p["persona_id"]
        minutes = 0.0
        for lesson in planned:
            started = runs.get((pid, lesson.id))
            done_times = [v["done_at"] for (q, l, _s), v in saved.items() if q == pid and l == lesson.id]
            if started and done_times:
                minutes += progress.minutes_between(started, dt.datetime.fromisoformat(max(done_times)))
        attendance.append({
            "persona_id": pid, "display_name": p["display_name"], "role": p["role"],
            "joined_at": joined[pid]["joined_at"], "steps_done": p["steps_done"], "steps_total": len(board["columns"]),
            "finished": p["status"] == "finished", "minutes": round(minutes, 1),
            "mistakes": sum(p["mistakes"].values()), "tracked": bool(joined[pid]["tracked_at"]),
        })
    mistakes: dict[str, dict] = {}
    for p in people:
        for kind, count in p["mistakes"].items():
            entry = mistakes.setdefault(kind, {"kind": kind, "count": 0, "participants": 0})
            entry["count"] += count
            entry["participants"] += 1
    common = sorted(mistakes.values(), key=lambda m: (-m["count"], m["kind"]))
    minutes = [a["minutes"] for a in attendance if a["finished"]]
    return {
        "workshop": workshop,
        "attendance": attendance,
        "joined": total,
        "finished": sum(1 for a in attendance if a["finished"]),
        "lessons": lesson_rows,
        "steps": steps,
        "mistakes": common,
        "median_minutes": (sorted(minutes)[len(minutes) // 2] if minutes else None),
    }


CSV_COLUMNS = ["display_name", "role", "joined_at", "steps_done", "steps_total", "finished", "minutes", "mistakes"]


def report_csv(db, workshop_id: str, data: dict | None = None) -> str:
    """The attendance table as CSV (UTF-8 with a BOM so Excel on Windows reads the diacritics).
    ``data`` is a ``report()`` the caller already has."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in (data or report(db, workshop_id))["attendance"]:
        writer.writerow({**row, "finished": int(row["finished"])})
    return "\ufeff" + out.getvalue()


def report_pdf(db, workshop_id: str, lang: str = "vi", data: dict | None = None) -> bytes:
    """A printable one-document report (the trainer hands it to the commune office)."""
    data = data or report(db, workshop_id)
    workshop = data["workshop"]
    t = lambda key, **p: i18n.t(f"workshop.{key}", lang, **p)  # noqa: E731
    doc = pdf.new_document(sandbox=True, title=t("report.title"))
    doc.heading(f"{t('report.title')}: {workshop['name']}")
    doc.key_values([
        (t("field.place"), workshop["place"]),
        (t("field.date"), i18n.format_date(dt.date.fromisoformat(workshop["date"]), lang)),
        (t("report.joined"), str(data["joined"])),
        (t("report.finished"), str(data["finished"])),
    ])
    doc.ln(3)
    doc.heading(t("report.completion_title"), 13)
    for lesson in data["lessons"]:
        title = catalogue.get(lesson["lesson_id"]).title[lang]
        doc.paragraph(f"{title}: {lesson['completed']}/{lesson['total']}")
        for step in [s for s in data["steps"] if s["lesson_id"] == lesson["lesson_id"]]:
            doc.paragraph(f"   {t('step_label', n=step['number'])} {step['step_id']}: {step['done']}/{step['total']}",
                          size=10)
    doc.heading(t("report.mistakes_title"), 13)
    if not data["mistakes"]:
        doc.paragraph(t("report.no_mistakes"))
    for mistake in data["mistakes"]:
        doc.paragraph(f"{mistake_label(mistake['kind'], lang)}: {mistake['count']} "
                      f"({t('report.people', n=mistake['participants'])})")
    doc.heading(t("report.attendance_title"), 13)
    for row in data["attendance"]:
        mark = "✓" if row["finished"] else "…"
        doc.paragraph(f"{mark} {row['display_name']} — {t('role.' + row['role'])} — "
                      f"{row['steps_done']}/{row['steps_total']} — {row['minutes']:g} {t('report.minutes_unit')}",
                      size=10)
    return pdf.to_bytes(doc)


def mistake_label(kind: str, lang: str = "vi") -> str:
    key = f"workshop.mistake.{kind.replace('.', '_')}"
    return i18n.t(key, lang) if i18n.has(key, lang) or i18n.has(key) else kind

