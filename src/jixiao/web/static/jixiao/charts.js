/* Draw every chart of a page: <div data-chart="ID"> with its figure in
   <script type="application/json" id="ID"> (json_script), rendered by the bundled plotly.js. */
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(element, figure.data, figure.layout,
        { displaylogo: false, responsive: true, displayModeBar: false });
      element.setAttribute("data-rendered", "true");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
