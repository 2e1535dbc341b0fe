"""Configuration from the environment, with safe defaults for a single-machine install."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def database_url(url):
    """Use psycopg 3 for PostgreSQL URLs given in the usual ``postgresql://`` form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret_key(instance_path):
    """Read the secret key kept in ``instance/``, generating it once when absent."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def from_environment(instance_path):
    """The configuration a deployment sets through environment variables."""
    sqlite_default = "sqlite:///" + str(Path(instance_path) / "ocms.sqlite3")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL", sqlite_default)),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or instance_secret_key(instance_path),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": env_flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": env_flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@localhost"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "15")),  # seconds, per SMTP connection
        "SESSION_COOKIE_SECURE": env_flag("SESSION_COOKIE_SECURE"),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "IDLE_TIMEOUT_MINUTES": int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(Path(instance_path) / "uploads")),
        "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:5000"),  # links in emails
        "SMS_GATEWAY": os.environ.get("SMS_GATEWAY", ""),  # "module:Class"; empty: recorded in the database
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "REMEMBER_COOKIE_DURATION": timedelta(days=1),
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the sign-in session
    "SIGN_IN_MAX_FAILURES": 5,
    "SIGN_IN_LOCKOUT": timedelta(minutes=15),
    "TWO_STEP_PENDING": timedelta(minutes=5),  # password accepted, code not yet given
    "MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
    "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,  # a larger request is refused before it is read
}
