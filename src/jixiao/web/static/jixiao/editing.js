/* Live checks of the goal and self-evaluation forms.

   #goal-form (项目与绩效目标): adds and deletes indicator rows (Django formset), narrows the
   二级指标 choices to the chosen 一级指标, and posts the form to data-validate-url as the user
   types: each row's errors (targets read by the server's parser) and the quality findings
   (or, with no indicator yet, that there is none rather than 未发现问题).

   #evaluation-form (绩效自评): posts the form to data-score-url as the user types and shows
   each row's score, rule and findings, the total and the grade. Nothing is saved until
   the user presses 保存. */
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, wait);
    };
  }

  function post(form, url) {
    return fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
  }

  function text(element, value) {
    if (element) { element.textContent = value; }
  }

  function findingItems(list, findings) {
    if (!list) { return; }
    list.innerHTML = "";
    findings.forEach(function (finding) {
      var item = document.createElement("li");
      var badge = document.createElement("span");
      badge.className = "severity severity-" + finding.severity;
      badge.textContent = finding.severity_label;
      item.appendChild(badge);
      item.appendChild(document.createTextNode(" " + finding.message));
      list.appendChild(item);
    });
  }

  function showRowErrors(row, errors) {
    row.querySelectorAll(".errorlist.live").forEach(function (box) {
      var messages = (errors || {})[box.dataset.field] || [];
      box.textContent = messages.join(" ");
      var input = row.querySelector("[name$='-" + box.dataset.field + "']");
      if (input) { input.classList.toggle("invalid", messages.length > 0); }
    });
  }

  // 项目与绩效目标

  function setUpGoalForm(form) {
    var levelsNode = document.getElementById("levels");
    var levels = levelsNode ? JSON.parse(levelsNode.textContent) : {};
    var body = document.querySelector("#indicator-rows tbody");
    var total = form.querySelector("[name='ind-TOTAL_FORMS']");
    var template = document.getElementById("empty-row");

    function narrow(row) {
      var level1 = row.querySelector("select[name$='-level1']");
      var level2 = row.querySelector("select[name$='-level2']");
      if (!level1 || !level2) { return; }
      var allowed = levels[level1.value];
      level2.querySelectorAll("optgroup").forEach(function (group) {
        var inGroup = !allowed || group.label === level1.value;
        group.hidden = !inGroup;
        group.disabled = !inGroup;
      });
      if (allowed && allowed.indexOf(level2.value) < 0) {
        level2.value = allowed[0] || "";
      }
    }

    function markDeleted(row) {
      var box = row.querySelector("input[name$='-DELETE']");
      row.classList.toggle("deleted", Boolean(box && box.checked));
    }

    var check = debounce(function () {
      post(form, form.dataset.validateUrl).then(function (result) {
        body.querySelectorAll("tr.indicator-row").forEach(function (row) {
          showRowErrors(row, (result.rows[row.dataset.index] || {}).errors);
        });
        var quality = document.getElementById("quality-findings");
        findingItems(quality, result.findings);
        if (quality && !result.findings.length) {
          var clear = document.createElement("li");
          clear.className = "muted";
          clear.textContent = result.empty || quality.dataset.clear;
          quality.appendChild(clear);
        }
        text(document.getElementById("weights-total"), result.weights.total);
      }).catch(function () { /* the server checks again on save */ });
    }, 350);

    body.querySelectorAll("tr.indicator-row").forEach(narrow);
    form.addEventListener("input", check);
    form.addEventListener("change", function (event) {
      var row = event.target.closest("tr.indicator-row");
      if (row && event.target.name && /-level1$/.test(event.target.name)) { narrow(row); }
      if (row && event.target.name && /-DELETE$/.test(event.target.name)) { markDeleted(row); }
      check();
    });
    document.getElementById("add-row").addEventListener("click", function () {
      var index = Number(total.value);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var row = body.lastElementChild;
      narrow(row);
      var name = row.querySelector("input[name$='-level3']");
      if (name) { name.focus(); }
    });
  }

  // 绩效自评

  function setUpEvaluationForm(form) {
    var state = document.getElementById("live-state");
    var score = debounce(function () {
      text(state, "…");
      post(form, form.dataset.scoreUrl).then(function (result) {
        document.querySelectorAll("tbody.evaluation-row").forEach(function (group) {
          var row = result.rows[group.dataset.index] || {};
          showRowErrors(group, row.errors);
          text(group.querySelector(".live-score"), row.score === undefined || row.score === null ? "—" : row.score);
          text(group.querySelector(".live-rule"), row.rule || "");
          findingItems(group.querySelector(".live-findings"), row.findings || []);
        });
        text(document.getElementById("live-total"), result.total === null ? "—" : result.total);
        text(document.getElementById("live-grade"), result.grade || "—");
        text(document.getElementById("live-missing-count"), String(result.missing.length));
        findingItems(document.getElementById("goal-findings"), result.goal_findings);
        text(state, result.blockers.length ? "" : "✓");
        form.dataset.scored = String(Number(form.dataset.scored || "0") + 1);
      }).catch(function () { text(state, ""); });
    }, 300);
    form.addEventListener("input", score);
    form.addEventListener("change", score);
  }

  function start() {
    var goalForm = document.getElementById("goal-form");
    if (goalForm) { setUpGoalForm(goalForm); }
    var evaluationForm = document.getElementById("evaluation-form");
    if (evaluationForm) { setUpEvaluationForm(evaluationForm); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
