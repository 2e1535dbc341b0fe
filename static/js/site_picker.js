// Filter the registration-site tree by name as the user types.
document.querySelectorAll("[data-site-picker]").forEach(function (picker) {
  var input = picker.querySelector("[data-site-filter]");
  input.addEventListener("input", function () {
    var term = input.value.trim().toLowerCase();
    picker.querySelectorAll("[data-site-name]").forEach(function (item) {
      item.hidden = term !== "" && item.dataset.siteName.indexOf(term) === -1;
    });
  });
});
