"""Printable client documents (fpdf2): the profile / intake form in English or French, and
the registration receipt. Uses DejaVu Sans when the system has it (any script prints);
otherwise a core font with non-Latin text transliterated."""

from datetime import date

from flask_babel import force_locale, lazy_gettext

from models.client_profile import as_text, summary

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


def Document(title, agency_name):  # noqa: N802 - called as the class it makes
    """A new document with its first page begun (``PrintedDocument``, fpdf2 loaded now)."""
    from exports.pdf_document import PrintedDocument

    return PrintedDocument(title, agency_name)


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
