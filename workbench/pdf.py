"""PDF documents (receipts, results, handouts, certificates, reports) with Vietnamese text.

Every sandbox document is stamped MÔ PHỎNG — SANDBOX on every page, so a printed practice
receipt or certificate can never be mistaken for a real one.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
SANDBOX_STAMP = "MÔ PHỎNG — SANDBOX · KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"


class Document(FPDF):
    def __init__(self, *, sandbox: bool, title: str = "", orientation: str = "P"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.sandbox = sandbox
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_font("DejaVu", size=11)
        self.set_title(title)
        self.set_creator("Công dân số Workbench")
        self.set_auto_page_break(auto=True, margin=18)

    def header(self):
        if not self.sandbox:
            return
        self.set_fill_color(255, 212, 0)
        self.set_text_color(20, 20, 20)
        self.set_font("DejaVu", "B", 10)
        self.cell(0, 7, SANDBOX_STAMP, border=1, align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font("DejaVu", "", 11)

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        text = f"{self.page_no()}/{{nb}}"
        if self.sandbox:
            text = SANDBOX_STAMP + "   " + text
        self.cell(0, 6, text, align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font("DejaVu", "", 11)

    def paragraph(self, text: str, size: int = 11) -> None:
        self.set_font("DejaVu", "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def key_values(self, rows: list[tuple[str, str]], key_width: float = 60) -> None:
        for key, value in rows:
            self.set_font("DejaVu", "B", 10)
            y = self.get_y()
            self.multi_cell(key_width, 6, key, new_x="RIGHT", new_y="TOP")
            self.set_font("DejaVu", "", 10)
            self.multi_cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), y + 6))


def new_document(*, sandbox: bool, title: str = "", orientation: str = "P") -> Document:
    doc = Document(sandbox=sandbox, title=title, orientation=orientation)
    doc.alias_nb_pages()
    doc.add_page()
    return doc


def to_bytes(doc: FPDF) -> bytes:
    return bytes(doc.output())
