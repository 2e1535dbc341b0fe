"""What a new form is pre-filled with from its session and client (so nothing is typed twice)."""


def session_date(session, client, course):
    return session.service_date.isoformat()


def site_postal_code(session, client, course):
    return session.site.postal_code or None if session.site else None


def first_language(session, client, course):
    return session.languages[0] if session.languages else None


def official_language(session, client, course):
    return client.official_language if client else None


def hours(session, client, course):
    return session.hours


def minutes(session, client, course):
    return str(min(55, 5 * round(session.minutes / 5)))


def course_code(session, client, course):
    return (course.data or {}).get("course_cd") if course else None


PREFILL = {
    **dict.fromkeys(
        (
            "start_dttm",
            "assessment_start_dt",
            "service_start_dt",
            "start_dt",
            "class_dt",
            "first_class_dt",
            "end_dttm",
            "assessment_completed_dt",
            "session_referral_dt",
        ),
        session_date,
    ),
    "postal_cd": site_postal_code,
    **dict.fromkeys(
        ("service_language_id", "assessment_language_id", "service_lang_id", "session_service_lang_id"), first_language
    ),
    **dict.fromkeys(
        (
            "service_official_language_id",
            "preferred_official_language_id",
            "preferred_official_lang_id",
            "session_official_lang_id",
        ),
        official_language,
    ),
    **dict.fromkeys(("orientation_length_hours_no", "service_length_hours_no", "complete_hours_spent_no"), hours),
    **dict.fromkeys(("orientation_length_minutes_no", "service_length_minutes_no", "complete_minutes_spent_no"), minutes),
    "course_cd": course_code,
}


def prefilled(spec, session, client=None, course=None):
    """Answers for a new form of ``spec``: every field it has that the session or client knows."""
    answers = {}
    for field in spec.fields:
        source = PREFILL.get(field.name)
        value = source(session, client, course) if source else None
        if value not in (None, "") and (field.type != "choice" or value in field.choices):
            answers[field.name] = value
    return answers
