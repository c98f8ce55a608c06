/* Small conveniences of plain forms, kept out of the pages (no inline script):
   a <select data-autosubmit> sends its form as soon as a choice is made. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
}());
