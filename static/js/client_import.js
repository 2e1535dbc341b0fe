// Client import: post the import in the background and show its progress (polled from the
// server) until it answers; then open the result page. Without scripts the form posts normally.
document.querySelectorAll("form[data-import-progress]").forEach(function (form) {
  var box = document.getElementById(form.dataset.importProgress);
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-label]");

  function poll() {
    fetch(form.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (state) {
        if (state.total) {
          bar.max = state.total;
          bar.value = state.done;
          label.textContent = state.done + " / " + state.total;
        }
      })
      .catch(function () {});
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    box.hidden = false;
    form.querySelectorAll("button, input[type=radio]").forEach(function (input) { input.disabled = input.type !== "radio"; });
    var timer = setInterval(poll, 700);
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { clearInterval(timer); window.location.assign(response.url); })
      .catch(function () { clearInterval(timer); form.submit(); });
  });
});
