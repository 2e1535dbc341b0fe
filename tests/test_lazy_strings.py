"""A lazy translated string's values are escaped in a page (Flask-Babel marks the whole
formatted string safe HTML; extensions.py escapes what is put into it)."""

from flask import render_template_string
from flask_babel import force_locale, lazy_gettext, lazy_ngettext
from markupsafe import Markup


def test_the_values_of_a_lazy_string_are_escaped_in_a_template(app):
    typed = '<script>alert("x")</script>'
    with app.test_request_context():
        message = lazy_gettext("Choose one of: %(values)s.", values=typed)
        page = render_template_string("<p>{{ message }}</p>", message=message)
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert Markup("<b>{}</b>").format(message).count("&lt;script&gt;") == 1


def test_a_lazy_string_keeps_its_translation_and_its_numbers(app):
    with app.test_request_context(), force_locale("fr_CA"):
        message = lazy_gettext("Choose one of: %(values)s.", values="a & b")
        shown = render_template_string("{{ message }}", message=message)
        assert "a &amp; b" in shown and "&amp;amp;" not in shown
        assert str(message) != "Choose one of: a & b." and shown.startswith(str(message).split(":")[0])
        counted = lazy_ngettext("%(num)d client", "%(num)d clients", 3)
        assert render_template_string("{{ m }}", m=counted) == str(counted)
