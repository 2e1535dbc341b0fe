"""The iCARE check page (/admin/icare/): a month and templates, counts and Valid marks, the
records to fix grouped by worker with a link to each, the error report, drafts, final files,
the month's uploads (re-downloadable, iCARE's returned file read against each), rejected
records and amendments. Everyone checks their own records (a coordinator the team's); final
files need the iCARE uploader add-on or the agency-admin role (``models/icare_checks.py``)."""

import re
from datetime import date, timedelta
from itertools import groupby

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

from admin_views.base import ProjectView
from exports.icare import error_report_bytes
from exports.icare_files import IcareError, draft_file, final_file, request_amendment
from exports.icare_returns import ReturnedFileError, read_returned
from extensions import db
from i18n import flash_shown_later, shown_later
from models.icare_checks import check_month, may_make_finals
from models.icare_records import month_bounds
from models.icare_templates import template, template_label, templates
from models.icare_uploads import AMENDMENT_REASONS, IcareUpload, rejected_items, uploads_of
from models.service_forms import ServiceForm

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_RETURNED_BYTES = 10 * 1024 * 1024
REASON_LABELS = {  # the update reasons as shown (iCARE files keep iCARE's English values)
    "Amend record": lazy_gettext("Amend record"),
    "Correct error": lazy_gettext("Correct error"),
}


def last_month(today=None):
    return ((today or date.today()).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def chosen_month(values):
    month = (values.get("month") or "").strip()
    if month and MONTH.match(month):
        month_bounds(month)
        return month
    if month:
        flash(gettext("Choose a month as YYYY-MM."), "error")
    return last_month()


def chosen_templates(values):
    picked = [t for t in (template(slug) for slug in values.getlist("template")) if t is not None]
    return picked or list(templates())


def matches(problem, worker, text):
    """The page's filters: a worker's records, words in the record or its messages."""
    if worker and str(problem.owner_id) != worker:
        return False
    haystack = " ".join([problem.reference, problem.who, problem.worker, *problem.messages]).lower()
    return not text or text.lower() in haystack


def by_worker(problems):
    ordered = sorted(problems, key=lambda p: (p.worker, p.sheet, str(p.service_date)))
    return [(worker, list(group)) for worker, group in groupby(ordered, key=lambda p: p.worker)]


def fix_url(problem):
    """Where to fix a problem: the client's profile, or the form itself."""
    if problem.fix_profile and problem.client_id:
        return url_for("clients.edit_view", id=problem.client_id)
    if problem.form_id:
        return url_for("sessions.service_form", session_id=problem.session_id, form_id=problem.form_id)
    return None


def download(content, filename):
    return Response(content, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


class IcareView(ProjectView):
    """Every staff role may check; ``may_make_finals`` guards the final files."""

    @expose("/")
    def index(self):
        month, chosen = chosen_month(request.args), chosen_templates(request.args)
        results = check_month(current_user, month, chosen)
        worker, text = request.args.get("worker", ""), request.args.get("q", "").strip()
        problems = [p for r in results for p in r.problems if matches(p, worker, text)]
        workers = sorted({(p.owner_id, p.worker) for r in results for p in r.problems}, key=lambda w: w[1])
        return self.render(
            "admin/icare.html",
            month=month,
            templates=templates(),
            chosen={t.slug for t in chosen},
            results=results,
            groups=by_worker(problems),
            workers=workers,
            worker=worker,
            q=text,
            fix_url=fix_url,
            may_finalise=may_make_finals(current_user),
            uploads=uploads_of(month),
            rejected=rejected_items(month),
            reasons=[(reason, REASON_LABELS.get(reason, reason)) for reason in AMENDMENT_REASONS],
            sheet_label=template_label,
            amend=request.args.get("amend", type=int),
        )

    @expose("/errors.xlsx")
    def errors(self):
        month, chosen = chosen_month(request.args), chosen_templates(request.args)
        problems = [p for r in check_month(current_user, month, chosen) for p in r.problems]
        return download(error_report_bytes(problems), f"iCARE_errors_{month}.xlsx")

    @expose("/draft/")
    def draft(self):
        if not may_make_finals(current_user):  # a draft holds every record, Private forms included
            abort(403)
        found = template(request.args.get("template", "")) or abort(404)
        result = draft_file(current_user.agency_id, found, chosen_month(request.args))
        return download(result.content, result.filename)

    @expose("/final/", methods=("POST",))
    def final(self):
        if not may_make_finals(current_user):
            abort(403)
        month, chosen = chosen_month(request.form), chosen_templates(request.form)
        if request.form.get("confirm") != "yes":  # the page's box, ticked: it cannot be undone
            flash(gettext("No final file was made: tick the box to confirm the month first."), "warning")
            return redirect(url_for(".index", month=month))
        for found in chosen:
            try:
                result = final_file(current_user.agency_id, current_user.id, found, month)
            except IcareError as error:
                flash(str(error), "warning")
                continue
            db.session.commit()
            flash_shown_later("icare_final", "success", slug=found.slug, count=result.record_count, left=result.left_out_records)
        return redirect(url_for(".index", month=month))

    @expose("/uploads/")
    def upload_file(self):
        upload = self._upload(request.args.get("id", type=int))
        return download(upload.content, upload.filename)

    @expose("/returned/", methods=("POST",))
    def returned(self):
        upload = self._upload(request.form.get("upload_id", type=int))
        sent = request.files.get("file")
        content = sent.read(MAX_RETURNED_BYTES + 1) if sent else b""
        try:
            if not content or len(content) > MAX_RETURNED_BYTES:
                raise ReturnedFileError(gettext("Choose the xlsx file iCARE returned (10 MB at most)."))
            result = read_returned(upload, content)
        except ReturnedFileError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                gettext(
                    "iCARE's file read: %(accepted)d accepted, %(rejected)d rejected, %(none)d without a verdict.",
                    accepted=result.accepted,
                    rejected=result.rejected,
                    none=result.no_verdict,
                ),
                "success",
            )
        return redirect(url_for(".index", month=upload.month))

    @expose("/amend/", methods=("POST",))
    def amend(self):
        form_id, client_id = request.form.get("form_id", type=int), request.form.get("client_id", type=int)
        if form_id and db.session.get(ServiceForm, form_id) is None:  # visible to this person, or a 404
            abort(404)
        try:
            request_amendment(current_user, request.form.get("reason", ""), request.form.get("note", ""), form_id, client_id)
        except IcareError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(gettext("Amendment recorded: the record goes out again with the next final file."), "success")
        return redirect(url_for(".index", month=request.form.get("month") or last_month()))

    def _upload(self, upload_id):
        upload = db.session.get(IcareUpload, upload_id) if upload_id else None
        if upload is None or not may_make_finals(current_user):
            abort(404)
        return upload


@shown_later("icare_final")
def final_message(slug, count, left):
    """The confirmation of a final file, written in the language of the page showing it."""
    return ngettext(
        "%(title)s: final file with %(count)d record; %(left)d left out.",
        "%(title)s: final file with %(count)d records; %(left)d left out.",
        count,
        title=template_label(slug),
        count=count,
        left=left,
    )
