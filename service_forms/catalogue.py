"""Every service form kind. Forms with an iCARE template take every column of it (and its value
lists); the others are described field by field here. Which session types offer which kinds is
in ``session_types.py``."""

from dataclasses import replace

from flask_babel import lazy_gettext

from service_forms.fields import FieldSpec as F
from service_forms.fields import FormSpec, icare_fields, options_by_code

SUPPORT_PREFIXES = (
    "support_received",
    "childminding",
    "transportation",
    "support_disability",
    "translation",
    "interpretation",
    "counselling",
)
SECTIONS = [(p, "Support services") for p in SUPPORT_PREFIXES] + [
    ("target_group", "Target groups"),
    ("topic_", "Topics covered"),
    ("training_received", "Skills training"),
    ("essential_skill", "Skills training"),
    ("skill_received", "Skills training"),
    ("knwl_", "Needs and referrals"),
    ("social_", "Needs and referrals"),
    ("professional_", "Needs and referrals"),
    ("local_", "Needs and referrals"),
    ("community_involvement", "Needs and referrals"),
    ("language_skills", "Needs and referrals"),
    ("other_skills", "Needs and referrals"),
    ("find_employment", "Employment goals"),
    ("canadian_employment", "Employment goals"),
    ("intended_work", "Employment goals"),
    ("intention_", "Intentions"),
    ("non_cic", "Non-IRCC needs"),
    ("food_", "Non-IRCC needs"),
    ("housing_", "Non-IRCC needs"),
    ("hlth_", "Non-IRCC needs"),
    ("financial_", "Non-IRCC needs"),
    ("family_support", "Non-IRCC needs"),
    ("language_non", "Non-IRCC needs"),
    ("edu_", "Non-IRCC needs"),
    ("employment_related", "Non-IRCC needs"),
    ("legal_", "Non-IRCC needs"),
    ("community_services", "Non-IRCC needs"),
    ("intervention_", "Long-term intervention"),
    ("employer_", "Long-term intervention"),
    ("placement_", "Long-term intervention"),
    ("working_", "Long-term intervention"),
    ("mentoring_", "Long-term intervention"),
    ("short_term", "Short-term services"),
    ("course_schedule", "Schedule"),
    ("language_CLB", "CLB levels"),
    ("course_material", "Course material"),
    ("contact_", "Location"),
    ("street_", "Location"),
    ("unit_", "Location"),
    ("province_", "Location"),
    ("city_", "Location"),
    ("phone_", "Location"),
    ("email_", "Location"),
    ("certificate_", "Certificate"),
    ("listening_", "CLB results"),
    ("speaking_", "CLB results"),
    ("reading_", "CLB results"),
    ("writing_", "CLB results"),
]
YES_NO = ("Yes", "No")


SUPPORT = "Support services"
SUPPORT_NEEDED, SUPPORT_RECEIVED = "Support services needed", "Support services received"
SUPPORT_QUESTIONS = ("support_required_services_required", "support_received_ind")  # the block's yes/no questions


def support_labelled(field):
    """The support-services block says which answers are support needed (``*_required*``) and
    which support received: both lists name the same services."""
    needed, header = "_required" in field.name, field.name in SUPPORT_QUESTIONS
    if field.section != SUPPORT and not header:
        return field
    if needed:
        label = field.label if header else lazy_gettext("Needed: %(label)s", label=field.label)
        return replace(field, section=SUPPORT_NEEDED, label=label)
    detail = header or "[" in field.name or field.name.endswith(("_from_id", "_to_id"))
    label = field.label if detail else lazy_gettext("Received: %(label)s", label=field.label)
    return replace(field, section=SUPPORT_RECEIVED, label=label)


def icare(sheet, **kwargs):
    return tuple(map(support_labelled, icare_fields(sheet, SECTIONS, **kwargs)))


def support_block():
    """The iCARE support-services block, for forms without a template of their own."""
    return tuple(f for f in icare("LT Client Enrol") if f.section == SUPPORT_RECEIVED)


def clb(name, label, source="reading_CLB_level_id", **kwargs):
    return F(name, label, "choice", tuple(options_by_code()[source]), section="CLB results", **kwargs)


def service_basics(required=True):
    """Start date and language of service: the minimum every hand-described form records."""
    return (
        F("start_dt", lazy_gettext("Date of service"), "date", required=required),
        F(
            "service_language_id",
            lazy_gettext("Language of service"),
            "choice",
            tuple(options_by_code()["service_language_id"]),
            required=required,
        ),
    )


def group_form(kind, label):
    """The session-level form of a group activity."""
    return FormSpec(
        kind,
        label,
        scope="session",
        fields=(
            F("topic", lazy_gettext("Topic"), required=True),
            F("presenter", lazy_gettext("Presenter"), required=True),
            F("participants", lazy_gettext("Number of participants"), "integer", required=True, minimum=0, maximum=10000),
            F("evaluations", lazy_gettext("Number of evaluations received"), "integer", minimum=0, maximum=10000),
            F("rating", lazy_gettext("Overall rating"), "choice", ("Excellent", "Good", "Fair", "Poor")),
            F("notes", lazy_gettext("Notes"), "textarea"),
        ),
    )


ATTENDANCE = (
    F("client_attended", lazy_gettext("Client attended"), "yesno", YES_NO, required=True, section="Attendance"),
    F(
        "service_status",
        lazy_gettext("Status of service"),
        "choice",
        ("Complete", "Ongoing", "Ended early"),
        section="Attendance",
    ),
    F("volunteer_minutes", lazy_gettext("Volunteer time (minutes)"), "integer", minimum=0, maximum=6000, section="Attendance"),
)


def attendee_form(kind, label, sheet):
    return FormSpec(
        kind,
        label,
        ATTENDANCE + icare(sheet),
        icare_sheet=sheet,
        attendance_field="client_attended",
        description=lazy_gettext("Not counted unless the client attended."),
    )


FORM_LIST = [
    FormSpec("io", lazy_gettext("Information & Orientation"), icare("Info&Orien"), icare_sheet="Info&Orien"),
    FormSpec(
        "needs_assessment",
        lazy_gettext("Needs Assessment"),
        icare("Needs Assessment&Referrals"),
        icare_sheet="Needs Assessment&Referrals",
    ),
    FormSpec("employment", lazy_gettext("Employment"), icare("Employment"), icare_sheet="Employment"),
    FormSpec(
        "non_specified",
        lazy_gettext("Non-Specified"),
        service_basics()
        + (
            F("description", lazy_gettext("Service given"), "textarea", required=True),
            F("notes", lazy_gettext("Notes"), "textarea"),
        )
        + support_block(),
        description=lazy_gettext("A quick form for simple services; never sent to iCARE."),
    ),
    FormSpec(
        "rap",
        lazy_gettext("Refugee (RAP)"),
        service_basics()
        + (
            F("arrival_dt", lazy_gettext("Date of arrival in Canada"), "date", required=True),
            F(
                "port_of_entry_reception",
                lazy_gettext("Port-of-entry reception"),
                "yesno",
                YES_NO,
                required=True,
                section="RAP services",
            ),
            F("temporary_housing", lazy_gettext("Temporary housing"), "yesno", YES_NO, section="RAP services"),
            F("permanent_housing", lazy_gettext("Help finding permanent housing"), "yesno", YES_NO, section="RAP services"),
            F("household_items", lazy_gettext("Basic household items"), "yesno", YES_NO, section="RAP services"),
            F("orientation", lazy_gettext("Orientation"), "yesno", YES_NO, section="RAP services"),
            F("income_support_linked", lazy_gettext("Linked to income support"), "yesno", YES_NO, section="RAP services"),
            F("notes", lazy_gettext("Notes"), "textarea"),
        )
        + support_block(),
        description=lazy_gettext("Resettlement assistance in the first 4-6 weeks."),
    ),
    FormSpec(
        "community_connection",
        lazy_gettext("Community Connection"),
        icare("Community Connections"),
        icare_sheet="Community Connections",
    ),
    FormSpec(
        "language_assessment",
        lazy_gettext("Language Assessment"),
        service_basics()
        + (
            F(
                "assessment_tool",
                lazy_gettext("Assessment tool"),
                "choice",
                ("CLBA", "CLB-PT", "CELPIP", "IELTS", "TEF", "Other"),
                required=True,
            ),
            clb("listening_level", lazy_gettext("Listening CLB level"), "listening_CLB_level_id", required=True),
            clb("speaking_level", lazy_gettext("Speaking CLB level"), "speaking_CLB_level_id", required=True),
            clb("reading_level", lazy_gettext("Reading CLB level"), required=True),
            clb("writing_level", lazy_gettext("Writing CLB level"), "writing_CLB_level_id", required=True),
            F("referred_to_course", lazy_gettext("Referred to a language course"), "yesno", YES_NO),
            F("notes", lazy_gettext("Notes"), "textarea"),
        )
        + support_block(),
    ),
    FormSpec(
        "jd_needs_assessment",
        lazy_gettext("JD Needs Assessment"),
        service_basics()
        + (
            F(
                "employment_status",
                lazy_gettext("Current employment status"),
                "choice",
                tuple(options_by_code()["session_employment_status_id"]),
                required=True,
            ),
            F("education_status", lazy_gettext("Education"), "choice", tuple(options_by_code()["session_education_status_id"])),
            F(
                "current_occupation",
                lazy_gettext("Occupation before arrival"),
                "choice",
                tuple(options_by_code()["session_current_occupation_id"]),
            ),
            F(
                "intended_occupation",
                lazy_gettext("Intended occupation in Canada"),
                "choice",
                tuple(options_by_code()["session_current_occupation_id"]),
                required=True,
            ),
            F("barriers", lazy_gettext("Barriers to employment"), "textarea"),
            F("goals", lazy_gettext("Employment goals"), "textarea", required=True),
        )
        + support_block(),
    ),
    FormSpec(
        "jd_update",
        lazy_gettext("JD Update/Progress"),
        service_basics()
        + (
            F("progress", lazy_gettext("Progress since the last meeting"), "textarea", required=True),
            F(
                "status",
                lazy_gettext("Status"),
                "choice",
                ("Job searching", "In training", "Employed", "On hold", "Closed"),
                required=True,
            ),
            F("next_steps", lazy_gettext("Next steps"), "textarea"),
        )
        + support_block(),
    ),
    FormSpec(
        "job_placement",
        lazy_gettext("Job Placement"),
        service_basics()
        + (
            F("employer", lazy_gettext("Employer"), required=True),
            F("position", lazy_gettext("Position"), required=True),
            F("placement_start_dt", lazy_gettext("Start date"), "date", required=True),
            F(
                "placement_type_id",
                lazy_gettext("Placement type"),
                "choice",
                tuple(options_by_code()["placement_type_id"]),
                required=True,
            ),
            F("working_hours_id", lazy_gettext("Working hours"), "choice", tuple(options_by_code()["working_hours_id"])),
            F("employer_size_id", lazy_gettext("Employer size"), "choice", tuple(options_by_code()["employer_size_id"])),
            F("hourly_wage", lazy_gettext("Hourly wage ($)"), "integer", minimum=0, maximum=1000),
            F("related_to_field", lazy_gettext("In the client's field of expertise"), "yesno", YES_NO),
        )
        + support_block(),
    ),
    FormSpec(
        "mentor_match",
        lazy_gettext("Mentor/Tutor Match"),
        service_basics()
        + (
            # The directory's mentor; a name typed before the directory stays in the answers as
            # "mentor_name", shown read-only (custom_pages/mentor_forms.py).
            F("mentor_id", lazy_gettext("Mentor or tutor"), "mentor", required=True),
            F(
                "mentoring_location_id",
                lazy_gettext("Where mentoring takes place"),
                "choice",
                tuple(options_by_code()["mentoring_location_id"]),
            ),
            F(
                "mentoring_hours_id",
                lazy_gettext("Average hours per week"),
                "choice",
                tuple(options_by_code()["mentoring_hours_id"]),
                required=True,
            ),
            F(
                "intervention_profession_id",
                lazy_gettext("Profession or trade"),
                "choice",
                tuple(options_by_code()["intervention_profession_id"]),
            ),
            F("match_start_dt", lazy_gettext("Match start date"), "date", required=True),
        )
        + support_block(),
    ),
    FormSpec(
        "mentor_update",
        lazy_gettext("Mentor/Tutor Update"),
        service_basics()
        + (
            F("meetings", lazy_gettext("Meetings since the last update"), "integer", required=True, minimum=0, maximum=500),
            F("match_status", lazy_gettext("Match status"), "choice", ("Ongoing", "Completed", "Ended early"), required=True),
            F("notes", lazy_gettext("Notes"), "textarea"),
        )
        + support_block(),
    ),
    FormSpec(
        "finance",
        lazy_gettext("Financial Services and Outcomes"),
        service_basics()
        + (
            F(
                "location",
                lazy_gettext("Is the service taking place in"),
                "choice",
                ("Agency office", "Client's home", "School", "Community space", "Online"),
                required=True,
            ),
            F("on_behalf", lazy_gettext("Is this a follow-up done on behalf of the client"), "yesno", YES_NO, required=True),
            F(
                "client_stage",
                lazy_gettext("Client stage"),
                "choice",
                ("Intake", "In progress", "Follow-up", "Closing"),
                required=True,
            ),
            F(
                "record_type",
                lazy_gettext("This form records"),
                "choice",
                ("Services delivered", "Outcomes achieved"),
                required=True,
            ),
            F(
                "services",
                lazy_gettext("Services delivered"),
                "multichoice",
                ("Budgeting", "Banking", "Tax filing", "Benefits applications", "Credit and debt", "Financial literacy workshop"),
                required=True,
                show_if=("record_type", "Services delivered"),
            ),
            F(
                "outcomes",
                lazy_gettext("Outcomes achieved"),
                "multichoice",
                ("Opened a bank account", "Filed taxes", "Received benefits", "Reduced debt", "Made a budget"),
                required=True,
                show_if=("record_type", "Outcomes achieved"),
            ),
        )
        + support_block(),
    ),
    FormSpec(
        "lt_course",
        lazy_gettext("Training Open (course)"),
        icare("LT Course Setup"),
        scope="session",
        icare_sheet="LT Course Setup",
        description=lazy_gettext("The course: one per language-training session that opens it."),
    ),
    FormSpec(
        "lt_attendance",
        lazy_gettext("Training Attendance"),
        (
            F("class_dt", lazy_gettext("Class date"), "date", required=True),
            F("attended", lazy_gettext("Attended"), "yesno", YES_NO, required=True),
            F("hours", lazy_gettext("Hours attended"), "integer", minimum=0, maximum=24),
        ),
        attendance_field="attended",
    ),
    FormSpec("lt_enrolment", lazy_gettext("Training Enrolment"), icare("LT Client Enrol"), icare_sheet="LT Client Enrol"),
    FormSpec("lt_exit", lazy_gettext("Training Exit"), icare("LT Client Exit"), icare_sheet="LT Client Exit"),
    group_form("cc_group", lazy_gettext("Community Connections (group)")),
    attendee_form("cc_attendee", lazy_gettext("Community Connections Attendee"), "Community Connections"),
    group_form("io_group", lazy_gettext("Information & Orientation (group)")),
    attendee_form("io_attendee", lazy_gettext("Group Activity Attendee (I&O)"), "Info&Orien"),
    group_form("employment_group", lazy_gettext("Employment (group)")),
    attendee_form("employment_attendee", lazy_gettext("Group Activity Attendee (Employment)"), "Employment"),
]
FORMS = {form.kind: form for form in FORM_LIST}


class UnknownFormKind(ValueError):
    def __init__(self, kind):
        super().__init__(f"Unknown form kind {kind!r}.")
        self.kind = kind


def form_kind(kind):
    """The description of form kind ``kind`` (read from ``FORMS`` at call time)."""
    try:
        return FORMS[kind]
    except KeyError:
        raise UnknownFormKind(kind) from None


def form_kind_choices():
    return [(kind, spec.label) for kind, spec in FORMS.items()]


def attendance_fields():
    """Names of the fields where a "No" says the client did not attend (they are not counted)."""
    return sorted({spec.attendance_field for spec in FORMS.values() if spec.attendance_field})
