"""The dossiers' tables, their statuses, the event kinds they record and ``DossierError``.

Migration names are stored in every sandbox database: keep ``Migrations("dossiers")`` and
each function's name as they are, wherever this module moves.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

from workbench.errors import Refusal

migrations = Migrations("dossiers")

STATUSES = ["submitted", "received", "processing", "supplement_requested", "awaiting_payment",
            "result_ready", "returned", "refused"]
OPEN_STATUSES = ("submitted", "received", "processing")  # the legal clock runs
# The same list as SQL literals: SQLite uses a partial index only when the query repeats
# its WHERE terms literally (a bound parameter cannot prove the match).
OPEN_SQL = "(" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
KPI_COLUMNS = ("status", "workshop_id", "channel", "online_level", "fee", "paid_at", "paid_channel", "resolved_at",
               "due_date", "digitised", "rating")
DELIVERY = ("online", "post", "desk")

EVENT_KINDS = {
    "dossier.started": "a citizen started filing a procedure online (draft made)",
    "dossier.document_attached": "a document picture was attached (payload: document, variant)",
    "dossier.document_rejected": "an attachment was refused (payload: reason)",
    "dossier.submitted": "the citizen submitted the dossier (payload: due_date, fee)",
    "dossier.received": "the desk received the dossier",
    "dossier.refused": "the desk refused the dossier (payload: reason)",
    "dossier.supplement_requested": "the desk asked for a supplement (payload: note)",
    "dossier.supplemented": "the citizen answered a supplement request",
    "dossier.processing": "the desk started processing",
    "dossier.approved": "the desk approved the dossier",
    "dossier.result_ready": "the result is ready (after payment when a fee is due)",
    "dossier.result_returned": "the desk returned the result",
    "dossier.result_downloaded": "the citizen downloaded the electronic result",
    "dossier.overdue": "the dossier passed its due date while open",
    "dossier.apology_issued": "the desk issued the apology slip with a new date (payload: new_date)",
    "dossier.rated": "the citizen rated the service (payload: rating)",
    "dossier.paid": "a payment was recorded on the dossier (payload: channel, amount)",
    "dossier.payment_requested": "the desk asked the citizen to pay the fee on the portal (payload: amount)",
    "dossier.action_refused": "an action on a dossier was refused (payload: action, reason)",
}


class DossierError(Refusal):
    """A refused action or bad input; ``errors`` maps form field ids to their own message keys
    when a form page has several problems."""

    def __init__(self, key: str, errors: dict | None = None, **params):
        super().__init__(key, **params)
        self.errors = errors or {}
        self.event = None


@migrations()
def m001_dossiers(db):
    db["dossiers"].create(
        {
            "code": str, "persona_id": str, "workshop_id": str, "procedure_id": str, "field": str,
            "online_level": str, "channel": str, "status": str, "answers": str, "delivery": str,
            "fee": int, "paid_at": str, "paid_channel": str, "payment_id": str,
            "created_at": str, "submitted_at": str, "due_date": str, "received_at": str,
            "processing_at": str, "resolved_at": str, "returned_at": str, "refused_at": str,
            "refuse_reason": str, "supplement_note": str, "supplement_at": str, "supplement_from": str,
            "apology_due_date": str, "apology_at": str, "rating": int, "rating_comment": str,
            "digitised": int, "overdue_recorded": int, "updated_at": str,
        },
        pk="code",
        defaults={"digitised": 0, "overdue_recorded": 0, "fee": 0},
    )
    db["dossiers"].create_index(["status", "submitted_at"])
    db["dossiers"].create_index(["submitted_at"])
    db["dossiers"].create_index(["persona_id", "created_at"])
    db["dossiers"].create_index(["status", "due_date"])
    db["dossiers"].create_index(["workshop_id"])
    db["dossier_documents"].create(
        {"id": int, "code": str, "document": str, "variant": str, "source": str, "filename": str,
         "image": bytes, "at": str, "superseded": int},
        pk="id", defaults={"superseded": 0},
    )
    db["dossier_documents"].create_index(["code"])
    db["dossier_messages"].create(
        {"id": int, "code": str, "at": str, "actor": str, "key": str, "params": str},
        pk="id",
    )
    db["dossier_messages"].create_index(["code"])


@migrations()
def m002_supplement_watermark(db):
    # The last document id when a supplement was requested: a supplement must attach a newer
    # one. Comparing times failed when both happened within the same second (issue 4).
    db["dossiers"].add_column("supplement_doc_id", int)


@migrations()
def m003_desk_indexes(db):
    # The desk at 100,000 dossiers (bench/dossiers_scale.py): a covering index for the queue's
    # order and status filter, partial indexes over open dossiers only (overdue list, overdue
    # not yet recorded), the code's 8-character token for the search box, and a narrow
    # covering index the KPI aggregate scans instead of the wide rows.
    db.execute("create index dossiers_queue on dossiers(submitted_at, code, status)")
    db.execute(f"create index dossiers_open_due on dossiers(due_date) where status in {OPEN_SQL}")
    db.execute(f"create index dossiers_overdue_pending on dossiers(due_date) "
               f"where overdue_recorded = 0 and status in {OPEN_SQL}")
    db.execute("create index dossiers_token on dossiers(substr(code, 12))")
    db.execute(f"create index dossiers_kpi on dossiers({', '.join(KPI_COLUMNS)})")


@migrations()
def m004_payment_requested(db):
    # The portal's payment path (issue 13): the citizen pays only once the desk has asked
    # ("Yêu cầu thanh toán" in Quản lý hồ sơ); before that there is no "Thanh toán" button.
    db["dossiers"].add_column("payment_requested_at", str)
