// Draws Plotly figures embedded by the pages, and wires the Gantt's clicks to htmx.
(function () {
  var SVG = "http://www.w3.org/2000/svg";
  var DAY_MS = 86400000;

  function decode(text) {
    var area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
  }

  function openTask(element, taskId) {
    var select = document.querySelector("#gantt-controls input[name=selected]");
    if (select) select.value = taskId;
    window.htmx.ajax("GET", element.dataset.clickUrl.replace("/0/", "/" + taskId + "/"),
                     {target: element.dataset.clickTarget, swap: "innerHTML"});
  }

  function toggleGroup(element, key) {
    var input = document.querySelector(element.dataset.collapseInput);
    if (!input) return;
    var keys = JSON.parse(input.value || "[]");
    var index = keys.indexOf(key);
    if (index >= 0) keys.splice(index, 1); else keys.push(key);
    input.value = JSON.stringify(keys);
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  // The Gantt's row names as HTML beside the chart (figure.rows; see schedule/figures/gantt.py):
  // thousands of names cost seconds as plotly.js tick labels and milliseconds as list items.
  // Names arrive entity-escaped like all figure text; they are decoded and set with textContent.
  function drawRowLabels(element, figure) {
    var list = element.dataset.rowLabels && document.querySelector(element.dataset.rowLabels);
    if (!list || !figure.rows) return;
    var layout = figure.layout;
    var rows = figure.rows;
    var rowHeight = (layout.height - layout.margin.t - layout.margin.b) / Math.max(rows.length, 1);
    list.style.paddingTop = layout.margin.t + "px";
    list.style.setProperty("--row-height", rowHeight + "px");
    var taskUrl = list.dataset.taskUrl || "";
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      var item = document.createElement("li");
      if (row.kind === "header") {
        item.className = "gantt-group";
        var button = document.createElement("button");
        button.type = "button";
        var name = decode(row.text);
        button.dataset.groupKey = decode(row.key);
        button.setAttribute("aria-expanded", row.collapsed ? "false" : "true");
        button.textContent = (row.collapsed ? "▸ " : "▾ ") + name + " (" + row.count + ")";
        button.title = name;
        item.appendChild(button);
      } else {
        item.className = row.critical ? "gantt-task critical" : "gantt-task";
        var link = document.createElement("a");
        link.href = taskUrl + row.id;
        link.dataset.taskId = row.id;
        var title = decode(row.text);
        link.textContent = title;
        link.title = title;
        item.appendChild(link);
      }
      fragment.appendChild(item);
    });
    list.replaceChildren(fragment);
    if (!list.dataset.wired) {
      list.dataset.wired = "1";
      list.addEventListener("click", function (event) {
        var target = event.target.closest("[data-task-id], [data-group-key]");
        if (!target || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        if (target.dataset.groupKey !== undefined) toggleGroup(element, target.dataset.groupKey);
        else if (element.dataset.clickUrl) openTask(element, target.dataset.taskId);
      });
    }
  }

  // The Gantt's dependency lines (figure.links) as ONE SVG path over the plot area: a line trace
  // with a gap between every link costs plotly.js seconds on big plans. Redrawn after every
  // zoom, pan, resize or legend click from the axes' current scale.
  function drawLinks(element) {
    var links = element._ganttLinks;
    var full = element._fullLayout;
    var container = element.querySelector(".svg-container");
    if (!links || !full || !container) return;
    var svg = container.querySelector("svg.gantt-links");
    if (!svg) {
      svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "gantt-links");
      svg.setAttribute("aria-hidden", "true");
      var clip = document.createElementNS(SVG, "clipPath");
      clip.id = element.id + "-links-clip";
      clip.appendChild(document.createElementNS(SVG, "rect"));
      var group = document.createElementNS(SVG, "g");
      group.setAttribute("clip-path", "url(#" + clip.id + ")");
      var line = document.createElementNS(SVG, "path");
      line.setAttribute("class", "gantt-link-lines");
      var heads = document.createElementNS(SVG, "path");
      heads.setAttribute("class", "gantt-link-heads");
      group.appendChild(line);
      group.appendChild(heads);
      svg.appendChild(clip);
      svg.appendChild(group);
      // above the bars, below the legend and hover labels (plotly's second layer)
      container.insertBefore(svg, container.querySelectorAll(".main-svg")[1] || null);
    }
    var legend = (element._fullData || []).filter(function (trace) { return trace.uid === "gantt-links"; })[0];
    svg.style.display = legend && legend.visible !== true ? "none" : "";
    var xa = full.xaxis, ya = full.yaxis;
    svg.setAttribute("width", full.width);
    svg.setAttribute("height", full.height);
    var rect = svg.querySelector("clipPath rect");
    rect.setAttribute("x", xa._offset);
    rect.setAttribute("y", ya._offset);
    rect.setAttribute("width", xa._length);
    rect.setAttribute("height", ya._length);
    var parts = [], pen = "M", xs = links.x, ys = links.y;
    for (var i = 0; i < xs.length; i++) {
      if (xs[i] === null) { pen = "M"; continue; }
      parts.push(pen + (xa._offset + xa.l2p(xs[i] * DAY_MS)).toFixed(1) + " " + (ya._offset + ya.l2p(ys[i])).toFixed(1));
      pen = "L";
    }
    svg.querySelector(".gantt-link-lines").setAttribute("d", parts.join(""));
    var heads = [];
    links.heads.forEach(function (head) {
      var x = (xa._offset + xa.l2p(head[0] * DAY_MS)).toFixed(1), y = (ya._offset + ya.l2p(head[1])).toFixed(1);
      heads.push("M" + x + " " + y + (head[2] ? "l6 -3.5v7z" : "l-6 -3.5v7z"));
    });
    svg.querySelector(".gantt-link-heads").setAttribute("d", heads.join(""));
  }

  // Each chart is <div class="plotly-chart" data-figure-id="..."> with its JSON in a
  // <script type="application/json" id="...">: never executed, so user text in it is inert.
  function draw(element) {
    var source = document.getElementById(element.dataset.figureId);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};
    drawRowLabels(element, figure);
    element._ganttLinks = figure.links || null;
    window.Plotly.react(element, figure.data, figure.layout, config).then(function () {
      drawLinks(element);
      element.dataset.drawn = "1";
      element.dispatchEvent(new CustomEvent("chart-drawn", {bubbles: true}));
    });
    if (figure.links && !element.dataset.linksWired) {
      element.dataset.linksWired = "1";
      ["plotly_afterplot", "plotly_relayout", "plotly_restyle"].forEach(function (name) {
        element.on(name, function () { drawLinks(element); });
      });
    }
    if (element.dataset.clickUrl && !element.dataset.clickWired) {
      element.dataset.clickWired = "1";
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || !point.customdata) return;
        var taskId = point.customdata[0];
        if (taskId !== null && taskId !== undefined) {
          openTask(element, taskId);
        } else if (point.customdata.length > 5 && element.dataset.collapseInput) {
          toggleGroup(element, decode(String(point.customdata[5])));
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
