"""The settlement plan as a PDF to hand to the client, in English or French (fpdf2, the
profile PDF's ``Document``): the worker's name and telephone from their staff profile, the
goals by need area with their steps, who is responsible, target dates and statuses.

The caller sets the language (``flask_babel.force_locale``): labels and statuses come from the
message catalogue. The need areas' labels are the Needs Assessment's (English); their French
is below, by need-area code (a test checks every need area has one).
"""

from datetime import date

from flask_babel import gettext

from exports.pdf import Document
from models.referrals import need_label

FRENCH_NEED_LABELS = {
    "knwl_life_needs_ind": "Mieux connaître : la vie au Canada",
    "knwl_comm_gov_svcs_needs_ind": "Mieux connaître : les services communautaires et gouvernementaux",
    "knwl_working_needs_ind": "Mieux connaître : le travail au Canada",
    "knwl_education_needs_ind": "Mieux connaître : l'éducation au Canada",
    "social_networks_needs_ind": "Accroître : les réseaux sociaux",
    "professional_networks_needs_ind": "Accroître : les réseaux professionnels",
    "local_community_svcs_needs_ind": "Accroître : l'accès aux services communautaires locaux",
    "community_involvement_needs_ind": "Accroître : la participation à la vie communautaire",
    "language_skills_needs_ind": "Améliorer ses compétences linguistiques",
    "other_skills_needs_ind": "Améliorer d'autres compétences",
    "find_employment_needs_ind": "Trouver un emploi",
    "food_cloth_material_needs_ind": "Nourriture, vêtements et autres besoins matériels",
    "housing_accommodation_needs_ind": "Logement",
    "hlth_mental_wellness_needs_ind": "Santé, santé mentale et bien-être",
    "financial_needs_ind": "Finances",
    "family_support_needs_ind": "Soutien à la famille",
    "language_non_CIC_needs_ind": "Langue (hors IRCC)",
    "edu_skills_devt_needs_ind": "Éducation et perfectionnement des compétences",
    "employment_related_needs_ind": "Besoins liés à l'emploi",
    "legal_info_services_needs_ind": "Information et services juridiques",
    "community_services_needs_ind": "Services communautaires",
}


def need_area_label(code, lang="en"):
    if lang == "fr" and code in FRENCH_NEED_LABELS:
        return FRENCH_NEED_LABELS[code]
    return need_label(code)


def worker_line(worker):
    """The worker's name, phone and email (none: a portal client not assigned to them)."""
    return " · ".join(part for part in (worker.name, worker.phone, worker.email) if part) if worker else ""


def shared_line(plan):
    if plan.shared_date is None:
        return gettext("Not yet")
    how = str(plan.shared_how_label)
    return f"{plan.shared_date} ({how})" if how else str(plan.shared_date)


def step_line(step):
    mark = gettext("done") if step.is_done else (gettext("by %(date)s", date=step.due_date) if step.due_date else "")
    return f"- {step.description}" + (f" ({mark})" if mark else "")


def write_goal(pdf, goal, lang):
    pdf.heading(need_area_label(goal.need_area, lang))
    pdf.row(gettext("Goal"), goal.description)
    pdf.row(gettext("Responsible"), goal.responsible_name)
    pdf.row(gettext("Target date"), goal.target_date)
    status = str(goal.status_label) + (f" ({goal.achieved_date})" if goal.achieved_date else "")
    pdf.row(gettext("Status"), status)
    if goal.steps:
        pdf.row(gettext("Steps"), "\n".join(step_line(step) for step in goal.steps))
    if goal.progress_notes:
        pdf.row(gettext("Progress notes"), goal.progress_notes)


def plan_pdf(plan, agency, lang="en"):
    """The plan for the client; ``lang`` is ``en`` or ``fr`` (the locale already forced)."""
    pdf = Document(gettext("Settlement plan"), agency.name)
    client = plan.client
    pdf.row(gettext("Client"), client.display_name)
    pdf.row(gettext("Registration number"), client.registration_number)
    pdf.row(gettext("Start date"), plan.start_date)
    pdf.row(gettext("Status"), plan.status_label)
    pdf.row(gettext("Your worker"), worker_line(plan.worker))
    pdf.row(gettext("Shared with you"), shared_line(plan))
    if plan.summary:
        pdf.row(gettext("Summary"), plan.summary)
    for goal in plan.goals:
        write_goal(pdf, goal, lang)
    pdf.ln(3)
    pdf.row(gettext("Next follow-up"), plan.next_follow_up_date)
    pdf.row(gettext("Next review"), plan.next_review_date)
    pdf.row(gettext("Printed"), date.today())
    return bytes(pdf.output())
