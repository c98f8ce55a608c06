/* 报告文字: live fields and live checks of the report's sections (no inline script).

   A chip in #live-figures inserts its field ({{执行率}}) at the cursor of the last
   section the user typed in. Under each section, the preview shows the text with every
   live field as a chip holding the stored figure, and the findings list what the server
   found in the text as it is typed (a number typed by hand that disagrees with the data,
   a field that names no data). Nothing is saved until the user presses 保存草稿. */
(function () {
  "use strict";
  var panel = document.getElementById("live-figures");
  if (!panel) { return; }
  var figures = JSON.parse(panel.getAttribute("data-figures") || "{}");
  var checkUrl = panel.getAttribute("data-check-url");
  var token = /\{\{\s*([^{}\n]+?)\s*\}\}/g;
  var current = null;

  function preview(form) {
    var box = form.querySelector(".preview");
    var text = form.querySelector("textarea").value;
    box.textContent = "";
    var last = 0;
    text.replace(token, function (match, name, offset) {
      box.appendChild(document.createTextNode(text.slice(last, offset)));
      var chip = document.createElement("span");
      chip.className = "chip" + (figures.hasOwnProperty(name) ? "" : " chip-unknown");
      chip.title = name;
      chip.textContent = figures.hasOwnProperty(name) ? figures[name] : match;
      box.appendChild(chip);
      last = offset + match.length;
      return match;
    });
    box.appendChild(document.createTextNode(text.slice(last)));
  }

  function check(form) {
    var data = new FormData();
    data.append("text", form.querySelector("textarea").value);
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fetch(checkUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (result) {
      var list = form.querySelector(".typing-findings");
      list.innerHTML = "";
      result.findings.forEach(function (message) {
        var item = document.createElement("li");
        item.className = "note";
        item.textContent = message;
        list.appendChild(item);
      });
    }).catch(function () { /* the check is a help; saving still works */ });
  }

  document.querySelectorAll(".section-form").forEach(function (form) {
    var area = form.querySelector("textarea");
    var timer = null;
    preview(form);
    area.addEventListener("focus", function () { current = area; });
    area.addEventListener("input", function () {
      preview(form);
      clearTimeout(timer);
      timer = setTimeout(function () { check(form); }, 300);
    });
  });

  panel.querySelectorAll("[data-token]").forEach(function (chip) {
    chip.addEventListener("click", function () {
      if (!current || current.readOnly) { return; }
      var field = "{{" + chip.getAttribute("data-token") + "}}";
      var start = current.selectionStart, end = current.selectionEnd;
      current.value = current.value.slice(0, start) + field + current.value.slice(end);
      current.selectionStart = current.selectionEnd = start + field.length;
      current.focus();
      current.dispatchEvent(new Event("input"));
    });
  });
}());
