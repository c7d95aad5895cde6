"""docs/rules.md, generated from ``sandbox_data/rules/*.toml``: every rule, its versions, their
dates, source and confidence (issue 13).

The doc is never edited by hand, so it cannot drift from the data: tests/test_rules_doc.py fails
when the committed file differs from what ``render()`` makes now. Several people add rule files
at the same time; whoever merges regenerates with one command:

    python -m workbench rules --doc > docs/rules.md
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbench import rules

COMMAND = "python -m workbench rules --doc > docs/rules.md"


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _cell(value) -> str:
    if isinstance(value, dict) and set(value) <= {"vi", "en"}:
        value = " / ".join(str(value[k]) for k in ("vi", "en") if k in value)
    elif isinstance(value, dict):
        value = ", ".join(f"{k} = {v}" for k, v in value.items())
    return str(value).replace("|", "\\|").replace("\n", " ")


def _source(source: dict) -> str:
    parts = [source.get("document"), source.get("issuer"), _day(source.get("date")) if source.get("date") else None,
             source.get("title")]
    text = ", ".join(str(p) for p in parts if p)
    if source.get("url"):
        text += f" <{source['url']}>"
    return _cell(text)


def render(folder: Path | str = rules.RULES_DIR) -> str:
    """The whole of docs/rules.md, as text."""
    found = rules.load(folder)
    lines = ["# Rules in force, by date", "",
             "Generated from `sandbox_data/rules/*.toml` by `workbench/rules_doc.py`; do not edit by hand.",
             f"Regenerate: `{COMMAND}`.", "",
             "Each rule has one version a period. The sandbox applies the version in force on the sandbox "
             "clock's date. `unconfirmed`: we could not read it in a published source; the trainer is told, "
             "the learner is not.", ""]
    by_file: dict[str, list[rules.Rule]] = {}
    for rule in found:
        by_file.setdefault(rule.file, []).append(rule)
    for file in sorted(by_file):
        lines += [f"## {file}", ""]
        current = None
        for rule in by_file[file]:
            if rule.id != current:
                current = rule.id
                lines += [f"### `{rule.id}` ({rule.kind})", "",
                          "| from | to | value | confidence | checked | source |", "|---|---|---|---|---|---|"]
            lines.append(f"| {_day(rule.valid_from)} | {_day(rule.valid_to)} | {_cell(rule.value)} | "
                         f"{rule.confidence} | {_day(rule.checked_on)} | {_source(rule.source)} |")
            if rule.note:
                lines.append(f"| | | *{_cell(rule.note)}* | | | |")
            nxt = [r for r in by_file[file] if r.id == rule.id]
            if rule is nxt[-1]:
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
