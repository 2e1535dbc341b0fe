"""The one page layout of every printed document (fpdf2's ``FPDF``): the agency's name, the
title, label-and-value rows and headings. Imported by ``exports/pdf.py`` with the first
document a process prints, so that a process that never prints does not hold fpdf2 (about
18 MiB: bench/README.md, "The xlsx export of 1,000,000 sessions")."""

from pathlib import Path

from fpdf import FPDF
from unidecode import unidecode

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
LABEL_WIDTH, LINE = 65, 6  # mm


class PrintedDocument(FPDF):
    """Letter pages in DejaVu Sans when the system has it (any script prints), else a core
    font with non-Latin text transliterated."""

    LINE = LINE  # mm, for the callers' own cells

    def __init__(self, title, agency_name):
        super().__init__(format="Letter")
        self.unicode = UNICODE_FONT.exists() and UNICODE_BOLD.exists()
        if self.unicode:
            self.add_font("Body", "", str(UNICODE_FONT))
            self.add_font("Body", "B", str(UNICODE_BOLD))
        self.family = "Body" if self.unicode else "Helvetica"
        self.set_title(self.clean(title))
        self.add_page()
        self.set_font(self.family, "B", 16)
        self.cell(0, 10, self.clean(agency_name), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "B", 13)
        self.cell(0, 8, self.clean(title), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def clean(self, text):
        text = "" if text is None else str(text)
        return text if self.unicode else unidecode(text).encode("latin-1", "replace").decode("latin-1")

    def row(self, label, value):
        """A label and its value side by side, either wrapping onto more lines when long."""
        label, value = self.clean(label), self.clean(value if value not in (None, "") else "-")
        value_width = self.epw - LABEL_WIDTH
        self.set_font(self.family, "B", 10)
        height = self.multi_cell(LABEL_WIDTH, LINE, label, dry_run=True, output="HEIGHT")
        self.set_font(self.family, "", 10)
        height = max(height, self.multi_cell(value_width, LINE, value, dry_run=True, output="HEIGHT"))
        if self.will_page_break(height):
            self.add_page()
        top = self.get_y()
        self.set_font(self.family, "B", 10)
        self.multi_cell(LABEL_WIDTH, LINE, label, new_x="RIGHT", new_y="TOP")
        self.set_font(self.family, "", 10)
        self.multi_cell(value_width, LINE, value, new_x="LMARGIN", new_y="NEXT")
        self.set_xy(self.l_margin, top + height + 1)

    def heading(self, text):
        self.ln(3)
        self.set_font(self.family, "B", 12)
        self.cell(0, 8, self.clean(text), new_x="LMARGIN", new_y="NEXT")
