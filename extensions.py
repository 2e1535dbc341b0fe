"""Unbound Flask extensions: the single home for them, so nothing imports app.py."""

from flask_babel import Babel, LazyString
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup, escape
from sqlalchemy import MetaData

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()  # bound with the locale selector of i18n.py


def _escaped_html(lazy):
    """A lazy translated string in a template: its text as written (ours hold no markup, but
    the translation stays as Flask-Babel gives it), with the values put into it escaped.
    Flask-Babel's ``LazyString.__html__`` marks the whole formatted string safe, so
    ``lazy_gettext("... %(name)s", name=typed)`` would put what was typed into the page as HTML."""
    values = {name: value if isinstance(value, int | float) else escape(value) for name, value in lazy._kwargs.items()}
    return Markup(lazy._func(*lazy._args, **values))


LazyString.__html__ = _escaped_html
