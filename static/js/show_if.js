// Show a field only when the field it depends on has the given answer (server checks it too).
// data-show-value may list several answers separated by "|".
document.querySelectorAll("[data-show-if]").forEach(function (box) {
  var source = document.querySelector('[name="' + box.dataset.showIf + '"]');
  if (!source) { return; }
  var wanted = box.dataset.showValue.split("|");
  function update() { box.hidden = wanted.indexOf(source.value) === -1; }
  source.addEventListener("change", update);
  update();
});
