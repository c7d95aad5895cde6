"""A simulated workshop (the notebook, demos, the report tests): people join, make the usual
mistakes and stop at different steps, all through the domain functions the pages call."""

from __future__ import annotations

import datetime as dt
import random

from workbench import clock
from workbench.learning.lessons import progress as lesson_progress
from workbench.learning.workshops import hall
from workbench.sandbox import eid, otp, personas, scenarios


def simulate(db, workshop_id: str, participants_count: int = 8, seed: int = 7, minutes: bool = False) -> list[str]:
    """Run a plausible VNeID-activation workshop on the domain: people join, some mistype the
    CCCD, the OTP or a weak password, some stop half-way. Deterministic for a seed (apart from
    the random personas). With ``minutes`` the sandbox clock moves 1–2 minutes after each
    action, so times per step look like a real evening. Returns the persona ids."""
    rng = random.Random(seed)
    workshop = hall.require(db, workshop_id)
    planned = hall.planned_lessons(workshop)
    creds = scenarios.credentials()
    names = ["Bà Lan", "Ông Tư", "Chị Hoa", "Anh Minh", "Bà H'Nhi", "Ông Y Kriêng", "Chị Mai", "Anh Sáng",
             "Em Thảo", "Cô Liên", "Chú Ba", "Bà Hương"]
    made = []

    def act(pid, action, *args, mistake=False):
        try:
            action(db, pid, *args)
        except Exception:
            if not mistake:
                raise
        if minutes:
            clock.advance(db, dt.timedelta(minutes=rng.randint(1, 2)))
        for lesson_id in planned:
            if lesson_progress.run(db, pid, lesson_id):
                lesson_progress.evaluate(db, pid, lesson_id)

    for n in range(participants_count):
        joined = hall.join(db, workshop["join_code"], names[n % len(names)], "volunteer" if n % 4 == 3 else "citizen")
        pid = joined["persona_id"]
        made.append(pid)
        person = personas.get(db, pid)
        if eid.account(db, pid)["registration"] != "approved" and eid.level(db, pid) < 2:
            eid.approve_registration(db, pid, actor="trainer")
        reach = rng.choice([1, 2, 3, 4, 5, 6, 6, 6])
        if eid.level(db, pid) >= 2:
            continue
        if rng.random() < 0.4:
            act(pid, eid.start_activation, person["cccd"][:9], person["phone"], mistake=True)
        act(pid, eid.start_activation, person["cccd"], person["phone"])
        if reach < 2:
            continue
        if rng.random() < 0.5:
            act(pid, eid.confirm_activation_otp, "000000", mistake=True)
        act(pid, eid.confirm_activation_otp, otp.latest_code_for_tests(db, pid, "eid_activation"))
        if reach < 3:
            continue
        if eid.step(db, pid) == "password":  # a level-1 account already has one
            if rng.random() < 0.5:
                act(pid, eid.set_password, "12345678", "12345678", mistake=True)
            act(pid, eid.set_password, creds["vneid_password"], creds["vneid_password"])
        if reach < 4:
            continue
        if rng.random() < 0.3:
            act(pid, eid.set_passcode, creds["passcode"], "000000", mistake=True)
        act(pid, eid.set_passcode, creds["passcode"], creds["passcode"])
        if reach < 5:
            continue
        act(pid, eid.set_security_questions, dict(list(creds["security_answers"].items())[:2]))
        if reach < 6:
            continue
        act(pid, eid.login, person["cccd"], creds["vneid_password"])
    return made
