"""My resumes and cover letters: list, build (new, edit), view, PDF, duplicate and delete.
A client's own documents and the ones their caseworkers wrote for them are listed; only the
author edits or deletes (``models/career_documents.py``: a caseworker's document answers 403
to the client's edit and delete, and duplicating it gives the client a copy of their own).
Another client's document is not there for them (404)."""

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext

from career_documents import KINDS
from career_documents.layout import lines_of
from custom_pages.career_editing import first_state, post
from exports.career_documents import document_pdf
from extensions import db
from models.career_documents import delete_document, documents_of, duplicate, find_document, is_author, require_author
from models.principal import current_principal
from portal.blueprint import bp, portal_page

PATHS = {"resume": "resumes", "cover_letter": "cover-letters"}
LISTS = {"resume": "portal.resumes", "cover_letter": "portal.cover_letters"}
ENDPOINT_OF_ACTION = {"view": "document_view", "edit": "document_edit", "pdf": "document_pdf_download"}
ENDPOINT_OF_ACTION |= {"delete": "document_delete", "duplicate": "document_duplicate", "new": "document_new"}


def document_url(action, document=None, kind=None):
    kind = document.kind if document is not None else kind
    if action == "list":
        return url_for(LISTS[kind])
    values = {"document_id": document.id} if document is not None else {}
    return url_for(f"portal.{kind}_{ENDPOINT_OF_ACTION[action]}", **values)


def route(suffix, **options):
    """The same page under ``/portal/resumes...`` and ``/portal/cover-letters...``, one endpoint
    per kind (``portal.resume_document_view``...), the kind given to the view."""

    def register(view):
        for kind, path in PATHS.items():
            bp.add_url_rule(f"/{path}{suffix}", f"{kind}_{view.__name__}", portal_page(for_kind(view, kind)), **options)
        return view

    return register


def for_kind(view, kind):
    def page(**values):
        return view(kind, **values)

    page.__name__ = f"{kind}_{view.__name__}"
    return page


def page_context():
    return {"url": document_url, "is_author": is_author, "lines_of": lines_of}


def own_document(kind, document_id):
    document = find_document(g.portal_client, document_id, kind)  # the rules: the client's own only
    if document is None:
        abort(404)
    return document


def document_list(kind):
    documents = documents_of(g.portal_client, kind)
    return render_template("portal/documents.html", kind=KINDS[kind], documents=documents, **page_context())


@bp.route("/resumes")
@portal_page
def resumes():
    return document_list("resume")


@bp.route("/cover-letters")
@portal_page
def cover_letters():
    return document_list("cover_letter")


def builder_page(kind, document=None):
    if request.method == "GET":
        state = first_state(kind, g.portal_client, document)
    else:
        saved, state = post(kind, g.portal_client, document, request.form, current_principal())
        if saved is not None:
            db.session.commit()
            flash(gettext("Saved: %(title)s.", title=saved.title), "success")
            return redirect(document_url("view", saved))
    if state.message:
        flash(str(state.message), "error")
    cancel = document_url("view", document) if document is not None else document_url("list", kind=kind)
    context = state.context(g.portal_client) | page_context()
    return render_template("portal/document_edit.html", document=document, cancel=cancel, **context)


@route("/new", methods=("GET", "POST"))
def document_new(kind):
    return builder_page(kind)


@route("/<int:document_id>/edit", methods=("GET", "POST"))
def document_edit(kind, document_id):
    document = own_document(kind, document_id)
    require_author(document)
    return builder_page(kind, document)


@route("/<int:document_id>")
def document_view(kind, document_id):
    document = own_document(kind, document_id)
    return render_template("portal/document_view.html", document=document, kind=KINDS[kind], **page_context())


@route("/<int:document_id>.pdf")
def document_pdf_download(kind, document_id):
    document = own_document(kind, document_id)
    headers = {"Content-Disposition": f'attachment; filename="{kind.replace("_", "-")}-{document.id}.pdf"'}
    return Response(document_pdf(document), mimetype="application/pdf", headers=headers)


@route("/<int:document_id>/duplicate", methods=("POST",))
def document_duplicate(kind, document_id):
    copy = duplicate(own_document(kind, document_id), current_principal())
    db.session.commit()
    flash(gettext("Your own copy is made: change it as you like."), "success")
    return redirect(document_url("edit", copy))


@route("/<int:document_id>/delete", methods=("GET", "POST"))
def document_delete(kind, document_id):
    document = own_document(kind, document_id)
    require_author(document)
    if request.method == "GET" or request.form.get("confirm") != "1":
        return render_template("portal/document_delete.html", document=document, kind=KINDS[kind], **page_context())
    delete_document(document, current_principal())
    db.session.commit()
    flash(gettext("Deleted: %(title)s.", title=document.title), "success")
    return redirect(document_url("list", kind=kind))
