"""Printable profile (intake form) and registration receipt, as PDF downloads."""

from flask import Response, request
from flask_admin import expose
from flask_login import current_user

from exports.pdf import client_profile_pdf, registration_receipt_pdf


def pdf_response(data, filename):
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


class ClientPrintMixin:
    @expose("/<int:client_id>/profile.pdf")
    def profile_pdf(self, client_id):
        client = self.get_one(client_id)
        lang = "fr" if request.args.get("lang") == "fr" else "en"
        return pdf_response(
            client_profile_pdf(client, current_user.agency, lang), f"{client.registration_number}-profile-{lang}.pdf"
        )

    @expose("/<int:client_id>/receipt.pdf")
    def receipt_pdf(self, client_id):
        client = self.get_one(client_id)
        lang = "fr" if request.args.get("lang") == "fr" else "en"
        return pdf_response(
            registration_receipt_pdf(client, current_user.agency, lang), f"{client.registration_number}-receipt.pdf"
        )
