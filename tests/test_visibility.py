"""Program and Private rules on service forms: who sees a form's content, through every page."""

from datetime import date

import pytest

from extensions import db
from models import ALL_AGENCIES, Program, ServiceForm, ServiceSession, tenant_scope
from tests.conftest import demo_agency, demo_staff, text
from tests.sessions_helpers import complete_answers, form_id, ids, new_session

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def forms(app, client, login, make):
    """Wei (Settlement Services) records two forms for one client: one in his program, one private."""
    person = make.client(demo_agency(app, "DEMO"), first_name="Visible", last_name="Rules")
    login("worker@demo.org")
    me = demo_staff(app, "worker@demo.org")
    settlement = str(ids(app, Program, name="Settlement Services")[0])
    session_id = new_session(app, client, me.id, client_id=str(person.id), program_id="")  # a session anyone may see
    program_form = form_id(app, session_id, "io")
    client.post(
        f"/admin/sessions/{session_id}/forms/{program_form}/",
        data={
            **complete_answers("io"),
            "program_id": settlement,
            "institution_type_id": "Public library",
        },
    )
    client.post(f"/admin/sessions/{session_id}/forms/", data={"kind": "non_specified", "client_id": person.id})
    private_form = form_id(app, session_id, "non_specified")
    client.post(
        f"/admin/sessions/{session_id}/forms/{private_form}/",
        data={
            **complete_answers("non_specified"),
            "description": "Disclosed abuse: confidential",
            "is_private": "y",
            "program_id": "",
        },
    )
    client.post("/logout")
    return {"session": session_id, "program": program_form, "private": private_form, "client": person.id}


def seen(client, forms):
    """Which of the two forms this signed-in person can open, list, export and see in history."""
    session_id = forms["session"]
    grid, export = text(client.get("/admin/service-forms/")), text(client.get("/admin/service-forms/export/csv/"))
    history = text(client.get(f"/admin/clients/{forms['client']}/?tab=history"))
    result = {}
    for name in ("program", "private"):
        opens = client.get(f"/admin/sessions/{session_id}/forms/{forms[name]}/").status_code == 200
        listed = f"form_id={forms[name]}" in grid or f"/forms/{forms[name]}/" in grid
        result[name] = (opens, listed, f"/forms/{forms[name]}/" in history)
    result["secret in export"] = "Disclosed abuse" in export or "confidential" in export or "Disclosed abuse" in history
    return result


@pytest.mark.parametrize(
    "email, program, private",
    [
        ("worker@demo.org", True, True),  # the author
        ("coordinator@demo.org", True, True),  # the author's manager
        ("worker2@demo.org", False, False),  # another program
        ("admin@demo.org", True, False),  # admins see programs, not others' private forms
    ],
)
def test_who_sees_which_form(app, client, login, forms, email, program, private):
    login(email)
    result = seen(client, forms)
    assert result["program"] == (program, program, program)
    assert result["private"] == (private, private, private)
    assert result["secret in export"] is False  # the export has no free text of forms anyway


def test_restricted_forms_still_count(app, client, login, forms):
    login("worker2@demo.org")
    page = text(client.get(f"/admin/sessions/edit/?id={forms['session']}"))
    assert "Complete: counted in reports" in page and "Disclosed abuse" not in page
    assert page.count("Restricted:") == 2 and "open with a reason" in page  # shown as restricted, not as missing
    response = client.post(f"/admin/sessions/{forms['session']}/forms/", data={"kind": "io", "client_id": forms["client"]})
    assert "already has the Information &amp; Orientation form, of another program or private" in text(
        client.get(response.location)
    )


def filter_index(app, name):
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "service_forms")
    return next(i for i, f in enumerate(view._filters) if f.name == name)


@pytest.fixture
def form_in_a_hidden_session(app, make):
    """Wei's own form (he sees it) in a session Priya leads in a program Wei is not in (hidden
    from him), at a site and on a date he has no other way to learn."""
    agency = demo_agency(app, "DEMO")
    wei, priya = demo_staff(app, "worker@demo.org"), demo_staff(app, "worker2@demo.org")
    site, program = make.site(agency, name="Undisclosed shelter"), make.program(agency, name="Closed program")
    unused = make.site(agency, name="Site with no sessions")
    person = make.client(agency, first_name="Filtered")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session = ServiceSession(
            agency_id=agency.id,
            service_date=date(2020, 2, 2),
            site_id=site.id,
            program_id=program.id,
            lead_staff_id=priya.id,
            created_by_id=priya.id,
            minutes=30,
        )
        form = ServiceForm(agency_id=agency.id, kind="io", client_id=person.id, author_id=wei.id)
        form.save_answers({})
        session.forms = [form]
        db.session.add(session)
        db.session.commit()
        return {"form": form.id, "site": site.id, "other_site": unused.id}


def filter_answers(app, client, hidden):
    """For each filter value: is the form in the grid, in the export, and how many export lines."""
    site, dates = filter_index(app, "Site"), filter_index(app, "Date")
    answers = {}
    for name, query in {
        "true site": f"flt0_{site}={hidden['site']}",
        "other site": f"flt0_{site}={hidden['other_site']}",
        "true date": f"flt0_{dates}=2020-02-02+to+2020-02-02",
        "other date": f"flt0_{dates}=2021-03-03+to+2021-03-03",
    }.items():
        grid, export = client.get(f"/admin/service-forms/?{query}"), client.get(f"/admin/service-forms/export/csv/?{query}")
        assert grid.status_code == export.status_code == 200
        answers[name] = (f"/forms/{hidden['form']}/" in text(grid), "Filtered" in text(export), text(export).count("\n"))
    return answers


def test_the_form_grids_site_and_date_filters_reveal_nothing_of_a_hidden_session(app, client, login, form_in_a_hidden_session):
    """Settled: the grid joins each form's session under the rules, so a form whose session is
    hidden is not listed at all, whatever the Site or Date filter says: the grid and the export
    answer the true site or date exactly as a site or date with no sessions at all. Control: the
    session's lead, who sees it, gets the form for the true values only."""
    hidden = form_in_a_hidden_session
    login("worker@demo.org")
    assert f"/forms/{hidden['form']}/" not in text(client.get("/admin/service-forms/"))
    assert set(filter_answers(app, client, hidden).values()) == {(False, False, 1)}  # the export's heading only
    client.post("/logout")
    login("worker2@demo.org")
    seen_by_lead = filter_answers(app, client, hidden)
    assert seen_by_lead["true site"] == seen_by_lead["true date"] == (True, True, 2)
    assert seen_by_lead["other site"] == seen_by_lead["other date"] == (False, False, 1)


def test_the_rules_options_are_built_once_per_set_of_facts_and_follow_them(app):
    """The loader criteria are shared by requests whose viewer has the same facts (they depend on
    nothing else); any other fact (a program, a team member, a break-glass grant) gets its own."""
    from sqlalchemy.dialects import sqlite

    from models.visibility import Viewer, loader_criteria

    def sql(options):
        literal = {"literal_binds": True}
        return " ".join(str(o.where_criteria.compile(dialect=sqlite.dialect(), compile_kwargs=literal)) for o in options)

    worker = Viewer(7, "worker", (3,), (), {})
    assert loader_criteria(worker) is loader_criteria(Viewer(7, "worker", (3,), (), {}))
    others = [
        Viewer(7, "worker", (3, 4), (), {}),
        Viewer(7, "coordinator", (3,), (8,), {}),
        Viewer(7, "worker", (3,), (), {"service_form": (99,)}),
    ]
    assert all(loader_criteria(other) is not loader_criteria(worker) for other in others)
    assert "99" in sql(loader_criteria(others[2])) and "99" not in sql(loader_criteria(worker))
