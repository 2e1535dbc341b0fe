"""Every grid lists its rows in one order, whatever ``?sort=`` says (admin_views/grid_paging.py):
two pages of 20 rows list what the first 40 rows of a page of 50 are, for every column asked to sort
(with or without a sort link), both ways; the form grid sorts by its Date column."""

import re

import pytest

from tests.test_grid_statements import grid_views, grow

pytestmark = pytest.mark.usefixtures("demo")


def rows(page):
    """The page's rows (each ``<tr>`` of the table body): its record's id and its cells (its
    buttons link back to the page, which differs from page to page)."""
    body = page.split("</thead>", 1)[1].split("</table>", 1)[0]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        record = re.search(r'value="([^"]+)"|[?&]id=([^&"]+)', row)
        found.append((record and record.group(0), re.sub(r"\s+", " ", row[row.find('<td class="col-') :])))
    return found


def test_two_pages_list_what_one_longer_page_lists_for_every_sort(app, login):
    grow(app, clients=8)
    admin = login("admin@demo.org")
    checked = 0
    for view in grid_views(app):
        base = view.url.rstrip("/") + "/"
        if admin.get(base).status_code != 200:
            continue
        for index in range(len(view._list_columns)):
            for desc in ("0", "1"):
                sort = f"{base}?sort={index}&desc={desc}"
                pages = [admin.get(f"{sort}&page_size=20&page={page}") for page in (0, 1)]
                whole = admin.get(f"{sort}&page_size=50")
                assert [p.status_code for p in pages] == [200, 200] and whole.status_code == 200, sort
                listed = rows(whole.get_data(as_text=True))
                if len(listed) > 20:
                    two = rows(pages[0].get_data(as_text=True)) + rows(pages[1].get_data(as_text=True))
                    assert two == listed[:40], sort
                    checked += 1
    assert checked > 20


def test_the_form_grid_sorts_by_date_and_a_column_without_a_sort_link_keeps_the_default_order(app, login):
    grow(app, clients=8)
    admin = login("admin@demo.org")

    def dates(query):
        page = admin.get(f"/admin/service-forms/?page_size=100&{query}").get_data(as_text=True)
        return re.findall(r'class="col-session.service_date"><span class="text-nowrap">([\d-]+)<', page)

    newest, oldest = dates("sort=0&desc=1"), dates("sort=0")
    assert len(newest) > 30 and newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert newest[0] > oldest[0]
    page = admin.get("/admin/service-forms/").get_data(as_text=True)
    assert "sort=0" in page  # the Date header is a sort link
    client = [name for name, _ in grid_views_named(app, "service_forms")._list_columns].index("client")
    assert dates(f"sort={client}&desc=1") == dates("")  # Client has no sort link: newest first, as by default


def grid_views_named(app, endpoint):
    return next(view for view in grid_views(app) if view.endpoint == endpoint)
