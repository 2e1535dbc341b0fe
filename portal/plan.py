"""My plan: the client's settlement plan, once their worker has shared it with them (the plan
is what OCMS hands to the client: its goals, steps, statuses and notes, as printed), and the
same plan as a PDF in the portal's language. Earlier shared plans are listed, read-only.
``SettlementPlan.portal_condition`` and the goals' and steps' ``portal_parent`` make an
unshared plan, and anything of another client, invisible here."""

from flask import Response, abort, g, render_template
from flask_babel import get_locale

from exports.plans import need_area_label, plan_pdf
from extensions import db
from models.agencies import Agency
from models.plans import plans_of
from portal.blueprint import bp, portal_page


def pdf_language():
    return "fr" if str(get_locale() or "en").startswith("fr") else "en"


@bp.route("/plan")
@portal_page
def plan():
    shared = plans_of(g.portal_client)  # only the plans shared with the client are read here
    current, earlier = (shared[0], shared[1:]) if shared and shared[0].is_active else (None, shared)
    lang = pdf_language()
    return render_template("portal/plan.html", plan=current, earlier=earlier, need=lambda code: need_area_label(code, lang))


@bp.route("/plan/<int:plan_id>.pdf")
@portal_page
def plan_download(plan_id):
    found = next((row for row in plans_of(g.portal_client) if row.id == plan_id), None)
    if found is None:
        abort(404)
    data = plan_pdf(found, db.session.get(Agency, found.agency_id), pdf_language())
    headers = {"Content-Disposition": f'attachment; filename="settlement-plan-{found.start_date}.pdf"'}
    return Response(data, mimetype="application/pdf", headers=headers)
