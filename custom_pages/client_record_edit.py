"""The edit page of a client's note or file: one flow for both. GET stamps the form with the
row's version; POST validates, then writes and commits in one transaction, refused (the typed
input kept, what changed shown) when a colleague saved the row since the page was loaded. The
Program and Private fields are written only for the row's owner side, and never for a file
attached to a service form, which is seen exactly as its form is (``models/visibility.py``)."""

from flask import flash, request

from admin_views.locking import flash_stale
from extensions import db
from models.errors import StaleRecord
from models.record_history import check_version, refusing_stale
from models.visibility import may_change, may_restrict


def save_versioned(row, form, write):
    loaded = form.loaded()
    check_version(row, loaded)
    write(row)
    if may_restrict(row) and getattr(row, "form_id", None) is None:  # a file on a form is seen as its form
        form.apply_to(row)
    with refusing_stale([row], loaded.seen):
        db.session.commit()


def edit_page(view, record, form, write, labels, saved, done, template, **context):
    """``write(row)`` copies the form's own fields; ``done`` is the response after a save."""
    if request.method == "GET":
        form.stamp(record)
    elif form.validate():
        try:
            save_versioned(record, form, write)
        except StaleRecord as stale:
            flash_stale(stale, labels)
            form.stamp(record)  # what was typed stays on the page, with the current version
        else:
            flash(saved, "success")
            return done
    return view.render(template, form=form, can_change=may_change(record), can_restrict=may_restrict(record), **context)
