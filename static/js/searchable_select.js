/* Searchable drop-downs (issue 15): every <select> of more than MIN_OPTIONS options, or marked
   data-searchable="on", becomes a Tom Select (static/vendor/tom-select) that filters as you type.
   A <select data-lookup="/admin/lookup/clients/"> over a table that grows asks that URL for the
   rows matching what was typed (models/lookups.py) instead of listing them all.

   Left alone: data-searchable="off" (on the select or a parent), Flask-Admin's own select2
   fields (data-role="select2...") and list filters (#filter_form), already searchable. Keyboard: Tab to the field, type to
   filter, arrows and Enter to choose, Backspace removes the last choice of a multiple select.
   Tom Select moves the field's <label for> to its text input, so the label still names it. */
(function () {
  "use strict";

  var MIN_OPTIONS = 15;
  var MIN_LOOKUP = 2; // characters typed before a look-up is asked

  function pageText(name, fallback) { // the page's language (templates/admin/project_base.html)
    var meta = document.querySelector("meta[name=searchable-select-" + name + "]");
    return meta ? meta.getAttribute("content") : fallback;
  }

  function noResults() {
    return pageText("no-results", "No match");
  }

  function skipped(select) {
    var role = select.getAttribute("data-role") || "";
    return select.tomselect || role.indexOf("select2") === 0 || select.closest("[data-searchable=off]") !== null ||
      select.closest("#filter_form") !== null; // Flask-Admin's filters: its filters.js gives them select2
  }

  function wanted(select) {
    if (skipped(select)) {
      return false;
    }
    return select.hasAttribute("data-lookup") || select.getAttribute("data-searchable") === "on" ||
      select.options.length > MIN_OPTIONS;
  }

  function lookupSettings(url) {
    var found = {}; // query -> {value: true} of the rows the server answered for it
    return {
      valueField: "value",
      labelField: "text",
      searchField: [],
      preload: false,
      shouldLoad: function (query) { return query.length >= MIN_LOOKUP; },
      // A row chosen in a multiple select clears what was typed, so the next name starts afresh
      // (Tom Select would keep "pri" before the next "carl").
      onItemAdd: function () { this.setTextboxValue(""); },
      // Only the server's answer to what is typed, in its order (best first): not "Any", not
      // rows loaded for an earlier query.
      score: function (query) {
        var allowed = found[query] || {};
        return function (item) { return allowed[item.value] ? 1 : 0; };
      },
      load: function (query, callback) {
        var glue = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + glue + "q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) {
            found[query] = {};
            data.results.forEach(function (row) { found[query][row.value] = true; });
            callback(data.results);
          })
          .catch(function () { callback(); });
      }
    };
  }

  function settings(select) {
    var base = {
      maxOptions: null,
      allowEmptyOption: true,
      hidePlaceholder: false,
      // the × of a chosen item: titled in the page's language (Tom Select's own is "Remove")
      plugins: select.multiple ? {remove_button: {title: pageText("remove", "Remove")}} : {},
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = select.getAttribute("data-no-results") || noResults();
          return div;
        }
      }
    };
    var url = select.getAttribute("data-lookup");
    if (url) {
      Object.assign(base, lookupSettings(url));
    }
    return base;
  }

  function enhance(select) {
    if (!wanted(select) || typeof TomSelect === "undefined") {
      return;
    }
    var control = new TomSelect(select, settings(select));
    // Tom Select redraws a drop-down a moment after the last key typed; if the person has
    // already chosen and tabbed on, that redraw would open the list again and pull the focus
    // back (found by the keyboard journeys). The list opens only while the field has the focus.
    var open = control.open.bind(control);
    control.open = function () {
      if (control.wrapper.contains(document.activeElement)) { open(); }
    };
    control.wrapper.setAttribute("data-searchable-select", select.name || select.id || "");
    // The label now names Tom Select's input; the original select, kept for the form, is hidden
    // from assistive technology too (it is out of the tab order), so it is not an unnamed control.
    select.setAttribute("aria-hidden", "true");
    select.setAttribute("tabindex", "-1");
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select"), enhance);
  }

  window.ocmsSearchableSelects = enhanceAll; // for parts of a page added later
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
})();
