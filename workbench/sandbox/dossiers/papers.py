"""The papers a dossier yields, as PDFs marked SANDBOX: the electronic result (for the citizen
to download, and for the desk before returning it) and the apology slip of a late dossier.

Drawing them is ``workbench.sandbox.documents``'s job; this module says when each exists.
"""

from __future__ import annotations

from workbench.sandbox import documents, personas
from workbench.sandbox.dossiers import records
from workbench.sandbox.dossiers.schema import DossierError
from workbench.sandbox.dossiers.transitions import recorded, refuse_action


@recorded
def result_pdf(db, persona_id: str, code: str, lang: str = "vi") -> bytes:
    """The electronic result (PDF marked SANDBOX) once the result is ready; records nothing,
    so a page can draw the download button on every run. ``record_download`` records the click."""
    row = records.get_own(db, persona_id, code)
    if row["status"] not in ("result_ready", "returned"):
        refuse_action(db, row, "download_result", "persona", "dossiers.error.no_result_yet")
    return documents.result_pdf(row, personas.get(db, persona_id), lang)


def record_download(db, persona_id: str, code: str) -> None:
    row = records.get_own(db, persona_id, code)
    records.log(db, "dossier.result_downloaded", row, "persona")


def download_result(db, persona_id: str, code: str, lang: str = "vi") -> bytes:
    """The electronic result, recording ``dossier.result_downloaded``."""
    data = result_pdf(db, persona_id, code, lang)
    record_download(db, persona_id, code)
    return data


def desk_result_pdf(db, code: str, lang: str = "vi") -> bytes:
    """The result as the desk sees it before returning it (same document)."""
    row = records.get(db, code)
    if row is None or row["status"] not in ("result_ready", "returned"):
        raise DossierError("dossiers.error.no_result_yet")
    return documents.result_pdf(row, personas.get(db, row["persona_id"]), lang)


def apology_slip(db, code: str, lang: str = "vi") -> bytes:
    """The apology slip of a dossier that has one (PDF marked SANDBOX)."""
    row = records.get(db, code)
    if row is None or not row.get("apology_due_date"):
        raise DossierError("dossiers.error.no_apology")
    return documents.apology_pdf(row, personas.get(db, row["persona_id"]), lang)
