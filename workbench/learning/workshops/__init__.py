"""Workshops (issue 7): a hall full of phones, one trainer's laptop.

A trainer creates a workshop (name, place, date, planned lessons, the personas' starting
state); phones join with a short code (the projector shows it as a QR and in big digits),
each getting a fresh sandbox persona in the planned state and landing in the first lesson.
The persona id is the participant's resume token: progress lives in SQLite, never in a
Streamlit session, because a phone that sleeps loses its session after
``server.disconnectedSessionTTL``.

The dashboard, the report, the certificates and the reset all work on one workshop's
personas (``personas.workshop_id``) and events (``events.workshop_id``); nothing here reads
or writes another workshop, and the tracker is only touched by ``to_tracker.add_to_tracker``
through ``tracker_auth.add_citizen`` on the tracker's own connection.

- ``hall``: the workshops (their tables and event kinds), joining, participants, resuming;
- ``nudges``: the trainer's short messages to one participant's phone;
- ``trainer``: the trainer's controls (clock, bulk approval, end, reopen, reset);
- ``progress``: live progress, the trainer's dashboard, one participant's state;
- ``report``: attendance, completion and mistakes, as a table, CSV and PDF;
- ``certificates``: certificates of completion and their verification codes;
- ``simulate``: a plausible workshop played on the domain (the notebook, demos, tests).
"""
