"""Printable client documents (fpdf2): the profile / intake form in English or French, and
the registration receipt. Uses DejaVu Sans when the system has it (any script prints);
otherwise a core font with non-Latin text transliterated."""

from datetime import date
from pathlib import Path

from flask_babel import force_locale, lazy_gettext
from fpdf import FPDF
from unidecode import unidecode

from models.client_profile import as_text, summary

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
LABEL_WIDTH, LINE = 65, 6  # mm

# The documents' own words; the profile's labels come from models/client_profile.py. Both are
# in the message catalogue: a document is written in its language (``lang``), not the page's.
LABELS = {
    "profile": lazy_gettext("Client profile"),
    "receipt": lazy_gettext("Registration receipt"),
    "number": lazy_gettext("Registration number"),
    "registered": lazy_gettext("Registration date"),
    "site": lazy_gettext("Registration site"),
    "name": lazy_gettext("Name"),
    "consent": lazy_gettext("Privacy statement accepted"),
    "contacts": lazy_gettext("Emergency contacts"),
    "printed": lazy_gettext("Printed"),
    "yes": lazy_gettext("Yes"),
    "no": lazy_gettext("No"),
    "kept": lazy_gettext("Keep this receipt. Quote your registration number when you contact us."),
    "agency_address": lazy_gettext("Address"),
    "agency_phone": lazy_gettext("Phone"),
}
LOCALES = {"en": "en", "fr": "fr_CA"}


class Document(FPDF):
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


def in_language(lang):
    """Write a document in ``lang`` (``en`` or ``fr``), whatever the interface's language."""
    return force_locale(LOCALES.get(lang, "en"))


def profile_rows(client, lang="en", printed_only=True):
    """``[(section or None, label, text)]``: the registration number, the profile as the
    description lays it out (list values in the document's language), then the privacy consent
    and the emergency contacts."""
    with in_language(lang):
        words = {key: str(text) for key, text in LABELS.items()}
        rows = [(None, words["number"], client.registration_number)]
        for title, lines in summary(client, printed_only=printed_only, locale=LOCALES.get(lang, "en")):
            rows += [(str(title), str(label), as_text(value, words["yes"], words["no"], "-")) for label, value in lines]
    consent = f"{client.privacy_consent_at:%Y-%m-%d} (v{client.privacy_consent_version})" if client.privacy_consent_at else "-"
    contacts = "; ".join(str(c) for c in client.emergency_contacts) or "-"
    return rows + [(None, words["consent"], consent), (None, words["contacts"], contacts)]


def write_rows(pdf, rows):
    """Rows under their section headings."""
    section = None
    for title, label, value in rows:
        if title != section:
            pdf.heading(title) if title else pdf.ln(3)
        section = title
        pdf.row(label, value)


def client_profile_pdf(client, agency, lang="en"):
    """The full profile, printable as an intake form; ``lang`` is ``en`` or ``fr``."""
    with in_language(lang):
        words = {key: str(text) for key, text in LABELS.items()}
    pdf = Document(words["profile"], agency.name)
    write_rows(pdf, profile_rows(client, lang))
    pdf.ln(4)
    pdf.row(words["printed"], date.today())
    return bytes(pdf.output())


def registration_receipt_pdf(client, agency, lang="en"):
    """A short receipt: who registered, when and where, with the registration number."""
    with in_language(lang):
        words = {key: str(text) for key, text in LABELS.items()}
        name = str(client.display_name)
    pdf = Document(words["receipt"], agency.name)
    for label, value in (
        (words["name"], name),
        (words["number"], client.registration_number),
        (words["registered"], client.registration_date),
        (words["site"], client.registration_site),
    ):
        pdf.row(label, value)
    pdf.ln(4)
    pdf.set_font(pdf.family, "", 10)
    pdf.multi_cell(0, 6, pdf.clean(words["kept"]))
    pdf.ln(2)
    pdf.row(agency.name, "")  # how to reach the agency: its address and phone
    pdf.row(words["agency_address"], agency.address)
    pdf.row(words["agency_phone"], agency.phone)
    return bytes(pdf.output())
