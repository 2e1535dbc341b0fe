"""What each kind of record is called in the interface: the audit trail's "Record" column, the
break-glass pages and notices, the access-request export. One label per record type, the name
the audit trail stores (``models.audit.record_type_of``: ``ServiceForm`` -> ``service_form``);
``tests/test_record_labels.py`` fails when a model or a recorded event has none."""

from flask_babel import lazy_gettext, lazy_pgettext

RECORD_LABELS = {
    "agency": lazy_gettext("agency"),
    "agency_question": lazy_gettext("agency question"),
    "audit_event": lazy_gettext("audit trail"),
    "break_glass_grant": lazy_gettext("break-glass opening"),
    "career_document": lazy_gettext("resume or cover letter"),
    "case_note": lazy_gettext("case note"),
    "client": lazy_gettext("client"),
    "client_activity": lazy_gettext("client activity"),
    "client_assignment": lazy_gettext("worker assignment"),
    "client_cams_number": lazy_gettext("CAMS number"),
    "client_file": lazy_gettext("file"),
    "client_first_service": lazy_gettext("first service"),
    "client_follow": lazy_gettext("client followed"),
    "client_merge": lazy_gettext("profile merge"),
    "client_skill": lazy_gettext("client skill"),
    "consent_record": lazy_gettext("consent"),
    "course": lazy_gettext("course"),
    "dismissed_proposal": lazy_gettext("dismissed proposal"),
    "eap_item": lazy_gettext("action plan item"),
    "eap_outcome": lazy_gettext("action plan outcome"),
    "eap_sub_goal": lazy_gettext("action plan sub-goal"),
    "emergency_contact": lazy_gettext("emergency contact"),
    "employment_action_plan": lazy_gettext("employment action plan"),
    "form_yes_answer": lazy_gettext("form answer"),
    "funder": lazy_gettext("funder"),
    "group_activity_name": lazy_gettext("group activity"),
    "icare_amendment": lazy_gettext("iCARE amendment"),
    "icare_upload": lazy_pgettext("record type", "iCARE upload"),  # the heading elsewhere is capitalised
    "icare_upload_item": lazy_gettext("iCARE upload record"),
    "job_company": lazy_gettext("company"),
    "job_lead": lazy_gettext("job lead"),
    "job_occupation": lazy_gettext("occupation"),
    "job_posting": lazy_gettext("job posting"),
    "job_sector": lazy_gettext("sector"),
    "job_skill": lazy_gettext("skill"),
    "mentor": lazy_gettext("mentor"),
    "mentor_match": lazy_gettext("mentor match"),
    "mentor_update": lazy_gettext("mentor update"),
    "message_template": lazy_gettext("message template"),
    "notification": lazy_gettext("message"),
    "notification_opt_out": lazy_gettext("message opt-out"),
    "partnership": lazy_gettext("partnership"),
    "plan_follow_up": lazy_gettext("plan follow-up"),
    "plan_goal": lazy_gettext("plan goal"),
    "plan_review": lazy_gettext("plan review"),
    "plan_step": lazy_gettext("plan step"),
    "portal_account": lazy_gettext("portal account"),
    "portal_upload": lazy_gettext("portal upload"),
    "program": lazy_gettext("program"),
    "recovery_code": lazy_gettext("recovery code"),
    "reference_value": lazy_gettext("list value"),
    "referral": lazy_gettext("referral"),
    "referral_partner": lazy_gettext("referral partner"),
    "report": lazy_gettext("report"),
    "safety_flag": lazy_gettext("safety flag"),
    "service_form": lazy_gettext("service form"),
    "service_session": lazy_gettext("session"),
    "session_client": lazy_gettext("session attendee"),
    "settlement_plan": lazy_gettext("settlement plan"),
    "shared_referral": lazy_gettext("shared referral"),
    "sign_in_attempt": lazy_gettext("sign-in attempt"),
    "sign_in_link": lazy_gettext("sign-in link"),
    "site": lazy_gettext("site"),
    "sms_message": lazy_gettext("text message"),
    "staff": lazy_gettext("staff member"),
    "task": lazy_gettext("task"),
    "training_opportunity": lazy_gettext("training opportunity"),
}


def record_label(record_type):
    """The kind of record in the interface's language (a type with no label: as stored, spaced)."""
    label = RECORD_LABELS.get(record_type)
    return str(label) if label is not None else record_type.replace("_", " ")
