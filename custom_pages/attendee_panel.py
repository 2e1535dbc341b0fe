"""The attendee panel of a group activity: the answers every attendee shares, given once, and
one row per attendee for what differs between people (attended or not, status, volunteer
time). Its date and language start from the session's; forms missing are created."""

from dataclasses import replace

from flask import abort, flash, request
from flask_admin import expose
from flask_babel import gettext

from admin_views.locking import flash_stale, parse_versions, versions_value
from custom_pages.form_builder import answer_kinds, answers_from, build_form, load_answers, show_refusal
from extensions import db
from models.errors import InvalidEntry, StaleRecord
from models.record_history import as_number, check_versions, last_event_id, refusing_stale
from models.session_records import hidden_form_exists, questions_for
from models.visibility import may_change
from service_forms.defaults import prefilled

PER_PERSON_SECTION = "Attendance"


def attendee_spec(session):
    return session.type_spec.attendee_form()


def panel_spec(spec):
    """What the panel asks once for everyone: every required field but the per-person ones."""
    return replace(spec, fields=tuple(f for f in spec.fields if f.section != PER_PERSON_SECTION and f.required))


def person_fields(spec):
    """The fields answered attendee by attendee (the attendance section)."""
    return [f for f in spec.fields if f.section == PER_PERSON_SECTION]


def panel_stamp(rows):
    """What a page writing these forms at once carries: each one's version, the newest audit event."""
    return {"versions": versions_value(rows), "seen_event": last_event_id(*rows)}


def seen_sent():
    return as_number(request.form.get("seen_event")) or 0


def check_panel(rows):
    """Refuse the panel's save if any of its forms changed, or appeared, since it was loaded."""
    check_versions(rows, parse_versions(request.form.get("versions")), seen_sent())


def client_names(clients):
    names = {client.id: client.display_name for client in clients}
    return lambda change: names.get(change.client_id, "")


def person_value(field, spec, client_id, sent):
    """One attendee's answer to ``field`` as sent, and an error message (or ``None``)."""
    raw = (sent.get(f"{field.name}-{client_id}") or "").strip()
    if field.name == spec.attendance_field:
        return ("Yes" if raw else "No"), None  # a tick box: unticked is "did not attend"
    if not raw:
        return None, None
    if field.type == "integer":
        number = as_number(raw)
        low, high = field.minimum or 0, field.maximum if field.maximum is not None else 10**6
        if number is None or not low <= number <= high:
            return None, gettext("%(label)s: a whole number from %(low)s to %(high)s.", label=field.label, low=low, high=high)
        return number, None
    if field.choices and raw not in field.choices:
        return None, gettext("%(label)s: choose one of the options.", label=field.label)
    return raw, None


def person_answers(spec, attendees, sent):
    """``({client id: answers}, {client id: [errors]})`` of the per-person rows as sent."""
    answers, errors = {}, {}
    for attendee in attendees:
        mine = {}
        for field in person_fields(spec):
            value, error = person_value(field, spec, attendee.client_id, sent)
            if error:
                errors.setdefault(attendee.client_id, []).append(error)
            mine[field.name] = value
        answers[attendee.client_id] = mine
    return answers, errors


def person_rows(session, spec, sent=None):
    """Per attendee: the client, their current per-person answers (as sent, after a refused
    save) and whether the panel may write their form."""
    rows = []
    for attendee in session.attendees:
        form = attendee_form_of(session, spec, attendee.client_id)
        writable = not (form is None and hidden_form_exists(session, spec.kind, attendee.client_id)) and (
            form is None or may_change(form)
        )
        if sent is not None:
            values = sent.get(attendee.client_id, {})
        else:
            data = (form.data or {}) if form else {}
            values = {f.name: data.get(f.name) for f in person_fields(spec)}
            if form is None or spec.attendance_field not in data:
                values[spec.attendance_field] = "Yes"  # most people on the list came: untick who did not
        rows.append({"client": attendee.client, "values": values, "writable": writable})
    return rows


def attendee_form_of(session, spec, client_id):
    return next((f for f in session.forms if f.client_id == client_id and f.kind == spec.kind), None)


class AttendeePanelMixin:
    @expose("/<int:session_id>/attendees/", methods=("GET", "POST"))
    def attendee_settings(self, session_id):
        """Answer every attendee's form at once, with a tick per person for attendance."""
        session = self.get_one(session_id)
        if not session.type_spec.is_group:
            abort(404)
        full, spec = attendee_spec(session), panel_spec(attendee_spec(session))
        form = build_form(spec, [], [], formdata=request.form if request.method == "POST" else None)
        sent, errors = None, {}
        if request.method == "GET":
            load_answers(form, prefilled(spec, session), answer_kinds(spec, []))
        else:
            sent, errors = person_answers(full, session.attendees, request.form)
            if form.validate() and not errors:
                saved = self._save_panel(session, full, form, answers_from(form, answer_kinds(spec, [])), sent)
                if saved is not None:
                    return self._after_panel(session, saved)
        stamp = panel_stamp(self._attendee_forms(session))
        return self.render(
            "admin/sessions/attendee_settings.html",
            session=session,
            form=form,
            spec=spec,
            person_fields=person_fields(full),
            attendance_field=full.attendance_field,
            rows=person_rows(session, full, sent),
            row_errors=errors,
            **stamp,
        )

    def _save_panel(self, session, full, form, shared, personal):
        """Saved count, or ``None`` when refused as stale (flashed) or for an attendee's end date
        before its start (under the field, or flashed): nothing saved, the page shows what was sent."""
        try:
            return self._save_attendee_settings(session, full, shared, personal)
        except InvalidEntry as refused:
            db.session.rollback()
            show_refusal(form, refused)
            return None
        except StaleRecord as stale:
            labels = {f"data.{f.name}": f.label for f in full.fields}
            flash_stale(stale, labels, client_names(a.client for a in session.attendees))
            return None

    def _after_panel(self, session, saved):
        skipped = len(session.attendees) - saved
        message = gettext("Saved for %(count)s attendee(s).", count=saved)
        if skipped:
            message += " " + gettext(
                "%(count)s attendee form(s) of another program or private were left as they are.", count=skipped
            )
        flash(message, "success")
        return self._back(session)

    def _attendee_forms(self, session):
        """The attendee forms the panel writes (those I can see), as they are now."""
        kind = attendee_spec(session).kind
        return [f for f in session.forms if f.kind == kind and f.client_id is not None]

    def _save_attendee_settings(self, session, spec, shared, personal):
        """Answer every attendee's form in one transaction; how many were saved."""
        forms = self._attendee_forms(session)
        check_panel(forms)
        with refusing_stale(forms, seen_sent()):
            saved = sum(1 for a in session.attendees if self._apply_to_attendee(session, a, {**shared, **personal[a.client_id]}))
            db.session.commit()
        return saved

    def _apply_to_attendee(self, session, attendee, answers):
        """Answer this attendee's form (created when missing); ``False`` when the form is hidden
        from me or open to me only through break-glass: it is left as it is."""
        spec = attendee_spec(session)
        row = attendee_form_of(session, spec, attendee.client_id)
        if row is None and hidden_form_exists(session, spec.kind, attendee.client_id) or row is not None and not may_change(row):
            return False
        row = row or self._new_form(session, spec.kind, attendee.client)
        merged = {**(row.data or {}), **answers}
        try:
            row.save_answers({k: v for k, v in merged.items() if v not in (None, "", [])}, questions_for(spec.kind))
        except InvalidEntry as refused:  # whose form it is, on the panel of everyone's
            whose = gettext("%(name)s: %(problem)s", name=attendee.client.display_name, problem=refused.message)
            raise InvalidEntry(refused.field, whose) from None
        return True
