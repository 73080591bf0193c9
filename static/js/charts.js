// Draws Plotly figures embedded by the pages, and wires the Gantt's clicks to htmx.
(function () {
  function decode(text) {
    var area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
  }

  // Each chart is <div class="plotly-chart" data-figure-id="..."> with its JSON in a
  // <script type="application/json" id="...">: never executed, so user text in it is inert.
  function draw(element) {
    var source = document.getElementById(element.dataset.figureId);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};
    window.Plotly.react(element, figure.data, figure.layout, config).then(function () {
      element.dataset.drawn = "1";
      element.dispatchEvent(new CustomEvent("chart-drawn", {bubbles: true}));
    });
    if (element.dataset.clickUrl && !element.dataset.clickWired) {
      element.dataset.clickWired = "1";
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || !point.customdata) return;
        var taskId = point.customdata[0];
        if (taskId !== null && taskId !== undefined) {
          var select = document.querySelector("#gantt-controls input[name=selected]");
          if (select) select.value = taskId;
          window.htmx.ajax("GET", element.dataset.clickUrl.replace("/0/", "/" + taskId + "/"),
                           {target: element.dataset.clickTarget, swap: "innerHTML"});
        } else if (point.customdata.length > 5 && element.dataset.collapseInput) {
          var input = document.querySelector(element.dataset.collapseInput);
          var keys = JSON.parse(input.value || "[]");
          var key = decode(String(point.customdata[5]));
          var index = keys.indexOf(key);
          if (index >= 0) keys.splice(index, 1); else keys.push(key);
          input.value = JSON.stringify(keys);
          input.dispatchEvent(new Event("change", {bubbles: true}));
        }
      });
    }
  }

  function drawAll(root) {
    (root || document).querySelectorAll(".plotly-chart").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.detail.elt); });
  window.paasportCharts = {draw: draw, drawAll: drawAll};
})();
