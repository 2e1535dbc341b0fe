"""Printable profile (intake form) and registration receipt, as PDF downloads."""

from flask import Response, request
from flask_admin import expose
from flask_login import current_user

from exports.pdf import client_profile_pdf, registration_receipt_pdf


def client_language(client):
    return "fr" if (client.official_language or "").lower().startswith("fr") else "en"


class ClientPrintMixin:
    def _pdf(self, client_id, writer, name):
        """One of this agency's clients printed by ``writer``, in English or French (``?lang=en`` or
        ``?lang=fr``; without it, the client's official language of preference)."""
        client = self.get_one(client_id)
        lang = request.args.get("lang") if request.args.get("lang") in ("en", "fr") else client_language(client)
        filename = f"{client.registration_number}-{name}-{lang}.pdf"
        data = writer(client, current_user.agency, lang)
        return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})

    @expose("/<int:client_id>/profile.pdf")
    def profile_pdf(self, client_id):
        return self._pdf(client_id, client_profile_pdf, "profile")

    @expose("/<int:client_id>/receipt.pdf")
    def receipt_pdf(self, client_id):
        return self._pdf(client_id, registration_receipt_pdf, "receipt")
