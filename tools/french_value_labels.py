"""Write reference_data/values_fr.csv: the Canadian French label of each value of the value
lists (countries, languages, genders, immigration statuses, provinces, the profile's fixed
lists). Run again after a list changes:

    .venv/bin/python tools/french_value_labels.py

Countries and most languages come from the CLDR data bundled with Babel (``fr_CA``); the rest
(iCARE's own language names, statuses...) are written out below. A value with no French label
is shown as it is stored (``models/reference.value_label``)."""

import csv
import sys
from pathlib import Path

from babel import Locale
from babel.core import get_global

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.client_profile import MARITAL_STATUSES  # noqa: E402
from models.reference import CSV_LISTS, DATA_DIR, ICARE_LISTS, read_lists  # noqa: E402
from service_forms.icare import icare_options  # noqa: E402

FRENCH = {
    "genders": {
        "Female": "Femme",
        "Male": "Homme",
        "Another gender": "Autre genre",
        "Prefer not to say": "Préfère ne pas répondre",
        "Unknown": "Inconnu",
    },
    "immigration_statuses": {
        "Permanent Resident - Economic Class": "Résident permanent – catégorie de l’immigration économique",
        "Permanent Resident - Family Class": "Résident permanent – catégorie du regroupement familial",
        "Permanent Resident - Government-Assisted Refugee": "Résident permanent – réfugié pris en charge par le gouvernement",
        "Permanent Resident - Privately Sponsored Refugee": "Résident permanent – réfugié parrainé par le secteur privé",
        "Permanent Resident - Blended Visa Office-Referred Refugee": (
            "Résident permanent – réfugié désigné par un bureau des visas (programme mixte)"
        ),
        "Permanent Resident - Protected Person": "Résident permanent – personne protégée",
        "Permanent Resident - Other": "Résident permanent – autre",
        "Convention Refugee / Protected Person (not yet PR)": (
            "Réfugié au sens de la Convention / personne protégée (pas encore RP)"
        ),
        "Refugee Claimant": "Demandeur d’asile",
        "Temporary Foreign Worker": "Travailleur étranger temporaire",
        "International Student": "Étudiant étranger",
        "Live-in Caregiver": "Aide familial résidant",
        "Visitor": "Visiteur",
        "Canadian Citizen": "Citoyen canadien",
        "Undocumented": "Sans papiers",
        "Other": "Autre",
        "Unknown": "Inconnu",
    },
    "marital_status": {
        "Single": "Célibataire",
        "Common-Law": "Conjoint de fait",
        "Married": "Marié",
        "Divorced": "Divorcé",
        "Separated": "Séparé",
        "Widowed": "Veuf",
    },
    "street_direction_id": {
        "E - East": "E - Est",
        "N - North": "N - Nord",
        "NE - Northeast": "NE - Nord-Est",
        "NW - Northwest": "NO - Nord-Ouest",
        "S - South": "S - Sud",
        "SE - Southeast": "SE - Sud-Est",
        "SW - Southwest": "SO - Sud-Ouest",
        "W - West": "O - Ouest",
    },
    "street_type_id": {"Not Applicable": "Sans objet"},  # the others are Canada Post's bilingual types
    "official_language_id": {"English": "Anglais", "French": "Français", "Unknown/No preference": "Inconnue/aucune préférence"},
    "client_validation_type_id": {
        "FOSS/GCMS Client ID": "ID client SSOBL/SMGC",
        "Temporary Resident or Minister’s Permit Number": "Numéro de permis de séjour temporaire ou du ministre",
        "IMM5292, IMM5509, IMM1000 Number": "Numéro IMM5292, IMM5509 ou IMM1000",
    },
    "provinces": {
        "Newfoundland and Labrador": "Terre-Neuve-et-Labrador",
        "Prince Edward Island": "Île-du-Prince-Édouard",
        "Nova Scotia": "Nouvelle-Écosse",
        "New Brunswick": "Nouveau-Brunswick",
        "Northwest Territories": "Territoires du Nord-Ouest",
        "British Columbia": "Colombie-Britannique",
    },
    "countries": {"Unknown": "Inconnu", "Stateless": "Apatride"},
    # iCARE's language names that CLDR does not know (the others: CLDR, capitalised).
    "languages": {
        "American Sign Language (ASL)": "Langue des signes américaine (ASL)",
        "Assyrian": "Assyrien",
        "Azeri": "Azéri",
        "Bengali": "Bengali",
        "Berber": "Berbère",
        "Braille (translation only)": "Braille (traduction seulement)",
        "Chaldean": "Chaldéen",
        "Chichewa": "Chichewa",
        "Chinese - Simplified (Translation Only)": "Chinois simplifié (traduction seulement)",
        "Chinese - Traditional (TranslationOnly)": "Chinois traditionnel (traduction seulement)",
        "Creole": "Créole",
        "Deaf-Mute": "Sourd-muet",
        "Facilitator": "Facilitateur",
        "Farsi (Persian)": "Farsi (persan)",
        "Fulani": "Peul",
        "Gaelic": "Gaélique",
        "Ibo": "Igbo",
        "Kirundi": "Kirundi",
        "Kiswahili": "Kiswahili",
        "La langue des signes québécoise (LSQ)": "Langue des signes québécoise (LSQ)",
        "Laotian": "Laotien",
        "Lebanese": "Libanais",
        "Mandarin": "Mandarin",
        "Other African Languages": "Autres langues africaines",
        "Other Chinese Dialects": "Autres dialectes chinois",
        "Other European Languages": "Autres langues européennes",
        "Other Languages Nes": "Autres langues (non classées ailleurs)",
        "Other Middle Eastern Languages": "Autres langues du Moyen-Orient",
        "Other Signed Languages": "Autres langues des signes",
        "Other South Asian Languages": "Autres langues d’Asie du Sud",
        "Other Western Hemishphere Indian Languages": "Autres langues autochtones des Amériques",
        "Pidgin": "Pidgin",
        "Plautdietsch (Mennonite Low German)": "Plautdietsch (bas allemand mennonite)",
        "Romani": "Romani",
        "Serbo-Croat-Bosnian": "Serbo-croate-bosniaque",
        "Sesotho": "Sesotho",
        "Sinhalese": "Cingalais",
        "Slovene": "Slovène",
        "Sotho": "Sotho",
        "Tigrigna": "Tigrigna",
        "Ukranoan": "Ukrainien",
    },
}


def cldr_country(code):
    """``fr_CA``'s name of an ISO 3166 alpha-3 code (CLDR's territory aliases map it to alpha-2)."""
    alpha2 = (get_global("territory_aliases").get(code) or [None])[0]
    return Locale("fr_CA").territories.get(alpha2) if alpha2 else None


def cldr_language(name):
    english = {value: key for key, value in Locale("en").languages.items()}
    french = Locale("fr_CA").languages.get(english.get(name, ""))
    return french[:1].upper() + french[1:] if french else None


def rows():
    lists = read_lists()
    codes = {row["value"]: row["code"] for row in csv.DictReader((DATA_DIR / "countries.csv").open(encoding="utf-8"))}
    for list_name in (*CSV_LISTS, *ICARE_LISTS):
        for value, _code in lists[list_name]:
            label = FRENCH.get(list_name, {}).get(value)
            if label is None and list_name == "countries":
                label = cldr_country(codes.get(value, ""))
            if label is None and list_name == "languages":
                label = cldr_language(value)
            if label and label != value:
                yield list_name, value, label
    for list_name, values in (("marital_status", MARITAL_STATUSES),):
        yield from ((list_name, value, FRENCH[list_name][value]) for value in values)
    for code in ("street_direction_id", "street_type_id", "official_language_id", "client_validation_type_id"):
        values = icare_options("Client Profile", code)
        yield from ((code, value, FRENCH[code][value]) for value in values if value in FRENCH[code])


def main():
    with (DATA_DIR / "values_fr.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("list", "value", "label_fr"))
        writer.writerows(rows())


if __name__ == "__main__":
    main()
