"""The client dashboard's Resumes and Cover Letters tabs: the same documents the client has in
the portal, with the same actions (new, edit, view, PDF, duplicate, delete). Only the author
edits or deletes (``models/career_documents.py``): a document the client wrote answers 403 to
a staff member's edit and delete, and *Duplicate* gives the staff member a copy of their own.
Every page loads the client through the grid's scoped ``get_one`` (another agency's client is
404) and the document under that client (any other id is 404). The tabs show as the job
search tabs do (``job_tabs_shown``), or when the client has a document."""

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext

from career_documents import KINDS
from career_documents.layout import lines_of
from custom_pages.career_editing import first_state, post
from custom_pages.client_jobs import job_tabs_shown
from exports.career_documents import document_pdf
from extensions import db
from models.audit import record_event
from models.career_documents import (
    CareerDocument,
    delete_document,
    documents_of,
    duplicate,
    find_document,
    is_author,
    require_author,
)
from models.principal import current_principal

DOCUMENT_TABS = {"resumes": lazy_gettext("Resumes"), "cover_letters": lazy_gettext("Cover Letters")}
TAB_OF_KIND = {"resume": "resumes", "cover_letter": "cover_letters"}
KIND_OF_TAB = {tab: kind for kind, tab in TAB_OF_KIND.items()}
DOCUMENT_RECORDS = (CareerDocument,)
ENDPOINTS = {"view": ".document_view", "edit": ".document_edit", "pdf": ".document_pdf", "delete": ".document_delete"}
ENDPOINTS |= {"duplicate": ".document_duplicate"}


def document_tabs_shown(tab, account, present):
    return tab in DOCUMENT_TABS or job_tabs_shown(tab, account, present) or present.any_of(DOCUMENT_RECORDS)


def urls_for(client):
    """The dashboard's ``url(action, document, kind)`` for the shared document templates."""

    def url(action, document=None, kind=None):
        kind = document.kind if document is not None else kind
        if action == "list":
            return url_for(".dashboard", client_id=client.id, tab=TAB_OF_KIND[kind])
        if action == "new":
            return url_for(".document_new", client_id=client.id, kind=kind)
        return url_for(ENDPOINTS[action], client_id=client.id, document_id=document.id)

    return url


def document_tab_data(client, tab):
    if tab not in DOCUMENT_TABS:
        return {}
    kind = KIND_OF_TAB[tab]
    return {"doc_kind": KINDS[kind], "documents": documents_of(client, kind), "url": urls_for(client), "is_author": is_author}


class ClientDocumentsMixin:
    """On the client grid view: ``/admin/clients/<id>/documents/...``."""

    def _document(self, client, document_id):
        document = find_document(client, document_id)
        if document is None:
            abort(404)
        return document

    def _builder(self, client, kind, document=None):
        url = urls_for(client)
        if request.method == "GET":
            state = first_state(kind, client, document)
        else:
            saved, state = post(kind, client, document, request.form, current_principal())
            if saved is not None:
                db.session.commit()
                flash(gettext("Saved: %(title)s.", title=saved.title), "success")
                return redirect(url("view", saved))
        if state.message:
            flash(str(state.message), "error")
        cancel = url("view", document) if document is not None else url("list", kind=kind)
        context = state.context(client) | {"url": url, "is_author": is_author}
        return self.render("admin/clients/document_edit.html", client=client, document=document, cancel=cancel, **context)

    @expose("/<int:client_id>/documents/new/", methods=("GET", "POST"))
    def document_new(self, client_id):
        client = self.get_one(client_id)
        kind = request.args.get("kind", "")
        if kind not in KINDS:
            abort(404)
        return self._builder(client, kind)

    @expose("/<int:client_id>/documents/<int:document_id>/edit/", methods=("GET", "POST"))
    def document_edit(self, client_id, document_id):
        client = self.get_one(client_id)
        document = self._document(client, document_id)
        require_author(document)
        return self._builder(client, document.kind, document)

    @expose("/<int:client_id>/documents/<int:document_id>/")
    def document_view(self, client_id, document_id):
        client = self.get_one(client_id)
        document = self._document(client, document_id)
        record_event("view", "career_document", document.id, client.id, detail=f"{document.kind}: {document.title}")
        db.session.commit()
        context = {"url": urls_for(client), "is_author": is_author, "kind": document.description, "lines_of": lines_of}
        return self.render("admin/clients/document_view.html", client=client, document=document, **context)

    @expose("/<int:client_id>/documents/<int:document_id>/pdf/")
    def document_pdf(self, client_id, document_id):
        document = self._document(self.get_one(client_id), document_id)
        record_event("export", "career_document", document.id, client_id, detail=f"{document.kind} PDF: {document.title}")
        db.session.commit()
        headers = {"Content-Disposition": f'attachment; filename="{document.kind.replace("_", "-")}-{document.id}.pdf"'}
        return Response(document_pdf(document), mimetype="application/pdf", headers=headers)

    @expose("/<int:client_id>/documents/<int:document_id>/duplicate/", methods=("POST",))
    def document_duplicate(self, client_id, document_id):
        client = self.get_one(client_id)
        copy = duplicate(self._document(client, document_id), current_principal())
        db.session.commit()
        flash(gettext("Your own copy is made: change it as you like."), "success")
        return redirect(urls_for(client)("edit", copy))

    @expose("/<int:client_id>/documents/<int:document_id>/delete/", methods=("GET", "POST"))
    def document_delete(self, client_id, document_id):
        client = self.get_one(client_id)
        document = self._document(client, document_id)
        require_author(document)
        url = urls_for(client)
        if request.method == "GET" or request.form.get("confirm") != "1":
            return self.render("admin/clients/document_delete.html", client=client, document=document, url=url)
        delete_document(document, current_principal())
        db.session.commit()
        flash(gettext("Deleted: %(title)s.", title=document.title), "success")
        return redirect(url("list", kind=document.kind))
