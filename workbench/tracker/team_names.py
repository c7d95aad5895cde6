"""Team names as volunteers' sheets write them, and what the commune decided they mean (issue 15).

A sheet writes "Tổ 3" where the commune calls the team "Tổ CNS Thôn 3", or names a team the
commune has not entered yet. Refusing every such row made a whole real sheet create nobody;
guessing would put people in a team nobody chose. So the dry run asks the person importing:
map the value to a team, create a team of that name, or leave those people without a team.
The decision is kept in ``team_names`` and applies to every row with that value, in this file
and every later one, the way a village written in odd case is always the same village.
``suggest`` proposes a likely team for the person to confirm; nothing here applies a guess.

A decision is the id of an existing team, ``CREATE`` or ``NO_TEAM``; values are matched folded
(case, spaces and diacritics forgiven), like team and village names everywhere in the tracker.
"""

from __future__ import annotations

import re

from workbench import store, text
from workbench.tracker import audit, places, realtime
from workbench.tracker.errors import TrackerError

CREATE = "create"
NO_TEAM = "none"
MAX_NAME = 100  # characters of a team created from a sheet's value (a team's name is a label)
MAX_MAPPING = 300  # characters of one ``--team-map`` entry

# Words every team's or village's name shares ("Tổ CNS", "tổ công nghệ số cộng đồng", "thôn",
# "buôn"…): they say nothing about which team a value means, so a suggestion ignores them.
_GENERIC = frozenset(
    "to tocns cns congnghe cong nghe so dong doi nhom thon buon ban xom ap tieu khu dan pho team village".split())
_WORD = re.compile(r"[a-z]+|\d+")


def remembered(db) -> dict[str, int | str]:
    """Folded value → team id or ``NO_TEAM``: the decisions taken for earlier files. A decision
    whose team has since been deleted is forgotten, so its value is asked about again."""
    rows = db.execute("select n.value_folded, n.team_id from team_names n left join teams t on t.id = n.team_id "
                      "where n.team_id is null or t.id is not null")
    return {folded: NO_TEAM if team_id is None else team_id for folded, team_id in rows}


def _words(value) -> set[str]:
    """The words and numbers of a name, folded; "03" is the number 3, "Tổ3" is "tổ" and 3."""
    return {(w.lstrip("0") or "0") if w.isdigit() else w for w in _WORD.findall(text.fold(value))}


def suggest(db, values) -> dict[str, int | None]:
    """For each value, the one team whose name or village holds every word and number of the
    value that is not a generic word ("Tổ 3" → the team of "Thôn 3", not of "Thôn 13"), or
    whose village's code it is. None when no team fits, or several fit equally."""
    teams = list(db.query("select t.id, t.name, v.name as village_name, v.code from teams t "
                          "left join villages v on v.id = t.village_id order by t.id"))
    indexed = [(t["id"], _words(t["name"]), _words(t["village_name"] or ""), text.fold(t["code"] or ""))
               for t in teams]
    found = {}
    for value in values:
        folded = text.fold(value)
        by_code = [team_id for team_id, _, _, code in indexed if code and code == folded]
        wanted = _words(value) - _GENERIC
        found[value] = by_code[0] if len(by_code) == 1 else None
        if found[value] is not None or not wanted:
            continue
        fits = [(team_id, wanted <= own) for team_id, own, village, _ in indexed if wanted <= own | village]
        by_name = [team_id for team_id, own in fits if own]
        if len(fits) == 1:
            found[value] = fits[0][0]
        elif len(by_name) == 1:
            found[value] = by_name[0]
    return found


def check(db, decisions: dict, *, may_create: bool = True) -> dict[str, int | str]:
    """Decisions keyed by their folded value; refuses a team that does not exist and, for a
    user who may not administer the commune, a team to create."""
    team_ids = {row[0] for row in db.execute("select id from teams")}
    checked = {}
    for value, choice in decisions.items():
        if choice == CREATE and not may_create:
            raise TrackerError("tracker.error.forbidden", field="team", action="admin")
        if choice not in (CREATE, NO_TEAM) and choice not in team_ids:
            raise TrackerError("tracker.error.unknown_team", field="team", team=str(choice))
        checked[text.fold(value)] = choice
    return checked


def parse_mappings(db, entries) -> dict[str, int | str]:
    """``--team-map`` entries "VALUE=TEAM" (the commune's team name, typed however) or
    "VALUE=" (no team) as decisions by value."""
    decisions = {}
    for entry in entries or ():
        value, sep, team = str(entry).partition("=")
        value, team = text.clean(value), text.clean(team)
        if not sep or not value or len(str(entry)) > MAX_MAPPING:
            raise TrackerError("tracker.import.error.team_map", field="team", entry=text.clean(entry)[:80],
                               limit=MAX_MAPPING)
        decisions[text.fold(value)] = places.resolve_team(db, team) if team else NO_TEAM
    return decisions


def remember(db, decisions: dict[str, tuple[str, int | str]], *, actor: str) -> dict[str, int | None]:
    """Keep each decision (folded value → (value as written, choice)) for the next files; make
    the teams to create, each audited. Returns folded value → team id, None for no team.
    Runs inside the caller's transaction (the import's), so an import that fails keeps no
    decision and no team."""
    stamp = realtime.now_iso()
    team_of = {}
    with store.write(db):
        for folded, (value, choice) in decisions.items():
            if choice == CREATE:
                name = text.clean(value)[:MAX_NAME]
                team_id = db.execute("insert into teams (name, name_folded, village_id, is_demo) values (?, ?, null, 0)",
                                     [name, text.fold(name)]).lastrowid
                audit.record(db, actor, "import.team_created", "team", team_id)
            else:
                team_id = None if choice == NO_TEAM else choice
            db.execute("insert or replace into team_names (value_folded, value, team_id, decided_by, decided_at) "
                       "values (?, ?, ?, ?, ?)", [folded, text.clean(value), team_id, actor, stamp])
            audit.record(db, actor, "import.team_decided", "team", team_id, choice=choice if choice in (CREATE, NO_TEAM)
                         else "map")
            team_of[folded] = team_id
    return team_of
