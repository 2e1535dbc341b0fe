"""Arabic-script names (Arabic, Persian, Dari, Urdu) in Latin letters, the way agencies
spell them, for find-a-client and the search text.

Unidecode (and anyascii) write Arabic letter by letter: "علی" becomes "`ly" and "حداد"
becomes "Hdd", dropping the long vowels that Latin spellings keep (Ali, Haddad). The script
writes long vowels with alef, waw and yeh: here they become a, u/v and i/y, and the short-vowel
marks, when present, a, u and i. Words then compare with their Latin spellings through the
consonant skeleton of ``models.search_text`` (``hdad`` and ``haddad`` both give ``hd``).
Other scripts are left to unidecode.
"""

import re

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
LETTERS = {
    **dict.fromkeys("اآأإٱ", "a"),
    "ب": "b",
    "پ": "p",
    **dict.fromkeys("تط", "t"),
    **dict.fromkeys("ثسص", "s"),
    "ج": "j",
    "چ": "ch",
    **dict.fromkeys("حه", "h"),
    "خ": "kh",
    "د": "d",
    **dict.fromkeys("ذزضظ", "z"),
    "ر": "r",
    "ژ": "zh",
    "ش": "sh",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    **dict.fromkeys("كک", "k"),
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ة": "a",
    "ؤ": "u",
    "ئ": "y",
    "\u064e": "a",  # fatha
    "\u064f": "u",  # damma
    "\u0650": "i",  # kasra
}
YEH, WAW, AYN, HEH = "یيىی", "و", "ع", "ه"
SILENT = re.compile(r"[\u064b-\u064d\u0651-\u065f\u0670\u0640ء]")  # tanwin, shadda, sukun, tatweel, hamza


def romanise_arabic(text):
    """``text`` with each Arabic-script word in Latin letters (other text unchanged)."""
    return ARABIC_SCRIPT.sub(lambda match: " ".join(map(_word, match.group().split())), text or "")


def _word(word):
    letters = SILENT.sub("", word)
    latin = []
    for position, letter in enumerate(letters):
        first, last = position == 0, position == len(letters) - 1
        if letter in YEH:
            latin.append("y" if first else "i")
        elif letter in WAW:
            latin.append("v" if first else "u")
        elif letter == AYN:
            latin.append("a" if first else "")
        elif letter == HEH and last and not first:
            latin.append("eh")  # Persian final heh: Fatemeh, Zohreh
        else:
            latin.append(LETTERS.get(letter, letter))
    return "".join(latin)
