"""Builders of the files that exhausted the laptop (issue 15, items 2–5), small enough to read.

Each writes one file to ``path`` and takes its size as a parameter: the tests build small
ones in ``tmp_path``, ``bench/hostile_files.py`` the full-size ones the issue measured. The
XLSX builders write the zip's parts by hand (streamed, never held whole in memory), because
openpyxl cannot write the lies a hostile file tells: a declared dimension far beyond its cells,
one shared string of hundreds of megabytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from workbench.tracker.importer import TEMPLATE_HEADERS

VILLAGE = "Thôn 1"  # a village of the demo commune (sandbox_data/commune.toml)
CHUNK = 1 << 20

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _inline(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _row(values, number: int) -> str:
    return f'<row r="{number}">' + "".join(_inline(v) for v in values) + "</row>"


def person(name="Nguyễn Văn An", village=VILLAGE) -> list[str]:
    return [name, "1980", "Nam", "Kinh", village, "", "x", "", "", "", "", "15/03/2025", ""]


def _write_parts(zf: zipfile.ZipFile, sheet_chunks, shared_chunks=()) -> None:
    zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
    zf.writestr("_rels/.rels", _RELS)
    zf.writestr("xl/workbook.xml", _WORKBOOK)
    zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
        for chunk in shared_chunks or ['<?xml version="1.0" encoding="UTF-8"?>'
                                       '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>']:
            part.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
        for chunk in sheet_chunks:
            part.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)


def _xlsx(path: Path, sheet_chunks, shared_chunks=()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        _write_parts(zf, sheet_chunks, shared_chunks)
    return path


def declared_dimension_xlsx(path: Path, last_row: int = 1_048_576) -> Path:
    """A header, one person, and one cell at XFD{last_row}; the sheet declares A1:XFD{last_row}."""
    return _xlsx(path, [_SHEET_START, f'<dimension ref="A1:XFD{last_row}"/><sheetData>',
                        _row(TEMPLATE_HEADERS, 1), _row(person(), 2),
                        f'<row r="{last_row}"><c r="XFD{last_row}" t="inlineStr"><is><t>x</t></is></c></row>',
                        "</sheetData></worksheet>"])


def shared_string_bomb_xlsx(path: Path, length: int = 400_000_000, block: bytes = b"A" * CHUNK) -> Path:
    """One person whose name is shared string 0: ``length`` letters, ``block`` repeated (the
    default compresses ~1000:1; a block of random letters hardly compresses)."""
    def shared():
        yield ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
        left = length
        chunk = block * (CHUNK // len(block) + 1)
        while left > 0:
            yield chunk[:min(left, CHUNK)]
            left -= CHUNK
        yield "</t></si></sst>"

    cells = "".join(_inline(v) for v in person()[1:])
    return _xlsx(path, [_SHEET_START, "<sheetData>", _row(TEMPLATE_HEADERS, 1),
                        f'<row r="2"><c t="s"><v>0</v></c>{cells}</row>', "</sheetData></worksheet>"], shared())


def many_rows_xlsx(path: Path, rows: int = 5_000_000) -> Path:
    """A header and ``rows`` copies of one person (cells are shared strings), in a few megabytes."""
    values = person()
    strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
               f'2006/main">' + "".join(f"<si><t>{escape(v)}</t></si>" for v in values) + "</sst>")

    def sheet():
        yield _SHEET_START + "<sheetData>" + _row(TEMPLATE_HEADERS, 1)
        body = "<row>" + "".join(f'<c t="s"><v>{n}</v></c>' if v else "<c/>" for n, v in enumerate(values)) + "</row>"
        block = body * 1000
        for first in range(0, rows, 1000):
            yield block if rows - first >= 1000 else body * (rows - first)
        yield "</sheetData></worksheet>"

    return _xlsx(path, sheet(), [strings])


def long_name_xlsx(path: Path, length: int = 5_242_880) -> Path:
    """One person whose name (an inline string) is ``length`` characters long."""
    name = ("Nguyễn Văn An " * (length // 14 + 1))[:length]
    return _xlsx(path, [_SHEET_START, "<sheetData>", _row(TEMPLATE_HEADERS, 1), _row(person(name), 2),
                        "</sheetData></worksheet>"])


def _csv(path: Path, rows) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def long_name_csv(path: Path, length: int = 5_000) -> Path:
    name = ("Nguyễn Văn An " * (length // 14 + 1))[:length]
    return _csv(path, [person(), person(name)])


def huge_field_csv(path: Path, length: int = 200_000) -> Path:
    """Row 3 holds a quoted name of ``length`` characters: more than Python's csv allows."""
    return _csv(path, [person(), person("A" * length), person("Lê Thị Bình")])


def unclosed_quote_csv(path: Path, rows_after: int = 5) -> Path:
    """Row 3 opens a quote it never closes; the rows after it would be swallowed into one name."""
    text = (",".join(TEMPLATE_HEADERS) + "\r\n" + ",".join(person()) + "\r\n"
            + '"Lê Thị Bình,1980,Nữ,Kinh,' + VILLAGE + ",,x,,,,,15/03/2025,\r\n"
            + "".join(",".join(person(f"Người {n}")) + "\r\n" for n in range(rows_after)))
    path.write_bytes(text.encode("utf-8"))
    return path
