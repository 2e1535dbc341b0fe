/* Grid filters whose options come from the database (admin_views/base.py, PerRequest): the grid
   page does not list them; a filter row asks its grid's /filter-options/ for them when it is
   added (or shown for a filter in the URL). Their type in Flask-Admin's filter data names how and
   where: "ocms-options:<url>" (the whole list: a drop-down, as Flask-Admin draws it) or
   "ocms-lookup:<url>" (a table that grows, e.g. staff: a select2 look-up asking <url>&q=typed,
   and <url>&value=chosen for the chosen row's name). Loaded before Flask-Admin's filters
   (ModelView.extra_js): its converter is registered before the filter rows are drawn. */
(function ($) {
  "use strict";

  var MIN_LOOKUP = 2; // characters typed before a look-up is asked
  var lists = {}; // url -> the promise of its options (one request per page and filter)
  var pending = []; // lists a filter row still waits for: the filter form is sent once they came

  function options(url) {
    if (!lists[url]) {
      lists[url] = $.ajax({url: url, dataType: "json", headers: {Accept: "application/json"}})
        .then(function (data) { return data.options; }, function () { return []; });
    }
    return lists[url];
  }

  function showApply($field) {
    $field.closest("form").find("button[type=submit]").removeClass("d-none");
  }

  // The whole list: a <select> like Flask-Admin's own, the current value kept while it loads.
  function optionsFilter($input, url) {
    var value = $input.val();
    var $select = $("<select class=\"filter-val\"/>").attr("name", $input.attr("name"));
    if (value) {
      $select.append($("<option/>").val(value).text(value));
    }
    $input.replaceWith($select);
    $select.on("change", function () { showApply($select); });
    var loading = options(url);
    pending.push(loading);
    loading.then(function (rows) {
      $select.empty();
      rows.forEach(function (row) {
        $select.append($("<option/>").val(row[0]).text(row[1]).prop("selected", row[0] === value));
      });
      $select.select2({width: "resolve"});
    });
    return $select;
  }

  // A look-up: select2 (3.5, Flask-Admin's) on a hidden input asking the server as one types.
  function lookupFilter($input, url) {
    var $field = $("<input type=\"hidden\" class=\"filter-val\"/>").attr("name", $input.attr("name")).val($input.val());
    $input.replaceWith($field);
    var rows = function (data) {
      return data.options.map(function (row) { return {id: row[0], text: row[1]}; });
    };
    $field.select2({
      width: "resolve",
      minimumInputLength: MIN_LOOKUP,
      ajax: {
        url: url,
        dataType: "json",
        quietMillis: 250,
        data: function (term) { return {q: term}; },
        results: function (data) { return {results: rows(data)}; }
      },
      initSelection: function (element, callback) {
        var value = $(element).val();
        if (!value) {
          return; // a new filter row: nothing chosen yet
        }
        $.ajax({url: url, dataType: "json", data: {value: value}}).then(function (data) {
          callback(rows(data)[0] || {id: value, text: value});
        }, function () { callback({id: value, text: value}); });
      }
    }).on("change", function () { showApply($field); });
    return $field;
  }

  function lazyUrls() { // every list the filter menu may need, from Flask-Admin's filter data
    var urls = [];
    try {
      var groups = JSON.parse($("#filter-groups-data").text() || "{}");
      Object.keys(groups).forEach(function (name) {
        groups[name].forEach(function (filter) {
          var match = /^ocms-options:(.*)$/.exec(filter.type || "");
          if (match) { urls.push(match[1]); }
        });
      });
    } catch (error) { /* no filter data: nothing to ask */ }
    return urls;
  }

  $(document).on("adminFormReady", function () {
    if (window.ocmsGridFilters || !window.faForm) {
      return;
    }
    window.ocmsGridFilters = true;
    // The menu opening asks for the lists (once), so that a chosen filter's list is usually there.
    $(".field-filters").prev("[data-toggle=dropdown]").one("click", function () { lazyUrls().forEach(options); });
    // A filter whose list has not come yet would send no value: send the form once it has.
    $("#filter_form").on("submit", function (event) {
      var waiting = pending;
      pending = [];
      if (waiting.length) {
        event.preventDefault();
        var form = this;
        $.when.apply($, waiting).always(function () { form.submit(); });
      }
    });
    window.faForm.addFieldConverter(function ($el, name) {
      var match = /^ocms-(options|lookup):(.*)$/.exec(name || "");
      if (!match) {
        return false;
      }
      (match[1] === "lookup" ? lookupFilter : optionsFilter)($el, match[2]);
      return true;
    });
  });
})(jQuery);
