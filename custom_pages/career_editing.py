"""One builder request, for the portal and the dashboard alike: the first state of the form,
and what a post does (a builder button re-shows the form; *Save* checks everything and writes
in one go, or writes nothing). The author rule is the model's (``require_author``)."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext

from career_documents import KINDS
from career_documents.builder import apply_action, check, input_name, prefilled, read_content
from models.career_documents import (
    link_choices,
    link_value,
    new_document,
    require_author,
    resolve_link,
    update_document,
)
from models.errors import InvalidEntry

STALE = lazy_gettext("This document was changed meanwhile. Your entries are below: check them and save again to keep them.")


@dataclass
class BuilderState:
    kind: object
    title: str
    content: dict
    version: str = ""
    link: str = ""
    errors: dict = field(default_factory=dict)
    focus: str | None = None
    message: str | None = None

    def context(self, client):
        links = link_choices(client) if self.kind.key == "cover_letter" else None
        return {"kind": self.kind, "state": self, "links": links}


def first_state(kind_key, client, document=None):
    if document is None:
        kind = KINDS[kind_key]
        return BuilderState(kind, str(kind.new_title), prefilled(kind, client))
    return BuilderState(document.description, document.title, document.sections, str(document.version), link_value(document))


def posted_state(kind, form, document):
    version = form.get("version", "") if document is not None else ""
    title = form.get("title", "").strip()
    return BuilderState(kind, title, read_content(kind, form), version, form.get("link", "").strip())


def press(state, action):
    """A builder button: the form again, the new entry's first field focused."""
    state.message = apply_action(state.kind, state.content, action)
    verb, _, key = action.partition(":")
    section = state.kind.section(key)
    if verb == "add" and state.message is None:
        state.focus = input_name(section, section.fields[0], len(state.content[key]) - 1)
    return state


def post(kind_key, client, document, form, principal):
    """``(saved document or None, state)``. Nothing is written unless every check passes; a
    document changed since the form was loaded is not overwritten (the person's entries are
    shown again with the current version, to save consciously)."""
    kind = document.description if document is not None else KINDS[kind_key]
    if document is not None:
        require_author(document, principal)
    state = posted_state(kind, form, document)
    action = form.get("action", "")
    if action != "save":
        return None, press(state, action) if action else state
    content, state.errors = check(kind, state.title, state.content)
    link = checked_link(state, client, document)
    if state.errors:
        state.content = content
        return None, state
    if document is not None and state.version != str(document.version):
        state.version, state.content = str(document.version), content
        state.message = STALE
        return None, state
    if document is None:
        return new_document(client, kind.key, state.title, content, principal, link), state
    update_document(document, state.title, content, principal, link)
    return document, state


def checked_link(state, client, document):
    if state.kind.key != "cover_letter":
        return None, None
    try:
        return resolve_link(client, state.link, link_value(document) if document is not None else "")
    except InvalidEntry as error:
        state.errors[error.field] = str(error.message)
        return None, None
