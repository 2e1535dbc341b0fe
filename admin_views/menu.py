"""The admin menu bar, rendered once per view, language and set of entries shown.

Flask-Admin renders its menu on every admin page (``layout.menu()``: for each of some thirty
entries, whether the viewer may open it, whether it is the page's, its URL and translated name).
What comes out depends on the page's view (the active entry), the language, the site's root path
and which entries are shown (``is_accessible()`` and ``is_visible()`` of each, asked on every
request here: roles and any future rule), so it is kept per such key and the macro runs once per
key. templates/admin/project_base.html calls ``cached_menu(layout.menu)``.
"""

from flask import request
from flask_babel import get_locale
from jinja2 import pass_context
from markupsafe import Markup

MAX_MENUS = 512  # keys kept (views x languages x role mixes); past that, the cache starts again


def shown(items):
    """Which menu entries show, in menu order (categories by their entries)."""
    return tuple(shown(item._children) if item.is_category() else (item.is_accessible() and item.is_visible()) for item in items)


@pass_context
def cached_menu(context, render):
    """``render()`` (Flask-Admin's menu macro) for this page, from the cache when it has it."""
    view = context.resolve("admin_view")
    admin = view.admin
    menus = admin.__dict__.setdefault("_rendered_menus", {})
    key = (id(view), str(get_locale()), request.script_root, shown(admin.menu()))
    if key not in menus:
        if len(menus) >= MAX_MENUS:
            menus.clear()
        menus[key] = Markup(str(render()))
    return menus[key]
