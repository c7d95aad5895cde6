"""Export the tracker's citizens as CSV or XLSX (issue 8).

The columns are the import template's (plus SIM, first online dossier, the CCCD's last four
digits and Bình dân học vụ số, issue 13, last so the earlier columns keep their places), so an
export can be imported again. No cell is ever a formula: a value that
starts with = + - @ tab or CR, or a look-alike that spreadsheets fold to one (full-width ＝ ＋ －
＠ and others, issue 15; ``formulas.needs_guard``), is written with a leading apostrophe (OWASP's
advice), which the importer removes again (a value starting with an apostrophe gets one more,
so it survives).
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from workbench.tracker import audit, citizens
from workbench.tracker.formulas import neutralise
from workbench.tracker.importer import EXTRA_HEADERS, TEMPLATE_HEADERS

HEADERS = TEMPLATE_HEADERS + EXTRA_HEADERS
BATCH = 5000


def _rows(db, scope: citizens.Scope):
    """Export rows, one per citizen, streamed in batches (never all rows in memory at once).

    A citizen's milestones can have different dates; the row's "Ngày" is the latest and each
    ticked column says "x". Re-importing gives every milestone that date at the latest, so the
    exact per-milestone dates are in the per-citizen export (JSON) and the database itself.
    """
    where, params = "1", []
    if scope.village_ids is not None:
        where = f"c.village_id in ({','.join('?' * len(scope.village_ids))})" if scope.village_ids else "0"
        params = list(scope.village_ids)
    last_id = 0
    while True:
        batch = list(db.query(
            "select c.*, v.name as village_name, t.name as team_name from citizens c "
            "left join villages v on v.id = c.village_id left join teams t on t.id = c.team_id "
            f"where {where} and c.id > ? order by c.id limit {BATCH}", [*params, last_id]))
        if not batch:
            return
        for c in batch:
            dates = [c[f"m_{m}"] for m in ("vneid2", "dvc", "health_book", "bank", "wallet", "sim", "dossier", "bdhvs")]
            ticks = ["x" if d else "" for d in dates]
            latest = max((d for d in dates if d), default="")
            phone = citizens.mask_phone(c["phone"]) if scope.mask_phones else (c["phone"] or "")
            row = [c["full_name"], c["birth_year"], "Nữ" if c["gender"] == "nữ" else "Nam", c["ethnicity"],
                   c["village_name"], phone, *ticks[:5], _ddmmyyyy(latest), c["team_name"] or "", ticks[5],
                   ticks[6], c["cccd_last4"] or "", ticks[7]]
            yield [neutralise(v) for v in row]
        last_id = batch[-1]["id"]


def _ddmmyyyy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


def to_csv(db, scope: citizens.Scope = citizens.Scope(), actor: str = "?") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    count = 0
    for row in _rows(db, scope):
        writer.writerow(row)
        count += 1
    audit.record(db, actor, "export.csv", "citizen", None, rows=count)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(db, scope: citizens.Scope = citizens.Scope(), actor: str = "?") -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Công dân số")
    sheet.append(HEADERS)
    count = 0
    for row in _rows(db, scope):
        cells = []
        for value in row:
            cell = openpyxl.cell.WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a string, never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
        count += 1
    out = io.BytesIO()
    book.save(out)
    audit.record(db, actor, "export.xlsx", "citizen", None, rows=count)
    return out.getvalue()


def citizen_json(db, citizen_id: int, actor: str) -> bytes:
    """Everything held about one person, as a JSON file they can take away."""
    return json.dumps(citizens.export(db, citizen_id, actor), ensure_ascii=False, indent=2).encode("utf-8")
