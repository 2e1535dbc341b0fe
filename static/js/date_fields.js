// Every date field is typed as YYYY-MM-DD (the one format of the pages and of their messages,
// whatever the browser's language) and offers Flask-Admin's bundled calendar.
// The calendar never writes a date the person did not pick: closing it restores what was typed.
// Keyboard (the calendar itself has no keyboard support): type the date, or pick it with
// Arrow Down / Arrow Up (next / previous day), Page Down / Page Up (next / previous month) and
// Shift with Page Down / Page Up (next / previous year), starting from the typed date or today;
// the calendar shows the date reached. Escape closes the calendar; Tab and Enter leave as usual.
// Typing closes the calendar (a typed date needs none, and an open calendar would cover what is
// below it: a click meant for the Save button would pick a day), and so does leaving by Tab; one
// calendar is open at a time; a typed value that is no date opens the calendar on today.
// Every calendar of the page, Flask-Admin's (the grid filters') too, is in the page's language.
// The keys are described to assistive technology by a hint (its text is the page's language:
// templates/admin/project_base.html).
(function ($) {
  if (!$ || !$.fn.daterangepicker || typeof moment === "undefined") { return; }
  var FORMAT = "YYYY-MM-DD";
  var STEPS = {ArrowDown: [1, "days"], ArrowUp: [-1, "days"], PageDown: [1, "months"], PageUp: [-1, "months"]};

  function hint() { // one hidden description for every date field of the page
    var meta = document.querySelector("meta[name=date-field-keys]");
    if (!meta) { return null; }
    var span = document.getElementById("date-field-keys");
    if (!span) {
      span = document.createElement("span");
      span.id = "date-field-keys";
      span.className = "sr-only";
      span.textContent = meta.getAttribute("content");
      document.body.appendChild(span);
    }
    return span.id;
  }

  function calendarNames() { // month and day names, buttons, first day of the week: the page's language
    var meta = document.querySelector("meta[name=date-field-calendar]");
    try { return meta ? JSON.parse(meta.getAttribute("content")) : undefined; } catch (e) { return undefined; }
  }

  function shownFormat() {
    var meta = document.querySelector("meta[name=date-field-format]");
    return meta ? meta.getAttribute("content") : FORMAT;
  }

  function describe(input, id) {
    if (!id) { return; }
    var described = (input.attr("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(id) === -1) { input.attr("aria-describedby", described.concat([id]).join(" ")); }
  }

  function step(event) {
    var key = event.key === "Down" ? "ArrowDown" : event.key === "Up" ? "ArrowUp" : event.key;
    var found = STEPS[key];
    if (!found || event.altKey || event.ctrlKey || event.metaKey) { return null; }
    return event.shiftKey && key.indexOf("Page") === 0 ? [found[0], "years"] : found;
  }

  function enhance(input, hintId) {
    var typed = input.val();
    input.daterangepicker({singleDatePicker: true, showDropdowns: true, format: FORMAT, locale: calendarNames()});
    input.attr("placeholder", shownFormat());  // as the messages name it, in the page's language
    describe(input, hintId);
    var picker = input.data("daterangepicker");
    input.on("input", function () { typed = input.val(); picker.hide(); });
    input.on("keyup", function () { input.val(typed); });  // the calendar rewrites a half-typed date on keyup
    input.on("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc" || event.key === "Tab") { picker.hide(); input.val(typed); return; }
      var move = step(event);
      if (!move) { return; }
      event.preventDefault();
      var from = moment(typed, FORMAT, true);
      var date = (from.isValid() ? from : moment().startOf("day")).add(move[0], move[1]);
      typed = date.format(FORMAT);
      picker.show();
      picker.setStartDate(typed);
      picker.setEndDate(typed);
      input.val(typed).trigger("change");
    });
    input.on("show.daterangepicker", function (event, shown) {
      $("input[data-date-field]").not(input).each(function () {  // one calendar at a time
        var other = $(this).data("daterangepicker");
        if (other) { other.hide(); }
      });
      var day = moment(typed, FORMAT, true);  // open on the typed date, else today (never "NaN")
      day = day.isValid() ? day : moment().startOf("day");
      shown.setStartDate(day);
      shown.setEndDate(day);
      input.val(typed);
    });
    input.on("hide.daterangepicker", function () { input.val(typed); });
    input.on("apply.daterangepicker", function (event, applied) {
      typed = applied.startDate.format(FORMAT);
      input.val(typed).trigger("change");
    });
  }

  // Flask-Admin's own calendars (a grid's date filters: its form.js builds them when a filter is
  // added) speak the page's language too: its options gain the page's names, unless they have their
  // own, and a range is written "2026-01-01 au 2026-01-31" in French (admin_views/date_filters.py reads both).
  var build = $.fn.daterangepicker;
  $.fn.daterangepicker = function (options, callback) {
    var names = calendarNames();
    if (names && options && typeof options === "object" && !options.locale) {
      options = $.extend({}, options, {locale: names});
      if (names.separator && options.separator === " to ") { options.separator = names.separator; }
    }
    return build.call(this, options, callback);
  };

  var hintId = hint();
  $("input[data-date-field]").each(function () { enhance($(this), hintId); });
})(window.jQuery);
