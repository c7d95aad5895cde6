"""The procedure catalogue (thủ tục hành chính) from ``sandbox_data/procedures.toml``.

Data, not code: a trainer can correct a processing time or a document list in the TOML
without touching Python. Text in the catalogue is ``{vi, en}``; ``text(value, lang)``
picks one. Search ignores Vietnamese diacritics, because people type "khai sinh" as
"khai sinh", "khaisinh" or "khai sính" on a phone keyboard.
"""

from __future__ import annotations

from functools import lru_cache

from workbench import data as data_files, events
from workbench.errors import Refusal
from workbench.text import fold

PROCEDURES_FILE = data_files.SANDBOX_DATA / "procedures.toml"

EVENT_KINDS = {
    "catalogue.searched": "a persona searched the procedure catalogue (payload: text, field, results)",
    "procedure.viewed": "a persona opened a procedure's page (payload: procedure_id)",
}


class UnknownProcedure(Refusal, KeyError):
    def __init__(self, procedure_id: str):
        super().__init__("catalogue.error.unknown_procedure", procedure_id=procedure_id)


def text(value, lang: str = "vi") -> str:
    """``{"vi": …, "en": …}`` → the string in ``lang`` (Vietnamese when English is missing)."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("vi") or ""
    return "" if value is None else str(value)


@lru_cache(maxsize=2)  # the procedures, joined with their form pages once
def _data(path: str = str(PROCEDURES_FILE)) -> dict:
    data = data_files.load_file(path)
    procedures = []
    for raw in data["procedures"]:
        proc = dict(raw)
        proc["form_pages"] = [{"id": page_id, **data["pages"][page_id]} for page_id in raw["pages"]]
        proc["fields_all"] = [f for page in proc["form_pages"] for f in page["fields"]]
        procedures.append(proc)
    return {"procedures": procedures, "fields": data["fields"], "online_levels": data["online_levels"],
            "by_id": {p["id"]: p for p in procedures}}


def load() -> list[dict]:
    """Every procedure, in catalogue order."""
    return _data()["procedures"]


def get(procedure_id: str) -> dict:
    try:
        return _data()["by_id"][procedure_id]
    except KeyError:
        raise UnknownProcedure(procedure_id) from None


def fields() -> dict[str, dict]:
    """Field id (lĩnh vực) → its name ``{vi, en}``."""
    return _data()["fields"]


def online_levels() -> dict[str, dict]:
    return _data()["online_levels"]


def search(query: str = "", field: str | None = None) -> list[dict]:
    """Procedures whose name or keywords contain every word of ``query``, in ``field`` if given.

    Names matching come before keyword-only matches; an empty query lists the field.
    """
    words = fold(query).split()
    hits = []
    for proc in load():
        if field and proc["field"] != field:
            continue
        name = fold(text(proc["name"], "vi")) + " " + fold(text(proc["name"], "en"))
        haystack = name + " " + " ".join(fold(k) for k in proc["keywords"])
        compact = haystack.replace(" ", "")
        if all(w in haystack or w in compact for w in words):
            in_name = all(w in name for w in words)
            hits.append((0 if in_name else 1, proc))
    return [p for _, p in sorted(hits, key=lambda pair: pair[0])]


def record_search(db, persona_id: str | None, query: str, field: str | None, results: list[dict]) -> None:
    events.record(db, "catalogue.searched", persona_id=persona_id, text=query, field=field,
                  results=[p["id"] for p in results])


def record_view(db, persona_id: str | None, procedure_id: str) -> None:
    events.record(db, "procedure.viewed", persona_id=persona_id, procedure_id=procedure_id)
