"""Configuration from the environment and field validation helpers."""

import pytest

import config
import validation
from app import create_app


def test_postgres_urls_use_psycopg3():
    assert config.database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert config.database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_secret_key_is_generated_once_into_instance(tmp_path):
    first = config.instance_secret_key(tmp_path)
    assert len(first) == 64 and config.instance_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_wins_over_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/ocms")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    settings = config.from_environment(tmp_path)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db.example/ocms"
    assert settings["SECRET_KEY"] == "from-env"
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_USE_TLS"]) == ("smtp.example.org", 2525, True)


def test_default_database_is_sqlite_under_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.from_environment(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/ocms.sqlite3"


def test_two_apps_can_live_in_one_process():
    first, second = (create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}) for _ in range(2))
    assert first.extensions["admin"][0] is not second.extensions["admin"][0]


def test_security_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("raw, expected", [("m5h2n2", "M5H 2N2"), (" K1P 1J1 ", "K1P 1J1"), ("12345", None), ("D1A 1A1", None)])
def test_postal_codes(raw, expected):
    assert validation.normalise_postal_code(raw) == expected


@pytest.mark.parametrize(
    "raw, expected", [("(416) 555-0123", "+1 416-555-0123"), ("416.555.0123", "+1 416-555-0123"), ("12", None)]
)
def test_phone_numbers(raw, expected):
    assert validation.normalise_phone(raw) == expected
