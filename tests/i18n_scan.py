"""Find user-visible text that is not marked translatable (the translation-coverage tests in
tests/test_i18n.py). Files: every file babel.cfg gives to ``pybabel extract``.

Templates: the Jinja lexer's ``data`` tokens (the text between tags, outside ``{% trans %}``),
once HTML comments, ``<script>``/``<style>`` bodies, tags, entities, numbers and punctuation are
removed, must hold no letters; nor may the visible attributes (``title``, ``placeholder``,
``aria-label``, ``alt``, ``value`` of a submit input) hold literal words.

Python: the places where a literal string reaches a page (``flash``, ``ValidationError``,
``abort(description=)``, WTForms labels and help, Flask-Admin labels, menu names, domain errors)
must be given a call of ``_``/``gettext``/``lazy_gettext``... instead of the literal."""

import ast
import fnmatch
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
# Words that are not English: codes, names that stay the same in every language.
NOT_TEXT = {
    "OCMS-Flask",  # the product's name
    "OCMS",
    "iCARE",  # IRCC's system, a proper name
    "IRCC",
    "CSV",
    "XLSX",
    "PDF",
    "NOC",  # National Occupational Classification code list
    "Flask-Admin",
    "×",
    "TOTP",
    "YYYY-MM-DD",  # the typed date format, the same in every language
    "YYYY-MM",
    "SHA-256",
}
MARKERS = {"_", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "lazy_pgettext", "npgettext"}


def covered_files():
    """``(relative path, method)`` of every file ``pybabel extract -F babel.cfg .`` reads."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}

    def note(name, method, _options):
        found.setdefault(name, method)

    for _found in extract_from_dir(ROOT, method_map, options_map, keywords={}, callback=note):
        pass
    return found


def matches(path, globs):
    return any(fnmatch.fnmatch(path, glob) for glob in globs)


def has_words(text):
    """Letters left once codes and product names are taken out."""
    for word in sorted(NOT_TEXT, key=len, reverse=True):
        text = text.replace(word, " ")
    return re.search(r"[^\W\d_]{2,}", text) is not None


# --- templates ---------------------------------------------------------------------------------

HOLE = "\x00"  # where a Jinja expression or tag stood
VISIBLE_ATTRIBUTES = re.compile(r"""\b(title|placeholder|aria-label|alt)\s*=\s*("[^"]*"|'[^']*')""", re.I)
BUTTON_VALUE = re.compile(r"""<(?:button|input)\b[^>]*\bvalue\s*=\s*("[^"]*"|'[^']*')""", re.I)
SUBMIT_INPUT = re.compile(r"""<input\b[^>]*\btype\s*=\s*["']?(?:submit|button|reset)""", re.I)


def template_text(source):
    """The template's literal text, a HOLE for each expression or tag; ``{% trans %}`` blocks
    and Jinja comments left out."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    parts, in_trans, in_block, block_words = [], False, False, []
    for _lineno, kind, value in env.lexer.tokeniter(source, "template"):
        if kind == "block_begin":
            in_block, block_words = True, []
        elif kind == "block_end":
            in_block = False
            first = block_words[0] if block_words else ""
            in_trans = {"trans": True, "endtrans": False}.get(first, in_trans)
            parts.append(HOLE)
        elif in_block and kind == "name":
            block_words.append(value)
        elif kind == "data" and not in_trans:
            parts.append(value)
        elif kind in ("variable_end", "comment_end"):
            parts.append(HOLE)
    return "".join(parts)


def untranslated_in_template(source):
    """Every piece of literal visible text in a Jinja template."""
    text = re.sub(r"<!--.*?-->", HOLE, template_text(source), flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", HOLE, text, flags=re.S | re.I)
    found = [value[1:-1] for _name, value in VISIBLE_ATTRIBUTES.findall(text)]
    for tag in re.findall(r"<(?:button|input)\b[^>]*>", text, flags=re.I):
        value = BUTTON_VALUE.search(tag)
        if value and tag.lower().startswith("<input") and SUBMIT_INPUT.search(tag):  # a <button>'s value is never shown
            found.append(value.group(1)[1:-1])
    text = re.sub(r"<[^>]*>", HOLE, text)
    text = re.sub(r"&[#\w]+;", " ", text)
    found += [piece.strip() for piece in text.split(HOLE)]
    return sorted({" ".join(piece.split()) for piece in found if has_words(piece.replace(HOLE, " "))})


# --- Python ------------------------------------------------------------------------------------

FIELD_TEXT_KEYWORDS = ("label", "description", "render_kw_placeholder")
MENU_CALL = re.compile(r"(View|MenuLink|add_view|add_link|add_category)$")


def callee(node):
    """``flash`` for ``flash(...)`` and ``flask.flash(...)``."""
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def literal(node):
    """A string literal (or f-string) with words in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(literal(value) for value in node.values)
    if isinstance(node, ast.BinOp):  # "..." + x, "..." % x
        return literal(node.left) or literal(node.right)
    return False


def keyword(node, name):
    return next((k.value for k in node.keywords if k.arg == name), None)


def call_problems(node, path):
    """Literal strings this call would show."""
    name, args = callee(node), node.args
    checks = []
    if name == "flash" and args:
        checks.append(args[0])
    if name == "ValidationError" and args:
        checks.append(args[0])
    if name == "abort":
        checks.append(keyword(node, "description"))
    if (
        name.endswith("Field") and name != "Field" and not name.startswith("_")
    ):  # a WTForms field (a bare ``Field`` is a description's key)
        checks += [args[0] if args else None, keyword(node, "label"), keyword(node, "description")]
    if MENU_CALL.search(name):
        checks += [keyword(node, "name"), keyword(node, "category")]
    if path.startswith("models/") and name in DOMAIN_ERRORS:
        checks += [arg for arg in args[DOMAIN_ERRORS[name] :]] + [keyword(node, "message")]
    if path.startswith("exports/") and name in EXPORT_ERRORS:
        checks += args[EXPORT_ERRORS[name] :]
    if re.search(r"^Filter|Filter$", name):
        checks += args[1:2] + [keyword(node, "name")]
    return [check for check in checks if check is not None and literal(check)]


# The domain's errors whose message is shown to the user: the index of the message argument.
# (``ArchiveRefused`` is not one: only the ``archive-audit`` command shows it, in English.)
DOMAIN_ERRORS = {"InvalidEntry": 1, "ReadOnlyRecord": 0, "AnonymousClientError": 0}
# ... and those of the exports shown on the iCARE and import pages.
EXPORT_ERRORS = {"IcareError": 0, "ReturnedFileError": 0, "FileRefused": 0, "BadValue": 0}
LABEL_DICTS = {"column_labels", "column_descriptions"}
TEXT_KEYS = {"label", "description", "help"}


# Module-level value lists ``{"code": "Label"}`` (a site's kind, a staff member's role...).
VALUE_LIST_ENDINGS = "KINDS|TYPES|LEVELS|ROLES|STATUSES|LABELS|CHOICES|PRIORITIES|ACTIONS|NAMES|TITLES"
VALUE_LIST = re.compile(rf"^(?!FRENCH_)([A-Z]+_)*({VALUE_LIST_ENDINGS})$")


def assignment_problems(node):
    """``column_labels = {...}`` / ``column_descriptions = dict(...)`` with literal values, value
    lists (``SITE_KINDS = {"school": "School"}``), and ``{"label": "..."}`` in ``form_args``."""
    targets = [t.id for t in node.targets if isinstance(t, ast.Name)] if isinstance(node, ast.Assign) else []
    if any(VALUE_LIST.match(name) for name in targets) and isinstance(node.value, ast.Dict):
        return [v for v in node.value.values if literal(v)]
    if not set(targets) & LABEL_DICTS:
        return []
    value = node.value
    if isinstance(value, ast.Dict):
        return [v for v in value.values if literal(v)]
    if isinstance(value, ast.Call) and callee(value) == "dict":
        return [k.value for k in value.keywords if literal(k.value)]
    return []


def dict_problems(node):
    pairs = zip(node.keys, node.values, strict=True)
    return [v for k, v in pairs if isinstance(k, ast.Constant) and k.value in TEXT_KEYS and literal(v)]


def untranslated_in_python(source, path):
    """``(line, text)`` of each literal that reaches a page unmarked."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            found += call_problems(node, path)
        elif isinstance(node, ast.Assign):
            found += assignment_problems(node)
        elif isinstance(node, ast.Dict):
            found += dict_problems(node)
    return sorted({(n.lineno, ast.unparse(n)[:80]) for n in found})
