"""Write reference_data/values_fr.csv: the Canadian French label of each value of the value
lists (countries, languages, genders, immigration statuses, provinces, the profile's fixed
lists) and, under the list ``icare_options``, of every option of the service forms' iCARE lists
(``service_forms.fields.options_by_code``) and of the choices the catalogue declares by hand
(``service_forms.catalogue.FORM_LIST``: ratings, statuses, the finance form's lists...). Run
again after a list changes:

    .venv/bin/python tools/french_value_labels.py

Countries and most languages come from the CLDR data bundled with Babel (``fr_CA``); the rest
(iCARE's own language names, street types, statuses, the service forms' options...) are written
out below, numbers and durations by rule. A value reads the same in French only when
``same_in_french`` says so (numbers, proper names); an iCARE option with no French stops the
tool. A value with no French label is shown as it is stored (``models/reference.value_label``)."""

import csv
import io
import re
import sys
from functools import cache
from pathlib import Path

from babel import Locale
from babel.core import get_global

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.client_profile import MARITAL_STATUSES  # noqa: E402
from models.reference import CSV_LISTS, DATA_DIR, ICARE_LISTS, read_lists  # noqa: E402
from service_forms.catalogue import FORM_LIST  # noqa: E402
from service_forms.fields import options_by_code  # noqa: E402
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
    "street_type_id": {"Not Applicable": "Sans objet"},  # Canada Post's types: below
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
        "Berber": "Berbère",
        "Braille (translation only)": "Braille (traduction seulement)",
        "Chaldean": "Chaldéen",
        "Chinese - Simplified (Translation Only)": "Chinois simplifié (traduction seulement)",
        "Chinese - Traditional (TranslationOnly)": "Chinois traditionnel (traduction seulement)",
        "Creole": "Créole",
        "Deaf-Mute": "Sourd-muet",
        "Facilitator": "Facilitateur",
        "Farsi (Persian)": "Farsi (persan)",
        "Fulani": "Peul",
        "Gaelic": "Gaélique",
        "Ibo": "Igbo",
        "La langue des signes québécoise (LSQ)": "Langue des signes québécoise (LSQ)",
        "Laotian": "Laotien",
        "Lebanese": "Libanais",
        "Other African Languages": "Autres langues africaines",
        "Other Chinese Dialects": "Autres dialectes chinois",
        "Other European Languages": "Autres langues européennes",
        "Other Languages Nes": "Autres langues (non classées ailleurs)",
        "Other Middle Eastern Languages": "Autres langues du Moyen-Orient",
        "Other Signed Languages": "Autres langues des signes",
        "Other South Asian Languages": "Autres langues d’Asie du Sud",
        "Other Western Hemishphere Indian Languages": "Autres langues autochtones des Amériques",
        "Plautdietsch (Mennonite Low German)": "Plautdietsch (bas allemand mennonite)",
        "Serbo-Croat-Bosnian": "Serbo-croate-bosniaque",
        "Sinhalese": "Cingalais",
        "Slovene": "Slovène",
        "Ukranoan": "Ukrainien",
    },
}


# Canada Post's street types (iCARE's list): the French designation Canada Post gives, or the
# French word for an English-only type. The French types, and the types Canada Post spells the
# same in both languages, are in SAME_IN_FRENCH.
FRENCH["street_type_id"].update(
    {
        "Abbey": "Abbaye",
        "Alley": "Ruelle",
        "Bay": "Baie",
        "Beach": "Plage",
        "Bend": "Courbe",
        "Bypass": "Voie de contournement",
        "Byway": "Chemin secondaire",
        "Cape": "Cap",
        "Circle": "Cercle",
        "Close": "Clos",
        "Common": "Commune",
        "Corners": "Carrefour",
        "Court": "Cour",
        "Cove": "Anse",
        "Crescent": "Croissant",
        "Crossing": "Croisement",
        "CulDeSac": "Cul-de-sac",
        "Dale": "Vallée",
        "Dell": "Combe",
        "Diversion": "Déviation",
        "Downs": "Coteaux",
        "Drive": "Promenade",
        "Estate": "Domaine",
        "Expressway": "Voie rapide",
        "Farm": "Ferme",
        "Field": "Champ",
        "Forest": "Forêt",
        "Freeway": "Autoroute",
        "Gardens": "Jardins",
        "Gate": "Porte",
        "Glade": "Clairière",
        "Glen": "Vallon",
        "Green": "Pelouse",
        "Grounds": "Terrains",
        "Grove": "Bosquet",
        "Harbour": "Havre",
        "Heath": "Bruyère",
        "Heights": "Hauteurs",
        "Highlands": "Hautes-Terres",
        "Highway": "Route",
        "Hill": "Colline",
        "Holl": "Creux",
        "Inlet": "Crique",
        "Island": "Île",
        "Key": "Îlot",
        "Knoll": "Butte",
        "Landing": "Débarcadère",
        "Lane": "Allée",
        "Limits": "Limites",
        "Line": "Ligne",
        "Link": "Lien",
        "Lookout": "Belvédère",
        "Loop": "Boucle",
        "Mall": "Mail",
        "Manor": "Manoir",
        "Maze": "Dédale",
        "Meadow": "Pré",
        "Moor": "Lande",
        "Mount": "Mont",
        "Mountain": "Montagne",
        "Orchard": "Verger",
        "Park": "Parc",
        "Parkway": "Promenade",
        "Path": "Sentier",
        "Pathway": "Chemin piétonnier",
        "Pines": "Pins",
        "Plaza": "Place",
        "Point": "Pointe",
        "Private": "Voie privée",
        "Quay": "Quai",
        "Ramp": "Rampe",
        "Range": "Rang",
        "Ridge": "Crête",
        "Rise": "Montée",
        "Road": "Chemin",
        "RondPoint": "Rond-point",
        "Row": "Rangée",
        "Run": "Piste",
        "Street": "Rue",
        "Subdivision": "Lotissement",
        "Terrace": "Terrasse",
        "Thicket": "Fourré",
        "Towers": "Tours",
        "Townline": "Ligne de canton",
        "Trail": "Sentier",
        "Turnabout": "Rond-point",
        "Vale": "Val",
        "View": "Vue",
        "Vista": "Perspective",
        "Way": "Voie",
        "Wharf": "Quai",
        "Wood": "Bois",
    }
)

# iCARE's language names that CLDR does not know and French writes its own way. The others
# (dialects, spellings of iCARE's own) are in SAME_IN_FRENCH.
FRENCH["languages"].update(
    {
        "Affar": "Afar",
        "Ashanti": "Achanti",
        "Bantu": "Bantou",
        "Baule": "Baoulé",
        "Bicol": "Bikol",
        "Concani": "Konkani",
        "Foullah": "Foulah",
        "Fukinese": "Fujianais",
        "Guerze": "Guerzé",
        "Hainam": "Hainanais",
        "Hakha Chin": "Chin hakha",
        "Harara": "Harari",
        "Harary": "Harari",
        "Hassanya": "Hassaniya",
        "Hillgaynon": "Hiligaynon",
        "Hokkin": "Hokkien",
        "Jarai": "Jaraï",
        "Kanarese": "Kannada",
        "Malinke": "Malinké",
        "More": "Moré",
        "Pampango": "Pampangan",
        "Sechuan": "Sichuanais",
        "Seychelles": "Créole seychellois",
        "Shanghai": "Shanghaïen",
        "Sothern Burun": "Burun du Sud",
        "Swazai": "Swazi",
    }
)

# Values spelled the same in French, on purpose: proper names (provinces, language names,
# street types Canada Post writes alike in both languages or in French only) (numbers: by rule, see icare_label).
SAME_IN_FRENCH = frozenset(
    (
        # the names of language tests, and the hand-declared rating "Excellent"
        "CELPIP", "CLB-PT", "CLBA", "IELTS", "TEF", "Excellent",
        # provinces and territories
        "Alberta", "Manitoba", "Nunavut", "Ontario", "Québec", "Saskatchewan", "Yukon",
        # language names
        "Ada", "Aka", "Aklanon", "Akra", "Anuak (Anywa)", "Aran", "Belen", "Bengali", "Beni", "Benin",
        "Bijaiya", "Bisaya", "Bissa", "Bontok", "Busan", "Busango", "Chaocho", "Chavano", "Chichewa",
        "Chiuchow", "Chiyao", "Chowchau", "Dioula", "Edo", "Foochow", "Fouki", "Hakka", "Hargar",
        "Hindko", "Igorot", "Ilican", "Ilongo", "Ishan", "Izi", "Jolay", "Kacchi", "Kakwa",
        "Kandahari", "Kankani", "Karen", "Kihavu", "Kikongo", "Kinyamulenge", "Kirundi", "Kiswahili",
        "Lengie", "Lowna", "Luganda", "Lugishu", "Lutoro", "Macena", "Macua", "Mahou", "Maligo",
        "Mandarin", "Mashi", "Mina", "Okpe", "Oriya", "Osal", "Otuho", "Pahari", "Peul", "Phuockien",
        "Pidgin", "Poular", "Romani", "Rukiga", "Runyankole", "Rutooro", "Scoula", "Sesotho", "Seswi",
        "Shansai", "Sotho", "Soussou", "Suesue", "Sukama", "Taichew", "Tari", "Teochew",
        "Tetshanese", "Tichiew", "Tigrigna", "Timini", "Toishan", "Tshiluba", "Uhrobo", "Ulgrigma",
        "Unama", "Visayan", "Yiboe", "Zshiluba", "Zuganda",
        # street types: French ones, and the ones Canada Post spells alike (or keeps in English)
        "Allée", "Autoroute", "Carré", "Carrefour", "Cercle", "Chemin", "Côte", "Cour", "Cours",
        "Croissant", "Île", "Impasse", "Montée", "Parc", "Pointe", "Promenade", "Quai", "Rang", "Rue",
        "Ruelle", "Sentier", "Terrasse", "Voie", "Acres", "Avenue", "Boulevard", "Campus", "Centre",
        "Chase", "Circuit", "Concession", "Esplanade", "Extension", "Front", "Mews", "Parade",
        "Passage", "Place", "Plateau", "Port", "Route", "Square", "Via", "Village", "Villas", "Work",
        "Wynd",
    )
)  # fmt: skip

# The options of the service forms' iCARE lists (service_forms.fields.options_by_code), in
# IRCC's French where it has its own terms (NCLC for CLB, aiguillage for referral...). Options
# found in another list (languages, provinces, street types...) take that list's label;
# numbers, durations and CLB literacy levels are written by rule (ICARE_RULES).
ICARE_FRENCH = {
    "Yes": "Oui",
    # Choices the catalogue declares by hand (not iCARE's): ratings, attendance and job
    # development statuses, language tests, the finance form's lists.
    "Good": "Bon",
    "Fair": "Passable",
    "Poor": "Faible",
    "Complete": "Terminé",
    "Ended early": "Terminé avant la fin",
    "Closed": "Fermé",
    "Employed": "En emploi",
    "In training": "En formation",
    "Job searching": "En recherche d'emploi",
    "On hold": "En attente",
    "Agency office": "Bureau de l'organisme",
    "Client's home": "Domicile du client",
    "Community space": "Local communautaire",
    "Banking": "Services bancaires",
    "Benefits applications": "Demandes de prestations",
    "Budgeting": "Budget",
    "Credit and debt": "Crédit et dettes",
    "Financial literacy workshop": "Atelier de littératie financière",
    "Tax filing": "Déclaration de revenus",
    "Intake": "Accueil",
    "In progress": "En cours",
    "Follow-up": "Suivi",
    "Closing": "Clôture",
    "Filed taxes": "A produit sa déclaration de revenus",
    "Made a budget": "A établi un budget",
    "Opened a bank account": "A ouvert un compte bancaire",
    "Received benefits": "A reçu des prestations",
    "Reduced debt": "A réduit ses dettes",
    "Outcomes achieved": "Résultats obtenus",
    "Services delivered": "Services offerts",
    "No": "Non",
    "Unknown/Not sure": "Inconnu/pas certain",
    "Unknown/not sure": "Inconnu/pas certain",
    "N/A": "S.O.",
    # where the service took place
    "Settlement service provider": "Fournisseur de services d’établissement",
    "Public library": "Bibliothèque publique",
    "Elementary school": "École primaire",
    "Secondary school": "École secondaire",
    "Post-secondary institution": "Établissement postsecondaire",
    "Post secondary institution": "Établissement postsecondaire",
    "Healthcare institution": "Établissement de santé",
    "Community centre/neighbourhood house": "Centre communautaire/maison de quartier",
    "Employment agency": "Agence de placement",
    "The client’s home": "Domicile du client",
    "The client’s place of employment": "Lieu de travail du client",
    "A public space (shopping centre, etc.)": "Un espace public (centre commercial, etc.)",
    "Port of entry": "Point d’entrée",
    "Online": "En ligne",
    "Not for profit organization": "Organisme sans but lucratif",
    # who referred the client
    "Community centre / library": "Centre communautaire / bibliothèque",
    "Employer / co-worker": "Employeur / collègue",
    "Ethnic or religious organization": "Organisme ethnique ou religieux",
    "Family / friends": "Famille / amis",
    "Canadian government agency": "Organisme du gouvernement du Canada",
    "Government publication / brochure / website": "Publication / brochure / site Web du gouvernement",
    "Immigration consultant / lawyer": "Consultant en immigration / avocat",
    "Internal to my organization": "À l’interne (mon organisme)",
    "Non-governmental newspaper / media / publication / brochure / Web site": (
        "Journal / média / publication / brochure / site Web non gouvernemental"
    ),
    "In-Canada orientation session": "Séance d’orientation au Canada",
    "Overseas orientation session (e.g. CIIP)": "Séance d’orientation à l’étranger (p. ex. PCII)",
    "Other settlement service provider": "Autre fournisseur de services d’établissement",
    "School": "École",
    "Not referred": "Non aiguillé",
    "Another IRCC-funded service": "Un autre service financé par IRCC",
    # needs assessment
    "Find employment": "Trouver un emploi",
    "Get an education": "Faire des études",
    "Participate in Canadian society": "Participer à la société canadienne",
    "Acquire citizenship": "Obtenir la citoyenneté",
    "Within one year": "D’ici un an",
    "After one year": "Après un an",
    "Yes, within Canada": "Oui, au Canada",
    "Yes, outside Canada": "Oui, à l’extérieur du Canada",
    "Yes, both within and outside Canada": "Oui, au Canada et à l’extérieur du Canada",
    "O - Management occupations": "O - Gestion",
    "A - Professional": "A - Professionnel",
    "B - Skilled and technical": "B - Spécialisé et technique",
    "C - Intermediate and clerical": "C - Intermédiaire et de bureau",
    "D - Elemental and labourers": "D - Élémentaire et manœuvres",
    "Infant (6-18 months)": "Nourrisson (6 à 18 mois)",
    "Toddler (19-35 months)": "Tout-petit (19 à 35 mois)",
    "Pre-school (36 months - 6 years)": "Âge préscolaire (36 mois à 6 ans)",
    "School age (more than 6 years)": "Âge scolaire (plus de 6 ans)",
    "Short term": "Court terme",
    "Long term": "Long terme",
    "Short Term": "Court terme",
    "Long Term": "Long terme",
    "Amend record": "Modifier le dossier",
    "Correct error": "Corriger une erreur",
    # community connections
    "Community-based group events and activities": "Activités et événements communautaires de groupe",
    "Targeted Matching and Networking": "Jumelage ciblé et réseautage",
    "Events/visits pertaining to culture or history": "Événements/visites liés à la culture ou à l’histoire",
    "Field trip connecting newcomer to community resources or local services": (
        "Sortie faisant connaître au nouvel arrivant les ressources communautaires ou les services locaux"
    ),
    "Sports/recreation event": "Événement sportif/récréatif",
    "Neighbourhood day": "Journée de quartier",
    "Other community event": "Autre événement communautaire",
    "Conversation circle": "Cercle de conversation",
    "Targeted matching between newcomer and settled immigrant or long-time Canadian": (
        "Jumelage ciblé entre un nouvel arrivant et un immigrant établi ou un Canadien de longue date"
    ),
    "Networking activity with other newcomers or Canadian citizens": (
        "Activité de réseautage avec d’autres nouveaux arrivants ou des citoyens canadiens"
    ),
    "Youth leadership project": "Projet de leadership jeunesse",
    "Other regular group activities to address ongoing needs or interests": (
        "Autres activités de groupe régulières répondant à des besoins ou à des intérêts continus"
    ),
    "Access to local community services": "Accès aux services communautaires locaux",
    "Connecting with other newcomers": "Liens avec d’autres nouveaux arrivants",
    "Getting involved in the community": "Participation à la vie communautaire",
    "Targeted Matching and Networking: Accessing the labour market": (
        "Jumelage ciblé et réseautage : accès au marché du travail"
    ),
    "Connecting with settled immigrants or long-time Canadians": (
        "Liens avec des immigrants établis ou des Canadiens de longue date"
    ),
    "Community-based group events and activities: Increasing knowledge of Canadian society/context": (
        "Activités et événements communautaires de groupe : meilleure connaissance de la société/du contexte canadien"
    ),
    "Targeted Matching and Networking: Informal problem solving": (
        "Jumelage ciblé et réseautage : résolution informelle de problèmes"
    ),
    "Inter-cultural sensitivity and understanding (e.g. interpersonal dynamics)": (
        "Sensibilité et compréhension interculturelles (p. ex. dynamique interpersonnelle)"
    ),
    "Targeted Matching and Networking: Language learning": "Jumelage ciblé et réseautage : apprentissage de la langue",
    "Community-based group events and activities: Group session (e.g. conversation circles)": (
        "Activités et événements communautaires de groupe : séance de groupe (p. ex. cercles de conversation)"
    ),
    "Targeted Matching and Networking: One-on-one session (e.g. mentoring)": (
        "Jumelage ciblé et réseautage : séance individuelle (p. ex. mentorat)"
    ),
    "Targeted Matching and Networking: Group session (e.g. conversation circles)": (
        "Jumelage ciblé et réseautage : séance de groupe (p. ex. cercles de conversation)"
    ),
    # status and reasons for leaving
    "Service ended early (i.e. client ended participation)": (
        "Service terminé plus tôt que prévu (c.-à-d. le client a mis fin à sa participation)"
    ),
    "Intervention ended early (i.e. client ended participation)": (
        "Intervention terminée plus tôt que prévu (c.-à-d. le client a mis fin à sa participation)"
    ),
    "Ongoing": "En cours",
    "Completed": "Terminé",
    "Client felt the service was not meeting current needs": (
        "Le client estimait que le service ne répondait pas à ses besoins actuels"
    ),
    "Client felt intervention was not meeting current employment needs": (
        "Le client estimait que l’intervention ne répondait pas à ses besoins actuels en matière d’emploi"
    ),
    "Found employment": "A trouvé un emploi",
    "Found Employment": "A trouvé un emploi",
    "Lack of support services": "Manque de services de soutien",
    "Moved/unable to contact client": "A déménagé/impossible de joindre le client",
    "Moved / unable to contact client": "A déménagé / impossible de joindre le client",
    "Obtained citizenship": "A obtenu la citoyenneté",
    "Medical reason": "Raison médicale",
    "Personal reason": "Raison personnelle",
    "Personal reasons": "Raisons personnelles",
    "Parental leave/caring for family members": "Congé parental/soins à des membres de la famille",
    "Parental leave / caring for family members": "Congé parental / soins à des membres de la famille",
    "Student left school": "L’élève a quitté l’école",
    "To attend school": "Pour fréquenter l’école",
    "To receive another settlement service": "Pour recevoir un autre service d’établissement",
    "Reason unknown": "Raison inconnue",
    "Intervention ended by mentor": "Intervention terminée par le mentor",
    "Intervention ended by employer": "Intervention terminée par l’employeur",
    "Intervention ended by third party/volunteer": "Intervention terminée par un tiers/bénévole",
    "Enrolled in school": "S’est inscrit à l’école",
    "Extended leave": "Congé prolongé",
    "Moved to a more appropriate level": "Est passé à un niveau plus approprié",
    "Moved to another training program": "Est passé à un autre programme de formation",
    "Illness": "Maladie",
    "Poor attendance": "Assiduité insuffisante",
    "Focus/quality of course did not meet needs": "L’orientation/la qualité du cours ne répondait pas aux besoins",
    "Schedule/format/location of course did not meet needs": (
        "L’horaire/le format/le lieu du cours ne répondait pas aux besoins"
    ),
    # information and orientation
    "One-on-one orientation": "Orientation individuelle",
    "Family orientation": "Orientation familiale",
    "Group orientation": "Orientation de groupe",
    # employment-related services
    "Unemployed": "Sans emploi",
    "Employed part time - less than 30 hours at main or only job": (
        "Emploi à temps partiel - moins de 30 heures à l’emploi principal ou unique"
    ),
    "Employed full time - 30 hours or more at main or only job": (
        "Emploi à temps plein - 30 heures ou plus à l’emploi principal ou unique"
    ),
    "Part-time - less than 30 hours at main or only job": ("Temps partiel - moins de 30 heures à l’emploi principal ou unique"),
    "Full-time - 30 hours or more at main or only job": "Temps plein - 30 heures ou plus à l’emploi principal ou unique",
    "Full-time student": "Étudiant à temps plein",
    "Part-time student": "Étudiant à temps partiel",
    "Full-time training (e.g. language training or job-specific training)": (
        "Formation à temps plein (p. ex. formation linguistique ou formation propre à un emploi)"
    ),
    "Part-time training (e.g. language training or job-specific training)": (
        "Formation à temps partiel (p. ex. formation linguistique ou formation propre à un emploi)"
    ),
    "Not a student": "N’est pas aux études",
    "Work placement": "Stage en milieu de travail",
    "Mentoring": "Mentorat",
    "Preparation for licensure/certification": "Préparation à l’obtention du permis d’exercice/de la certification",
    "Small-medium enterprise - fewer than 500 employees": "Petite ou moyenne entreprise - moins de 500 employés",
    "Large enterprise - 500 employees or more": "Grande entreprise - 500 employés ou plus",
    "Paid": "Rémunéré",
    "Unpaid": "Non rémunéré",
    "Mentor's place of work during work hours": "Lieu de travail du mentor pendant les heures de travail",
    "Other (e.g. coffee shop, restaurant, Skype)": "Autre (p. ex. café, restaurant, Skype)",
    "Networking opportunities": "Occasions de réseautage",
    "Resume screening for referrals service": "Présélection des curriculum vitæ pour le service d’aiguillage",
    "Resume added to a matching system": "Curriculum vitæ ajouté à un système de jumelage",
    "Employment counselling": "Counseling en emploi",
    # language training
    "Blended classroom and online training": "Formation mixte en classe et en ligne",
    "Classroom": "En classe",
    "Itinerant teachers": "Enseignants itinérants",
    "One-on-one tutoring": "Tutorat individuel",
    "Other distance learning (e.g. videoconferencing)": "Autre formation à distance (p. ex. vidéoconférence)",
    "Online computer training": "Formation informatique en ligne",
    "Workplace": "En milieu de travail",
    "Community organization": "Organisme communautaire",
    "Private sector provider": "Fournisseur du secteur privé",
    "Other public institution": "Autre établissement public",
    "Daily": "Chaque jour",
    "Weekly": "Chaque semaine",
    "Monthly": "Chaque mois",
    "Only at beginning of session": "Seulement au début de la session",
    "Academic preparation": "Préparation aux études",
    "Citizenship preparation": "Préparation à la citoyenneté",
    "Daily life/basic needs": "Vie quotidienne/besoins de base",
    "Occupation specific": "Propre à une profession",
    "General/all of the above": "Général/tout ce qui précède",
    "Completed the course": "A terminé le cours",
    "Has advanced to the next CLB level": "Est passé au niveau NCLC suivant",
    "Exited the course before completing": "A quitté le cours avant la fin",
    "Insufficient Evidence": "Preuves insuffisantes",
    "Pre-CLB": "Pré-NCLC",
}

# The client's current occupation: the NOC 2016 major groups, as the French NOC (CNP) names them.
ICARE_FRENCH.update(
    {
        "00 Senior management occupations": "00 Cadres supérieurs",
        "01-05 Specialized middle management occupations": "01-05 Cadres intermédiaires spécialisés",
        "06 Middle management occupations in retail and wholesale trade and customer serv": (
            "06 Cadres intermédiaires dans le commerce de détail, de gros et des services à la clientèle"
        ),
        "07-09 Middle management occupations in trades, transportation, production and ut": (
            "07-09 Cadres intermédiaires des métiers, des transports, de la production et des services d’utilité publique"
        ),
        "11 Professional occupations in business and finance": (
            "11 Personnel professionnel en gestion des affaires et en finance"
        ),
        "12 Administrative and financial supervisors and administrative occupations": (
            "12 Personnel de supervision du travail administratif et financier et personnel administratif"
        ),
        "13 Finance, insurance and related business administrative occupations": (
            "13 Personnel en finance, assurance et personnel assimilé en administration des affaires"
        ),
        "14 Office support occupations": "14 Personnel de soutien de bureau",
        "15 Distribution, tracking and scheduling co-ordination occupations": (
            "15 Personnel de coordination de la distribution, du suivi et des horaires"
        ),
        "21 Professional occupations in natural and applied sciences": (
            "21 Personnel professionnel des sciences naturelles et appliquées"
        ),
        "22 Technical occupations related to natural and applied sciences": (
            "22 Personnel technique assimilé aux sciences naturelles et appliquées"
        ),
        "30 Professional occupations in nursing": "30 Personnel professionnel en soins infirmiers",
        "31 Professional occupations in health (except nursing)": ("31 Personnel professionnel en santé (sauf soins infirmiers)"),
        "32 Technical occupations in health": "32 Personnel technique en santé",
        "34 Assisting occupations in support of health services": "34 Personnel de soutien des services de santé",
        "40 Professional occupations in education services": "40 Personnel professionnel des services d’enseignement",
        "41 Professional occupations in law and social, community and government services": (
            "41 Personnel professionnel du droit et des services gouvernementaux, sociaux et communautaires"
        ),
        "42 Paraprofessional occupations in legal, social, community and education servic": (
            "42 Personnel paraprofessionnel des services juridiques, sociaux, communautaires et de l’enseignement"
        ),
        "43 Occupations in front-line public protection services": (
            "43 Personnel des services de protection publique de première ligne"
        ),
        "44 Care providers and educational, legal and public protection support occupatio": (
            "44 Dispensateurs de soins et personnel de soutien en enseignement, en droit et en protection publique"
        ),
        "51 Professional occupations in art and culture": "51 Personnel professionnel des arts et de la culture",
        "52 Technical occupations in art, culture, recreation and sport": (
            "52 Personnel technique des arts, de la culture, des sports et des loisirs"
        ),
        "62 Retail sales supervisors and specialized sales occupations": (
            "62 Personnel de supervision des ventes au détail et personnel des ventes spécialisées"
        ),
        "63 Service supervisors and specialized service occupations": (
            "63 Personnel de supervision en services et personnel de services spécialisés"
        ),
        "64 Sales representatives and salespersons - wholesale and retail trade": (
            "64 Représentants des ventes et vendeurs - commerce de gros et de détail"
        ),
        "65 Service representatives and other customer and personal services occupations": (
            "65 Représentants de services et autre personnel de services à la clientèle et de services personnels"
        ),
        "66 Sales support occupations": "66 Personnel de soutien des ventes",
        "67 Service support and other service occupations, n.e.c.": (
            "67 Personnel de soutien en service et autre personnel de service, n.c.a."
        ),
        "72 Industrial, electrical and construction trades": (
            "72 Personnel des métiers de l’électricité, de la construction et des industries"
        ),
        "73 Maintenance and equipment operation trades": ("73 Personnel des métiers d’entretien et d’opération d’équipement"),
        "74 Other installers, repairers and servicers and material handlers": (
            "74 Autres installateurs, réparateurs et monteurs et manutentionnaires"
        ),
        "75 Transport and heavy equipment operation and related maintenance occupations": (
            "75 Personnel en opération d’équipement de transport et de machinerie lourde et autre personnel"
            " assimilé à l’entretien"
        ),
        "76 Trades helpers, construction labourers and related occupations": (
            "76 Personnel de soutien des métiers, manœuvres et aides d’entreprise en construction et personnel assimilé"
        ),
        "82 Supervisors and technical occupations in natural resources, agricultural and": (
            "82 Superviseurs et métiers techniques dans les ressources naturelles, l’agriculture et la production connexe"
        ),
        "84 Workers in natural resources, agriculture and related production": (
            "84 Personnel des ressources naturelles, de l’agriculture et de la production connexe"
        ),
        "86 Harvesting, landscaping and natural resources labourers": (
            "86 Manœuvres à la récolte, en aménagement paysager et en ressources naturelles"
        ),
        "92 Processing, manufacturing and utilities supervisors and central control opera": (
            "92 Personnel de supervision dans la transformation, la fabrication et les services d’utilité publique"
            " et opérateurs de poste central de contrôle"
        ),
        "94 Processing and manufacturing machine operators and related production workers": (
            "94 Opérateurs de machinerie reliée à la transformation et à la fabrication et personnel assimilé"
        ),
        "95 Assemblers in manufacturing": "95 Monteurs dans la fabrication",
        "96 Labourers in processing, manufacturing and utilities": (
            "96 Manœuvres dans la transformation, la fabrication et les services d’utilité publique"
        ),
    }
)

# Regulated professions and trades (intervention_profession_id): the French titles of the
# Canadian regulators and of the Red Seal trades.
ICARE_FRENCH.update(
    {
        "Acupuncturists": "Acupuncteurs",
        "Agricultural Equipment Technician": "Technicien de machinerie agricole",
        "Agrologists (Agriculture)": "Agronomes (agriculture)",
        "Appliance Service Technician": "Technicien d’appareils électroménagers",
        "Architects": "Architectes",
        "Audiologists & Speech Pathologists": "Audiologistes et orthophonistes",
        "Automotive Painter": "Peintre d’automobiles",
        "Automotive Service Technician": "Technicien de véhicules automobiles",
        "Baker": "Boulanger",
        "Boilermaker": "Chaudronnier",
        "Bricklayer": "Briqueteur-maçon",
        "Cabinetmaker": "Ébéniste",
        "Carpenter": "Charpentier-menuisier",
        "Certified General Accountants": "Comptables généraux accrédités",
        "Certified Management Accountants": "Comptables en management accrédités",
        "Chartered Accountants": "Comptables agréés",
        "Chemical Engineer": "Ingénieur chimiste",
        "Chiropractors": "Chiropraticiens",
        "Civil Engineer": "Ingénieur civil",
        "Civil Technologists & Technicians": "Technologues et techniciens en génie civil",
        "Community Urban Planner": "Urbaniste",
        "Concrete Finisher": "Finisseur de béton",
        "Construction Craft Worker": "Ouvrier en construction",
        "Construction Electrician": "Électricien en construction",
        "Cook": "Cuisinier",
        "Dental Assistants": "Assistants dentaires",
        "Dental Hygienists": "Hygiénistes dentaires",
        "Dental Technicians or Technologists": "Techniciens ou technologues dentaires",
        "Dentist/Dental Specialist": "Dentiste/spécialiste dentaire",
        "Dentists": "Dentistes",
        "Denturists": "Denturologistes",
        "Dieticians/Nutritionists": "Diététistes/nutritionnistes",
        "Drywall Finisher and Plasterer": "Plâtrier et tireur de joints",
        "Electric Motor System Technician": "Technicien de systèmes de moteurs électriques",
        "Electrical & Electronics Engineer": "Ingénieur électricien et électronicien",
        "Electrical & Electronics Technologists & Technicians": (
            "Technologues et techniciens en génie électrique et électronique"
        ),
        "Elementary School & Kindergarten Teachers": "Enseignants au primaire et au préscolaire",
        "Embalmers/Funeral Directors": "Embaumeurs/directeurs de funérailles",
        "Floorcovering Installer": "Poseur de revêtements souples",
        "Foresters": "Ingénieurs forestiers",
        "Gas Fitter – Class A": "Monteur d’installations au gaz – classe A",
        "Gas Fitter – Class B": "Monteur d’installations au gaz – classe B",
        "Geologists/Geoscientists": "Géologues/géoscientifiques",
        "Glazier": "Vitrier",
        "Hairstylist": "Coiffeur",
        "Hearing Aid Practitioners": "Audioprothésistes",
        "Heavy Duty Equipment Technician": "Technicien d’équipement lourd",
        "Heavy Equipment Operator": "Opérateur d’équipement lourd",
        "Home Economists": "Économistes familiaux",
        "Hunting Guides": "Guides de chasse",
        "Industrial & Manufacturing Technologists & Technician": (
            "Technologues et techniciens en génie industriel et de fabrication"
        ),
        "Industrial Electrician": "Électricien industriel",
        "Industrial Mechanic (Millwright)": "Mécanicien industriel (de chantier)",
        "Instrumentation and Control Technician": "Technicien en instrumentation et contrôle",
        "Insulator (Heat and Frost)": "Calorifugeur (chaleur et froid)",
        "Ironworker (Generalist)": "Monteur de charpentes métalliques (généraliste)",
        "Ironworker (Reinforcing)": "Monteur de charpentes métalliques (armature)",
        "Ironworker (Structural/Ornamental)": "Monteur de charpentes métalliques (structure/ornementation)",
        "Land Surveyors": "Arpenteurs-géomètres",
        "Landscape Architects": "Architectes paysagistes",
        "Landscape Horticulturist": "Horticulteur paysagiste",
        "Lather (Interior Systems Mechanic)": "Latteur (mécanicien de systèmes intérieurs)",
        "Lawyers": "Avocats",
        "Licensed Practical Nurses": "Infirmiers auxiliaires autorisés",
        "Machinist": "Machiniste",
        "Massage Therapist": "Massothérapeute",
        "Mechanical Engineer": "Ingénieur mécanicien",
        "Mechanical Technologists & Technicians": "Technologues et techniciens en génie mécanique",
        "Medical Laboratory Technologists": "Technologistes de laboratoire médical",
        "Medical Radiation Technicians": "Technologues en radiation médicale",
        "Metal Fabricator (Fitter)": "Monteur-assembleur (métal)",
        "Midwives": "Sages-femmes",
        "Mobile Crane Operator": "Opérateur de grue mobile",
        "Mobile Crane Operator (Hydraulic)": "Opérateur de grue mobile (hydraulique)",
        "Motor Vehicle Body Repairer (Metal and Paint)": "Carrossier (tôlerie et peinture)",
        "Motorcycle Mechanic": "Mécanicien de motocyclettes",
        "Naturopathic Physicians": "Naturopathes",
        "Occupational Therapists": "Ergothérapeutes",
        "Oil Heat System Technician": "Technicien de systèmes de chauffage au mazout",
        "Opticians": "Opticiens",
        "Optometrists": "Optométristes",
        "Painter and Decorator": "Peintre et décorateur",
        "Paramedics": "Ambulanciers paramédicaux",
        "Partsperson": "Préposé aux pièces",
        "Pharmacists": "Pharmaciens",
        "Physicians": "Médecins",
        "Physiotherapists": "Physiothérapeutes",
        "Plumber": "Plombier",
        "Podiatrists/Chiropodists": "Podiatres/podologues",
        "Powerline Technician": "Monteur de lignes électriques",
        "Psychiatric Nurses": "Infirmiers psychiatriques",
        "Psychologists": "Psychologues",
        "Real Estate Agents": "Agents immobiliers",
        "Recreation Vehicle Service Technician": "Technicien de véhicules récréatifs",
        "Refrigeration and Air Conditioning Mechanic": "Mécanicien en réfrigération et en climatisation",
        "Registered Nurses": "Infirmiers autorisés",
        "Respiratory Therapists": "Inhalothérapeutes",
        "Rig Technician": "Technicien de forage",
        "Roofer": "Couvreur",
        "Secondary School Teachers": "Enseignants au secondaire",
        "Sheet Metal Worker": "Tôlier",
        "Social Workers": "Travailleurs sociaux",
        "Sprinkler System Installer": "Installateur de systèmes de gicleurs",
        "Steamfitter/Pipefitter": "Tuyauteur/monteur d’appareils de chauffage",
        "Tilesetter": "Carreleur",
        "Tool and Die Maker": "Outilleur-ajusteur",
        "Tower Crane Operator": "Opérateur de grue à tour",
        "Translators": "Traducteurs",
        "Transport Trailer Technician": "Technicien de remorques de transport",
        "Truck and Transport Mechanic": "Mécanicien de camions et de transport",
        "Veterinarians": "Vétérinaires",
        "Welder": "Soudeur",
    }
)

# Options written by rule: (pattern, French template). Whole numbers (counts, hours, minutes,
# CLB levels) and "10+" read the same in French; decimals take the French comma.
SAME_NUMBER = re.compile(r"\d+\+?")
ICARE_RULES = (
    (re.compile(r"(\d+)\.(\d+)"), r"\1,\2"),
    (re.compile(r"(\d+) to (\d+) hours"), r"\1 à \2 heures"),
    (re.compile(r"(\d+) - (\d+) minutes"), r"\1 à \2 minutes"),
    (re.compile(r"(\d+) minutes or less"), r"\1 minutes ou moins"),
    (re.compile(r"Over (\d+) hours"), r"Plus de \1 heures"),
    (re.compile(r"(\d+) - (\d+) people"), r"\1 à \2 personnes"),
    (re.compile(r"Less than (\d+) people"), r"Moins de \1 personnes"),
    (re.compile(r"More than (\d+) people"), r"Plus de \1 personnes"),
    (re.compile(r"Lit - Foundation L"), "Alpha - Préparatoire L"),
    (re.compile(r"Lit - (\d)L"), r"Alpha - \1L"),
)


def cldr_country(code):
    """``fr_CA``'s name of an ISO 3166 alpha-3 code (CLDR's territory aliases map it to alpha-2)."""
    alpha2 = (get_global("territory_aliases").get(code) or [None])[0]
    return Locale("fr_CA").territories.get(alpha2) if alpha2 else None


@cache
def english_language_codes():
    return {value: key for key, value in Locale("en").languages.items()}


def cldr_language(name):
    french = Locale("fr_CA").languages.get(english_language_codes().get(name, ""))
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


def same_in_french(value):
    """Whether ``value`` reads the same in French on purpose: a whole number, a name the tool
    lists in SAME_IN_FRENCH, or a language CLDR's French names as English does."""
    return bool(SAME_NUMBER.fullmatch(value)) or value in SAME_IN_FRENCH or cldr_language(value) == value


def icare_label(value, labelled):
    """The French of one option of the service forms' iCARE lists: its own (ICARE_FRENCH), by
    rule (ICARE_RULES), the label it has in another list (``labelled``: value -> label), or the
    value itself when it is the same in French. None: not labelled (the tool stops)."""
    if value in ICARE_FRENCH:
        return ICARE_FRENCH[value]
    for pattern, template in ICARE_RULES:
        if pattern.fullmatch(value):
            return pattern.sub(template, value)
    if value in labelled:
        return labelled[value]
    return value if same_in_french(value) else None


def icare_option_values():
    """Every option of every iCARE list of the service forms, once, in the templates' order,
    then the choices the catalogue declares by hand."""
    declared = (value for form in FORM_LIST for spec in form.fields for value in spec.choices)
    return list(dict.fromkeys([*(value for options in options_by_code().values() for value in options), *declared]))


def icare_rows(labelled):
    """``icare_options`` rows: every option, with its French (the same as the English when
    ``same_in_french``)."""
    unlabelled = [value for value in icare_option_values() if not icare_label(value, labelled)]
    if unlabelled:
        raise SystemExit(f"iCARE options with no French label: {unlabelled}")
    return [("icare_options", value, icare_label(value, labelled)) for value in icare_option_values()]


def all_rows():
    listed = list(rows())
    labelled = {}
    for _list_name, value, label in listed:
        labelled.setdefault(value, label)
    return listed + icare_rows(labelled)


def render():
    """The text of reference_data/values_fr.csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("list", "value", "label_fr"))
    writer.writerows(all_rows())
    return out.getvalue()


def main():
    (DATA_DIR / "values_fr.csv").write_text(render(), encoding="utf-8", newline="")


if __name__ == "__main__":
    main()
