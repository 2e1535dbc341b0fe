"""Merging duplicate profiles: /admin/clients/<id>/merge/ (pick the other profile, compare side
by side, choose each differing value) and /admin/clients/<id>/merge/undo/ (from the kept
profile's dashboard). The rules and the moving of rows are in ``models/client_merges.py``.

A mixin of the client grid view: both profiles are loaded through its scoped ``get_one``, so a
profile of another agency is a 404. Agency admins and coordinators only.
"""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user
from sqlalchemy import select

from admin_views.locking import flash_stale
from extensions import db
from models.client_duplicates import likely_duplicates
from models.client_merges import (
    MERGE_ROLES,
    ClientMerge,
    check_mergeable,
    choosable_fields,
    default_choice,
    differing_fields,
    merge_clients,
    merge_counts,
    merges_about,
    undo_merge,
)
from models.client_profile import as_text, field_value
from models.clients import Client
from models.errors import InvalidEntry, StaleRecord
from models.record_history import Loaded, as_number, check_version, last_event_id, refusing_stale

DUPLICATE_KEYS = ("first_name", "last_name", "date_of_birth", "phone", "email", "ircc_id_value")
LINK_LABELS = {
    "session_clients.client_id": lazy_gettext("Session attendances"),
    "service_forms.client_id": lazy_gettext("Service forms"),
    "case_notes.client_id": lazy_gettext("Case notes"),
    "client_files.client_id": lazy_gettext("Files"),
    "consent_records.client_id": lazy_gettext("Consent records"),
    "emergency_contacts.client_id": lazy_gettext("Emergency contacts"),
    "safety_flags.client_id": lazy_gettext("Safety flags"),
    "referrals.client_id": lazy_gettext("Referrals"),
    "tasks.client_id": lazy_gettext("Tasks"),
    "notifications.client_id": lazy_gettext("Notifications"),
    "notification_opt_outs.client_id": lazy_gettext("Notification opt-outs"),
    "client_assignments.client_id": lazy_gettext("Staff assignments"),
    "client_activity.client_id": lazy_gettext("Recent-client entries"),
    "icare_amendments.profile_client_id": lazy_gettext("iCARE amendments"),
    "icare_upload_items.profile_client_id": lazy_gettext("iCARE upload items"),
}


def link_label(key):
    return LINK_LABELS.get(key, key.split(".")[0].replace("_", " "))


def may_merge():
    return current_user.role in MERGE_ROLES


def merge_panel(client):
    """What the dashboard shows about merges: the merge that retired this profile, the merges into it."""
    retired_by, merges = merges_about(client.id)
    return {"retired_by": retired_by, "merges": merges, "may_merge": may_merge()}


def comparison_rows(kept, other):
    differing = {f.name for f in differing_fields(kept, other)}
    return [
        {
            "field": spec,
            "kept": as_text(field_value(kept, spec)),
            "other": as_text(field_value(other, spec)),
            "differs": spec.name in differing,
            "choice": request.form.get(f"choice_{spec.name}") or default_choice(kept, other, spec),
        }
        for spec in choosable_fields()
    ]


class ClientMergeMixin:
    def _merge_target(self, value):
        client_id = as_number(value)
        if client_id is None:
            abort(404)
        return self.get_one(client_id)

    @expose("/<int:client_id>/merge/", methods=("GET", "POST"))
    def merge(self, client_id):
        if not may_merge():
            abort(403)
        kept = self.get_one(client_id)
        if request.method == "POST":
            return self._merge_post(kept, self._merge_target(request.form.get("other_id")))
        if request.args.get("other"):
            other = self._merge_target(request.args["other"])
            try:
                check_mergeable(kept, other, current_user)
            except InvalidEntry as refused:
                return self._pick(kept, error=refused.message)
            return self._compare(kept, other)
        return self._pick(kept)

    def _pick(self, kept, error=None, status=200):
        number = request.args.get("number", "").strip()
        if number and error is None:
            found = number_lookup(number)
            if found is not None:
                return redirect(url_for(".merge", client_id=kept.id, other=found.id))
            error = gettext("No client %(number)s in your agency: check the client number.", number=number)
        profile = {name: getattr(kept, name) for name in DUPLICATE_KEYS}
        duplicates = likely_duplicates(profile, exclude_id=kept.id) if kept.kind == "named" else []
        page = self.render("admin/clients/merge_pick.html", client=kept, duplicates=duplicates, number=number, error=error)
        return page, (400 if error else status)

    def _compare(self, kept, other, error=None, status=200):
        context = {
            "client": kept,
            "other": other,
            "rows": comparison_rows(kept, other),
            "counts": [(link_label(k), n) for k, n in merge_counts(other.id, current_user).items()],
            "seen": last_event_id(kept, other),
            "error": error,
        }
        return self.render("admin/clients/merge_compare.html", **context), status

    def _merge_post(self, kept, other):
        seen = as_number(request.form.get("seen_event")) or 0
        choices = {f.name: request.form.get(f"choice_{f.name}") for f in choosable_fields()}
        try:
            check_version(kept, Loaded.parse(request.form.get("kept_version"), seen))
            check_version(other, Loaded.parse(request.form.get("other_version"), seen))
            record = merge_clients(kept, other, choices, current_user)
            with refusing_stale([kept, other], seen):
                db.session.commit()
        except StaleRecord as stale:
            db.session.rollback()
            flash_stale(stale)
            return self._compare(self.get_one(kept.id), self.get_one(other.id), status=409)
        except InvalidEntry as refused:
            db.session.rollback()
            return self._compare(self.get_one(kept.id), self.get_one(other.id), error=refused.message, status=400)
        flash(
            ngettext(
                "%(other)s was merged into %(kept)s: %(rows)d record moved. You can undo it below.",
                "%(other)s was merged into %(kept)s: %(rows)d records moved. You can undo it below.",
                record.moved_count,
                other=other.registration_number,
                kept=kept.registration_number,
                rows=record.moved_count,
            ),
            "success",
        )
        return redirect(url_for(".dashboard", client_id=kept.id))

    @expose("/<int:client_id>/merge/undo/", methods=("POST",))
    def undo_merge(self, client_id):
        if not may_merge():
            abort(403)
        kept = self.get_one(client_id)
        record = merge_record(kept, request.form.get("merge_id"))
        try:
            check_version(kept, Loaded.parse(request.form.get("expected_version"), request.form.get("seen_event")))
            missing = undo_merge(record, current_user)
            with refusing_stale([kept], 0):
                db.session.commit()
        except StaleRecord as stale:
            db.session.rollback()
            flash_stale(stale)
            return redirect(url_for(".dashboard", client_id=kept.id))
        except InvalidEntry as refused:
            db.session.rollback()
            flash(refused.message, "error")
            return redirect(url_for(".dashboard", client_id=kept.id))
        flash(undone_message(record, missing), "success")
        return redirect(url_for(".dashboard", client_id=kept.id))


def undone_message(record, missing):
    message = gettext(
        "Merge undone: %(retired)s is a profile of its own again and its records are back.",
        retired=record.retired.registration_number,
    )
    if missing:
        stayed = ngettext(
            "%(count)d record was deleted or moved since the merge and stays where it is.",
            "%(count)d records were deleted or moved since the merge and stay where they are.",
            missing,
            count=missing,
        )
        message += " " + stayed
    return message


def merge_record(kept, merge_id):
    """A merge into this profile (404 for any other id)."""
    number = as_number(merge_id)
    query = select(ClientMerge).where(ClientMerge.id == number, ClientMerge.kept_client_id == kept.id)
    record = db.session.scalars(query).first() if number is not None else None
    if record is None:
        abort(404)
    return record


def number_lookup(text):
    """A client of the agency by its number (C000042, 42)."""
    number = as_number(text.strip().upper().removeprefix("C"))
    return db.session.scalars(select(Client).where(Client.id == number)).first() if number is not None else None
