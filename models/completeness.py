"""When a session counts. The one definition every count, list and report uses.

A session is complete when it has at least one form, every form in it is complete, every
client in it has at least one form of their own, and a group activity has its group form.
Incomplete sessions are never counted.
"""
from sqlalchemy import and_, exists, not_, or_, select

from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient
from service_forms.catalogue import GROUP_SESSION_TYPES


def is_complete_clause():
    """A SQL condition on ``ServiceSession``: true for complete sessions."""
    forms = ServiceForm.session_id == ServiceSession.id
    has_form = exists().where(forms)
    incomplete_form = exists().where(forms, ServiceForm.is_complete.is_(False))
    client_without_form = exists().where(
        SessionClient.session_id == ServiceSession.id,
        ~exists().where(ServiceForm.session_id == SessionClient.session_id, ServiceForm.client_id == SessionClient.client_id),
    )
    group_form = exists().where(forms, ServiceForm.client_id.is_(None))
    needs_group_form = ServiceSession.session_type.in_(GROUP_SESSION_TYPES)
    return and_(has_form, not_(incomplete_form), not_(client_without_form), or_(not_(needs_group_form), group_form))


def completed_sessions():
    """``select(ServiceSession)`` of the complete sessions (add your own filters)."""
    return select(ServiceSession).where(is_complete_clause())


def incomplete_sessions():
    return select(ServiceSession).where(not_(is_complete_clause()))


def session_is_complete(session_id):
    from extensions import db

    return db.session.scalar(select(is_complete_clause()).select_from(ServiceSession).where(ServiceSession.id == session_id))
