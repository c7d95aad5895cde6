"""Guided lessons (issue 6): lesson files checked against what the learner did in the sandbox.

A lesson is one TOML file in ``lessons/`` (Vietnamese and English in the same file, no code;
the format is in docs/lessons.md). Each step carries a declarative ``check`` over the sandbox
event log, so a step ticks itself when the learner really did it on the sandbox pages, never
because someone pressed "I did it". Only steps that cannot be seen in the sandbox (the
volunteers' role-play checklist) are ``manual``.

- ``model``: Lesson, Step, Question, and the two things that go wrong (LessonError, Problem);
- ``validator``: one file's TOML turned into a Lesson, or the problems with their lines;
- ``catalogue``: every lesson file in ``lessons/``, loaded once and found by id;
- ``checks``: whether a step's check holds over an event log;
- ``setups``: what some steps put in the sandbox when they become current;
- ``progress``: a learner's runs, ticked steps and quiz answers (the tables, the tick).
"""
