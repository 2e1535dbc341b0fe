// A form whose answer may take a while (a report over a long range): once it is sent, its
// button is disabled (one run, not two at once) and its status line says that it is running,
// read out by screen readers (role="status"). Back on the page from the browser's history,
// the button works again and the line is empty.
document.querySelectorAll("form[data-running]").forEach(function (form) {
  var status = form.querySelector("[data-running-status]");
  var button = form.querySelector("[type=submit]");
  form.addEventListener("submit", function () {
    window.setTimeout(function () {  // after the submission has started
      button.disabled = true;
      status.textContent = form.dataset.running;
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    button.disabled = false;
    status.textContent = "";
  });
});
