"""Reading the sheets volunteers keep, CSV or XLSX, without letting one exhaust the laptop.

Files come as volunteers save them: UTF-8 (with or without BOM), UTF-16 (LE or BE, with or
without BOM: Notepad's and some phones' "Unicode"), or Windows-1258, in NFC or NFD. Each row
comes out as a list of cells in NFC.

Limits (issue 15): a file is refused with a message saying what and where before it can exhaust
the laptop: at most ``MAX_BYTES`` (the page's upload limit) and ``MAX_ROWS`` rows after the
header (counted by ``importer.plan``); an XLSX's zip is checked member by member before openpyxl
opens it (a 400 KB file held a 400 MB shared string) and its declared dimension is ignored (a
2 KB file declaring A1:XFD1048576 kept the import busy for minutes); a CSV is decoded as a
stream, and a cell Python's csv cannot hold or a quote never closed is refused with its row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from typing import Iterable

import openpyxl

from workbench.tracker.errors import ImportFileError

# --- limits (issue 15); the CLI raises MAX_BYTES and MAX_ROWS with --max-bytes and --max-rows ---
MAX_BYTES = 20 * 1024 * 1024  # the import page's upload limit (.streamlit/config.toml maxUploadSize = 20 MiB)
# A commune holds about 20,000 people (Ea Yông); 50,000 rows stay within 300 MB and 30 s.
MAX_ROWS = 50_000
MAX_COLUMNS = 64  # columns read in a row; the template has 13, an export 17
# An XLSX is a zip: each part may expand at most this many times (text compresses 5-20x; the
# 400 MB shared string compressed 1000x), the parts openpyxl reads whole (all but the sheets,
# which it streams) to MAX_BYTES each, and the whole archive to ZIP_TOTAL_FACTOR * MAX_BYTES.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM = 1024 * 1024  # smaller parts are never refused for their ratio
ZIP_TOTAL_FACTOR = 10
CSV_FIELD_LIMIT = csv.field_size_limit()  # Python's own (131,072); never changed: it is process-wide
UTF16_SAMPLE = 4096  # bytes looked at to tell UTF-16 without a BOM by its NUL bytes
UTF16_NUL_SHARE = 0.3  # of the characters with a NUL high byte: ASCII and Latin letters
CHUNK = 1 << 20  # bytes an encoding is checked by, so a 20 MB file is never decoded whole


def utf16_kind(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when ``data`` is UTF-16 text, with or without a BOM; else None.

    Without a BOM, UTF-16 is told by its NUL bytes: a sheet is mostly digits, commas and Latin
    letters, whose high byte is 0, so one byte in two is NUL, at odd offsets in LE and even ones
    in BE. UTF-8 and Windows-1258 text never holds a NUL.
    """
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    sample = data[:UTF16_SAMPLE]
    pairs = len(sample) // 2
    if not pairs:
        return None
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_odd >= pairs * UTF16_NUL_SHARE and nul_even <= pairs * 0.02:
        return "utf-16-le"
    if nul_even >= pairs * UTF16_NUL_SHARE and nul_odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _encoding(data: bytes) -> str:
    """The file's encoding, checked chunk by chunk (a 20 MB file is never decoded whole)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the BOM says which, and the codec reads it
    utf16 = utf16_kind(data)
    if utf16:
        return utf16
    if b"\x00" in data:
        # NUL bytes but not UTF-16's pattern: not a text file at all (read as UTF-8 it only
        # ever gave a confusing "missing columns").
        raise ImportFileError("tracker.import.error.encoding")
    for encoding in ("utf-8", "cp1258"):
        decoder = codecs.getincrementaldecoder(encoding)()
        view = memoryview(data)
        try:
            for first in range(0, len(data), CHUNK):
                decoder.decode(view[first:first + CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError("tracker.import.error.encoding")


def _nfc(values: list) -> list:
    # cp1258 and macOS write combining tone marks (NFD): one normalisation a cell makes them NFC.
    return [v if v.isascii() else unicodedata.normalize("NFC", v) for v in values[:MAX_COLUMNS]]


def _csv_rows(data: bytes) -> Iterable[list]:
    """The file's rows, decoded as they are read; a malformed CSV is refused with its row."""
    encoding = _encoding(data)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first = stream.readline(65536)
    stream.seek(0)
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    number = 0  # rows read, as the spreadsheet numbers them (blank lines included)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_refusal(str(error), number + 1) from None
        except UnicodeDecodeError:
            # UTF-16 cut short or damaged has its own message; anything else is the wrong encoding
            key = "tracker.import.error.utf16" if encoding.startswith("utf-16") else "tracker.import.error.encoding"
            raise ImportFileError(key, row=number + 1) from None
        number += 1
        yield _nfc(values)


def _csv_refusal(reason: str, row: int) -> ImportFileError:
    """Python's csv errors, said so that a volunteer can find and fix the row."""
    if "field limit" in reason:
        return ImportFileError("tracker.import.error.csv_field_too_long", row=row, limit=CSV_FIELD_LIMIT)
    if "end of data" in reason:
        return ImportFileError("tracker.import.error.csv_unclosed_quote", row=row)
    return ImportFileError("tracker.import.error.csv_malformed", row=row)


def check_zip(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an XLSX whose parts would expand beyond what the laptop can hold, before openpyxl
    reads any of them (it reads the shared strings whole)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        shared = _shared_strings_parts(archive, max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, UnicodeDecodeError):
        raise ImportFileError("tracker.import.error.not_xlsx") from None
    total = 0
    for member in members:
        size = member.file_size
        total += size
        streamed = member.filename.startswith("xl/worksheets/") and member.filename not in shared
        if (size > ZIP_RATIO_FROM and size > ZIP_MAX_RATIO * max(member.compress_size, 1)) \
                or (not streamed and size > max_bytes) or total > ZIP_TOTAL_FACTOR * max_bytes:
            raise ImportFileError("tracker.import.error.zip_bomb", part=member.filename,
                                  size_mb=round(size / 1e6), compressed_kb=round(member.compress_size / 1e3))


def _shared_strings_parts(archive: zipfile.ZipFile, max_bytes: int) -> set[str]:
    """The parts [Content_Types].xml names as shared strings: openpyxl reads them whole, whatever
    their name (a hostile file may put them among the worksheets)."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return set()
    if info.file_size > max_bytes:
        return set()  # refused by check_zip as a part read whole
    listing = archive.read(info).decode("utf-8", errors="replace")
    return {match.group(1) for tag in re.findall(r"<Override\b[^>]*>", listing) if "sharedStrings" in tag
            for match in [re.search(r'PartName="/?([^"]*)"', tag)] if match}


def _xlsx_rows(data: bytes, max_bytes: int = MAX_BYTES) -> Iterable[list]:
    check_zip(data, max_bytes)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError("tracker.import.error.not_xlsx") from None
    # The declared dimension (<dimension ref="A1:XFD1048576"/>) is the file's claim, not its
    # content: read the rows as they are, as wide as it says but at most MAX_COLUMNS.
    width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    sheet.reset_dimensions()
    try:
        for values in sheet.iter_rows(values_only=True, max_col=width):
            yield [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in values]
    except ImportFileError:
        raise
    except Exception:  # a broken part deep in the sheet
        raise ImportFileError("tracker.import.error.not_xlsx") from None
    finally:
        book.close()


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read_rows(data: bytes, filename: str = "", max_bytes: int = MAX_BYTES) -> Iterable[list]:
    if is_xlsx(data, filename):
        return _xlsx_rows(data, max_bytes)
    return _csv_rows(data)


def estimate_rows(data: bytes, filename: str = "") -> int:
    """About how many data rows a file holds, for a progress bar (0 when unknown)."""
    if is_xlsx(data, filename):
        return 0
    newline = {"utf-16-le": b"\n\x00", "utf-16-be": b"\x00\n"}.get(utf16_kind(data), b"\n")
    return max(0, data.count(newline) - 1)
