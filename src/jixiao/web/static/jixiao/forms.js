/* Small conveniences of plain forms, kept out of the pages (no inline script):
   a <select data-autosubmit> sends its form as soon as a choice is made; the navigation
   bar's menus (<details class="nav-menu">) open one at a time and close on a click
   outside them or on Escape (``<details name>`` alone does the first only in the
   newest browsers). */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var menus = Array.prototype.slice.call(document.querySelectorAll("details.nav-menu"));
  function closeAll(except) {
    menus.forEach(function (menu) {
      if (menu !== except && menu.open) { menu.open = false; }
    });
  }
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () { if (menu.open) { closeAll(menu); } });
  });
  document.addEventListener("click", function (event) {
    var inside = event.target.closest ? event.target.closest("details.nav-menu") : null;
    closeAll(inside);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = menus.filter(function (menu) { return menu.open; });
    closeAll(null);
    if (open.length && open[0].contains(document.activeElement)) {
      open[0].querySelector("summary").focus();
    }
  });
}());
