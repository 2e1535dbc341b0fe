"""Small, checked edits to Flask-Admin's own templates, applied as they are loaded.

Some of Flask-Admin's markup sits outside any block (``<html>`` in the master template) or
inside blocks that a child template cannot change without copying them whole (the row
checkboxes of every list, the close button of flashed messages). Reading Flask-Admin's own
files and replacing one exact fragment keeps them current across upgrades, where copies in
``templates/`` would not; ``tests/test_template_patches.py`` fails when a fragment is no longer
found, so an upgrade cannot drop an edit silently.

The other edits make Flask-Admin's strings translatable where its templates build them from
pieces ("Export" + " CSV") or from the number itself ("20 items" as a msgid): the messages are
ours (translations/fr_CA/LC_MESSAGES/messages.po, read after Flask-Admin's catalogue: i18n.py).
"""

from jinja2 import BaseLoader

SKIP_LINK = '<body>\n<a class="skip-link" href="#main-content">{{ _("Skip to main content") }}</a>\n{% block page_body %}'
# (template, Flask-Admin's fragment, ours): each fragment occurs in the template exactly once.
PATCHES = (
    ("admin/base.html", "<html>", '<html lang="{{ html_lang() }}">'),
    ("admin/base.html", "<body>\n{% block page_body %}", SKIP_LINK),
    ("admin/base.html", "{% block messages %}", '<div id="main-content" tabindex="-1"></div>\n        {% block messages %}'),
    ("admin/base.html", 'aria-label="Toggle navigation"', "aria-label=\"{{ _('Show or hide the menus') }}\""),
    (
        "admin/layout.html",
        '<button type="button" class="close" data-dismiss="alert" aria-hidden="true">',
        '<button type="button" class="close" data-dismiss="alert" aria-label="{{ _(\'Close\') }}">',
    ),
    (
        "admin/model/list.html",
        "title=\"{{ _gettext('Select all records') }}\"",
        "title=\"{{ _gettext('Select all records') }}\" aria-label=\"{{ _gettext('Select all records') }}\"",
    ),
    (
        "admin/model/list.html",
        "title=\"{{ _gettext('Select record') }}\"",
        "title=\"{{ _gettext('Select record') }}\" aria-label=\"{{ _gettext('Select record') }}\"",
    ),
    (  # a grid whose create page has a name of its own (the session wizard) names its tab so
        # (``ProjectModelView.create_label``)
        "admin/model/list.html",
        "title=\"{{ _gettext('Create New Record') }}\" class=\"nav-link\">{{ _gettext('Create') }}</a>",
        'title="{{ admin_view.create_label or _gettext(\'Create New Record\') }}" class="nav-link">'
        "{{ admin_view.create_label or _gettext('Create') }}</a>",
    ),
    (  # Bootstrap's tooltip empties the title: the help link keeps its name
        "admin/model/list.html",
        'title="{{ admin_view.column_descriptions[c] }}"',
        'title="{{ admin_view.column_descriptions[c] }}" aria-label="{{ admin_view.column_descriptions[c] }}"',
    ),
    (  # the search field is named (its placeholder is no label), and so is the ✕ link that clears it
        "admin/model/layout.html",
        'type="text" name="search" value="{{ search }}"',
        'type="text" name="search" value="{{ search }}" aria-label="{{ search_placeholder or _gettext(\'Search\') }}"',
    ),
    (
        "admin/model/layout.html",
        'type="text" name="search" value=""',
        'type="text" name="search" value="" aria-label="{{ search_placeholder or _gettext(\'Search\') }}"',
    ),
    (
        "admin/model/layout.html",
        '<a href="{{ clear_search_url }}" class="align-middle">',
        '<a href="{{ clear_search_url }}" class="align-middle" aria-label="{{ _gettext(\'Clear the search\') }}"'
        " title=\"{{ _gettext('Clear the search') }}\">",
    ),
    (
        "admin/model/layout.html",
        "{{ _gettext('Export') + ' ' + export_type|upper }}",
        "{{ _gettext('Export %(format)s', format=export_type|upper) }}",
    ),
    (
        "admin/model/layout.html",
        "{{ page_size }} {{ _gettext('items') }}",
        "{{ _ngettext('%(num)s item', '%(num)s items', page_size) }}",
    ),
    (  # the calendar is loaded once, by templates/admin/project_base.html, before static/js/date_fields.js
        # makes every calendar speak the page's language: a second copy would undo it
        "admin/lib.html",
        '<script {{ admin_csp_nonce_attribute }} src="{{ admin_static.url('
        "filename='vendor/bootstrap-daterangepicker/daterangepicker.js', v='1.3.22') }}\"></script>",
        "",
    ),
    (  # Flask-Admin formats the number into the msgid, which no catalogue then holds
        "admin/model/layout.html",
        "{{ _ngettext('{} item'.format(option), '{} items'.format(option), option) }}",
        "{{ _ngettext('%(num)s item', '%(num)s items', option) }}",
    ),
)


def patched(template, source):
    """``source`` of ``template`` with every patch of that template applied."""
    for name, fragment, replacement in PATCHES:
        if name == template:
            source = source.replace(fragment, replacement, 1)
    return source


class PatchingLoader(BaseLoader):
    """Serves every template as the wrapped loader does, Flask-Admin's patched ones edited."""

    def __init__(self, loader):
        self.loader = loader

    def get_source(self, environment, template):
        source, filename, uptodate = self.loader.get_source(environment, template)
        return patched(template, source), filename, uptodate

    def list_templates(self):
        return self.loader.list_templates()
