// The report's print view: its "Print" button opens the browser's print dialogue (the button
// itself is not printed: d-print-none). Loaded with the page's nonce; no inline handler (CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
