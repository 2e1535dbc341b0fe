// Flask-Admin's drop-downs (select2 3.5: the grid filters' operations, its own select fields) say
// "No matches found", "Searching…" in English only: their messages come from the page's
// language (meta tags of templates/admin/project_base.html). Runs before select2 is applied
// (Flask-Admin applies it once the page is ready; the filters, when one is added).
(function ($) {
  if (!$ || !$.fn.select2 || !$.fn.select2.defaults) { return; }
  function text(name) {
    var meta = document.querySelector("meta[name=select2-" + name + "]");
    return meta ? meta.getAttribute("content") : null;
  }
  var none = text("no-matches"), searching = text("searching"), more = text("load-more"), short = text("too-short");
  if (!none) { return; }
  $.extend($.fn.select2.defaults, {
    formatNoMatches: function () { return none; },
    formatSearching: function () { return searching; },
    formatLoadMore: function () { return more; },
    formatInputTooShort: function (input, min) { return short.replace("{n}", String(min - input.length)); }
  });
})(window.jQuery);
