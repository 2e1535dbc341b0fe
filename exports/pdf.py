"""Printable client documents (fpdf2): the profile / intake form in English or French, and
the registration receipt. Uses DejaVu Sans when the system has it (any script prints);
otherwise a core font with non-Latin text transliterated."""

from datetime import date
from pathlib import Path

from fpdf import FPDF
from unidecode import unidecode

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
UNICODE_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

LABELS = {
    "en": {
        "profile": "Client profile",
        "receipt": "Registration receipt",
        "number": "Registration number",
        "registered": "Registration date",
        "site": "Registration site",
        "name": "Name",
        "preferred": "Preferred name",
        "dob": "Date of birth",
        "gender": "Gender",
        "marital": "Marital status",
        "phone": "Phone",
        "email": "Email",
        "address": "Address",
        "official": "Official language of preference",
        "first_language": "First language",
        "other_languages": "Other languages",
        "country": "Country of birth",
        "citizenship": "Citizenship",
        "status": "Immigration status",
        "arrival": "Arrival in Canada",
        "ircc": "IRCC identifier",
        "family": "Family code",
        "consent": "Privacy statement accepted",
        "research": "Consent for future research",
        "contacts": "Emergency contacts",
        "printed": "Printed",
        "yes": "Yes",
        "no": "No",
        "kept": "Keep this receipt. Quote your registration number when you contact us.",
    },
    "fr": {
        "profile": "Profil du client",
        "receipt": "Reçu d'inscription",
        "number": "Numéro d'inscription",
        "registered": "Date d'inscription",
        "site": "Lieu d'inscription",
        "name": "Nom",
        "preferred": "Nom usuel",
        "dob": "Date de naissance",
        "gender": "Genre",
        "marital": "État civil",
        "phone": "Téléphone",
        "email": "Courriel",
        "address": "Adresse",
        "official": "Langue officielle préférée",
        "first_language": "Langue maternelle",
        "other_languages": "Autres langues",
        "country": "Pays de naissance",
        "citizenship": "Citoyenneté",
        "status": "Statut d'immigration",
        "arrival": "Arrivée au Canada",
        "ircc": "Identifiant IRCC",
        "family": "Code de famille",
        "consent": "Déclaration de confidentialité acceptée",
        "research": "Consentement à la recherche",
        "contacts": "Contacts d'urgence",
        "printed": "Imprimé le",
        "yes": "Oui",
        "no": "Non",
        "kept": "Conservez ce reçu. Indiquez votre numéro d'inscription lorsque vous nous contactez.",
    },
}


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
        self.set_font(self.family, "B", 10)
        self.cell(65, 7, self.clean(label))
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 7, self.clean(value if value not in (None, "") else "-"), new_x="LMARGIN", new_y="NEXT")


def yes_no(value, words):
    return {True: words["yes"], False: words["no"]}.get(value, "-")


def address(client):
    street = " ".join(p for p in (client.street_no, client.street_name, client.street_type, client.street_direction) if p)
    unit = f"Unit {client.unit}, " if client.unit else ""
    return ", ".join(p for p in (unit + street, client.city, client.province, client.postal_code) if p and p.strip(", "))


def profile_rows(client, words):
    return [
        (words["number"], client.registration_number),
        (words["registered"], client.registration_date),
        (words["site"], client.registration_site),
        (words["name"], client.display_name),
        (words["dob"], client.date_of_birth),
        (words["gender"], client.gender),
        (words["marital"], client.marital_status),
        (words["phone"], client.phone),
        (words["email"], client.email),
        (words["address"], address(client)),
        (words["official"], client.official_language),
        (words["first_language"], client.first_language),
        (words["other_languages"], ", ".join(client.other_languages or [])),
        (words["country"], client.country_of_birth),
        (words["citizenship"], client.citizenship),
        (words["status"], client.immigration_status),
        (words["arrival"], client.arrival_label),
        (words["ircc"], " ".join(filter(None, (client.ircc_id_type, client.ircc_id_value)))),
        (words["family"], client.family_code),
        (
            words["consent"],
            f"{client.privacy_consent_at:%Y-%m-%d} (v{client.privacy_consent_version})" if client.privacy_consent_at else "-",
        ),
        (words["research"], yes_no(client.research_consent, words)),
        (words["contacts"], "; ".join(str(c) for c in client.emergency_contacts)),
    ]


def client_profile_pdf(client, agency, lang="en"):
    """The full profile, printable as an intake form; ``lang`` is ``en`` or ``fr``."""
    words = LABELS.get(lang, LABELS["en"])
    pdf = Document(words["profile"], agency.name)
    for label, value in profile_rows(client, words):
        pdf.row(label, value)
    pdf.ln(4)
    pdf.row(words["printed"], date.today())
    return bytes(pdf.output())


def registration_receipt_pdf(client, agency, lang="en"):
    """A short receipt: who registered, when and where, with the registration number."""
    words = LABELS.get(lang, LABELS["en"])
    pdf = Document(words["receipt"], agency.name)
    for label, value in (
        (words["name"], client.display_name),
        (words["number"], client.registration_number),
        (words["registered"], client.registration_date),
        (words["site"], client.registration_site),
    ):
        pdf.row(label, value)
    pdf.ln(4)
    pdf.set_font(pdf.family, "", 10)
    pdf.multi_cell(0, 6, pdf.clean(words["kept"]))
    return bytes(pdf.output())
