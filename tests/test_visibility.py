"""Program and Private rules on service forms: who sees a form's content, through every page."""

import pytest

from models import Program
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
