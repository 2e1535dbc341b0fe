// Every date field is typed as YYYY-MM-DD (the one format of the pages and of their messages,
// whatever the browser's language) and offers Flask-Admin's bundled calendar for the mouse.
// The calendar never writes a date the person did not pick: closing it restores what was typed.
(function ($) {
  if (!$ || !$.fn.daterangepicker) { return; }
  $("input[data-date-field]").each(function () {
    var input = $(this), typed = input.val();
    input.daterangepicker({ singleDatePicker: true, showDropdowns: true, format: "YYYY-MM-DD" });
    input.on("input", function () { typed = input.val(); });
    input.on("keyup", function () { input.val(typed); });  // the calendar rewrites a half-typed date on keyup
    input.on("show.daterangepicker", function (event, picker) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(typed)) {  // open on the typed date
        picker.setStartDate(typed);
        picker.setEndDate(typed);
      }
    });
    input.on("hide.daterangepicker", function () { input.val(typed); });
    input.on("apply.daterangepicker", function (event, picker) {
      typed = picker.startDate.format("YYYY-MM-DD");
      input.val(typed).trigger("change");
    });
  });
})(window.jQuery);
