/* 指标库 on the goal page: filter the suggestions (行业, 领域, 一级指标, 关键词) and, on
   选用, add an indicator row (through the page's own 添加指标 button) filled with the
   library's names, kind and suggested target, with the spread of past actuals under it;
   an entry carrying a 对应支出标准 selects that standard when the year's table has it, and
   otherwise leaves it blank and says so.
   The live check of editing.js then runs as for any typed change. */
(function () {
  "use strict";

  var picker = document.getElementById("library-picker");
  if (!picker) { return; }
  var filters = {
    sector: document.getElementById("library-sector"),
    field: document.getElementById("library-field"),
    level1: document.getElementById("library-level"),
    query: document.getElementById("library-query")
  };

  function filter() {
    var query = filters.query.value.trim();
    picker.querySelectorAll("tr.library-suggestion").forEach(function (row) {
      var shown = !row.classList.contains("picked") &&
        (!filters.sector.value || row.dataset.sector === filters.sector.value) &&
        (!filters.field.value || row.dataset.field === filters.field.value) &&
        (!filters.level1.value || row.dataset.level1 === filters.level1.value) &&
        (!query || row.dataset.search.indexOf(query) >= 0);
      row.hidden = !shown;
    });
  }

  function set(row, name, value) {
    var input = row.querySelector("[name$='-" + name + "']");
    if (!input) { return; }
    input.value = value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function pick(suggestion) {
    var add = document.getElementById("add-row");
    if (!add) { return; }
    add.click();
    var row = document.querySelector("#indicator-rows tbody").lastElementChild;
    set(row, "level1", suggestion.dataset.level1);
    set(row, "level2", suggestion.dataset.level2);
    set(row, "level3", suggestion.dataset.level3);
    set(row, "kind", suggestion.dataset.kind);
    set(row, "target", suggestion.dataset.target);
    var note = document.createElement("div");
    note.className = "small muted library-note";
    note.textContent = suggestion.dataset.code + (suggestion.dataset.spread ? " · " + suggestion.dataset.spread : "");
    var standard = suggestion.dataset.costStandard;
    var select = row.querySelector("select[name$='-cost_standard']");
    if (standard && select) {
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === standard;
      });
      var said = document.createElement("div");
      said.className = "small muted library-cost-note";
      if (known) {
        set(row, "cost_standard", standard);
        said.textContent = picker.dataset.costLinked.replace("{code}", standard);
      } else {
        said.textContent = picker.dataset.costMissing.replace("{code}", standard);
      }
      select.parentNode.appendChild(said);
    }
    var target = row.querySelector("[name$='-target']");
    if (target) { target.parentNode.appendChild(note); }
    suggestion.hidden = true;
    suggestion.classList.add("picked");
    var weight = row.querySelector("[name$='-weight']");
    if (weight) { weight.focus(); }
  }

  Object.keys(filters).forEach(function (key) {
    filters[key].addEventListener("input", filter);
    filters[key].addEventListener("change", filter);
  });
  picker.addEventListener("click", function (event) {
    var button = event.target.closest("button.library-pick");
    if (button) { pick(button.closest("tr.library-suggestion")); }
  });
  filter();
})();
