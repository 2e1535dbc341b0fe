"""Flask-Admin's templates as we serve them: each of our edits still finds its fragment (an
upgrade of Flask-Admin that moves one fails here, not silently), and the edited markup is there."""

import pytest

from admin_views.template_patches import PATCHES


@pytest.mark.parametrize(("template", "fragment", "replacement"), PATCHES, ids=lambda v: str(v)[:40])
def test_every_fragment_is_found_once_in_flask_admins_template(app, template, fragment, replacement):
    source, _, _ = app.jinja_env.loader.loader.get_source(app.jinja_env, template)
    assert source.count(fragment) == 1
    served, _, _ = app.jinja_env.loader.get_source(app.jinja_env, template)
    assert replacement in served


@pytest.mark.usefixtures("demo")
def test_admin_pages_have_a_skip_link_and_labelled_row_checkboxes(client, login):
    login("admin@demo.org")
    page = client.get("/admin/sessions/").get_data(as_text=True)
    assert page.index('class="skip-link" href="#main-content"') < page.index("navbar")
    assert 'id="main-content" tabindex="-1"' in page
    assert 'aria-label="Select record"' in page and 'aria-label="Select all records"' in page
