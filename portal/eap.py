"""The client's Employment Action Plan, read-only: the plans staff entered or imported
(``models/eap.py``), with the client's CaMS number. The same content as the dashboard's tab."""

from flask import g, render_template

from models.cams import cams_of
from models.eap import plans_of
from portal.blueprint import bp, portal_page


@bp.route("/eap")
@portal_page
def eap():
    return render_template("portal/eap.html", plans=plans_of(g.portal_client), cams=cams_of(g.portal_client))
