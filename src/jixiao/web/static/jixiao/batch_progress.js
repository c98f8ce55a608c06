/* 批量生成: the progress bar follows the batch's JSON endpoint until the batch is
   finished, then the download link appears (no inline script). */
(function () {
  "use strict";
  var status = document.getElementById("batch-status");
  if (!status) { return; }
  var bar = document.getElementById("batch-progress");
  var count = document.getElementById("batch-count");
  var download = document.getElementById("batch-download");

  function show(now) {
    bar.max = now.total;
    bar.value = now.finished;
    bar.textContent = now.percent + "%";
    count.textContent = now.finished + "/" + now.total + "（" + now.percent + "%）";
    if (now.download) {
      download.href = now.download;
      download.hidden = false;
    }
  }

  function poll() {
    fetch(status.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (now) {
        show(now);
        if (!now.complete || !now.download) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  poll();
}());
