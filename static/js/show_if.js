// Show a field only when the field it depends on has the given answer (server checks it too).
document.querySelectorAll("[data-show-if]").forEach(function (box) {
  var source = document.querySelector('[name="' + box.dataset.showIf + '"]');
  if (!source) { return; }
  function update() { box.hidden = source.value !== box.dataset.showValue; }
  source.addEventListener("change", update);
  update();
});
