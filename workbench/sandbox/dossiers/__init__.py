"""Dossiers (hồ sơ) filed on the sandbox portal and the one-stop desk that resolves them.

A dossier is a small state machine. ``transitions.TRANSITIONS`` says, for every action, who
may take it (the citizen — ``persona`` — or the desk: ``desk``/``trainer``), from which
statuses, and where it leads. A refused action raises ``schema.DossierError`` with a locale
key and records ``dossier.action_refused``, so a lesson can see a learner trying the wrong thing.

Codes are ``DVC-<yymmdd>-<8 random characters>``: one learner cannot open another's dossier
by typing a neighbour's code, and every citizen function takes the persona id and answers
"not found" for a dossier that is not theirs.

Due dates are counted in working days on the sandbox clock, skipping weekends and the
holidays in ``sandbox_data/holidays.toml``; a dossier received after 15:00 or on a day off
counts from the next working day. A supplement request stops the clock; the supplement
restarts it (Nghị định 61/2018/NĐ-CP, Điều 19). A dossier still open after its due date is
overdue (Quá hạn) and the desk must issue the apology slip with a new date.

The modules, each with one job:

- ``schema``: the tables, the statuses, the event kinds and ``DossierError``;
- ``rules``: working days and due dates, the fee, one form field's check;
- ``records``: reading a dossier (decorated with what is due) and writing one of its rows;
- ``transitions``: who may take which action from which status, and recording refusals;
- ``citizen``: the citizen's side — start, answers, attach, submit, supplement, rate;
- ``desk``: the desk's side — the queue, receive, refuse, process, approve, return, apology;
- ``papers``: the electronic result and the apology slip, as PDFs;
- ``samples``: the one way to file a sample dossier, and the trainer's exercises;
- ``kpis``: the figures the seeds report, in one SQL aggregate.
"""
