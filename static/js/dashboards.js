// The home page's report panels: each asks for its numbers from its own same-origin request
// (custom_pages/home.py dashboard_panel), so the page itself never waits for the reports.
// Without scripts (or if a request fails), the panel keeps its link to the panel's page.
document.querySelectorAll("[data-dashboard-panel]").forEach(function (panel) {
  var body = panel.querySelector("[data-dashboard-body]");
  function failed() {
    var note = document.createElement("div");
    note.className = "card-body small text-muted pb-0";
    note.textContent = body.dataset.failed;
    body.insertBefore(note, body.firstChild);
  }
  fetch(panel.dataset.dashboardPanel, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    })
    .then(function (html) { body.innerHTML = html; }, failed);
});
