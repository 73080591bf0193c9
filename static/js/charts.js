// Draws Plotly figures embedded by the pages, and wires the Gantt's clicks to htmx.
(function () {
  var SVG = "http://www.w3.org/2000/svg";
  var DAY_MS = 86400000;

  function decode(text) {
    if (text.indexOf("&") < 0) return text;
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
  // On big plans the names of a slice of rows are made when that slice of the chart is drawn
  // (see drawChunked); until then a blank item of the same height keeps the rows in line.
  function drawRowLabels(element, figure, blockRows) {
    var list = element.dataset.rowLabels && document.querySelector(element.dataset.rowLabels);
    if (!list || !figure.rows) return;
    var layout = figure.layout;
    var rows = figure.rows;
    var rowHeight = (layout.height - layout.margin.t - layout.margin.b) / Math.max(rows.length, 1);
    list.style.paddingTop = layout.margin.t + "px";
    list.style.setProperty("--row-height", rowHeight + "px");
    var taskUrl = list.dataset.taskUrl || "";

    function item(row) {
      var li = document.createElement("li");
      if (row.kind === "header") {
        li.className = "gantt-group";
        var button = document.createElement("button");
        button.type = "button";
        var name = decode(row.text);
        button.dataset.groupKey = decode(row.key);
        button.setAttribute("aria-expanded", row.collapsed ? "false" : "true");
        button.textContent = (row.collapsed ? "▸ " : "▾ ") + name + " (" + row.count + ")";
        button.title = name;
        li.appendChild(button);
      } else {
        li.className = row.critical ? "gantt-task critical" : "gantt-task";
        var link = document.createElement("a");
        link.href = taskUrl + row.id;
        link.dataset.taskId = row.id;
        var title = decode(row.text);
        link.textContent = title;
        link.title = title;
        li.appendChild(link);
      }
      return li;
    }

    function block(r0, r1) {
      var fragment = document.createDocumentFragment();
      for (var r = r0; r < r1; r++) fragment.appendChild(item(rows[r]));
      return fragment;
    }

    blockRows = blockRows || rows.length || 1;
    var blanks = [];
    var fragment = document.createDocumentFragment();
    for (var r0 = 0; r0 < rows.length; r0 += blockRows) {
      var r1 = Math.min(rows.length, r0 + blockRows);
      if (r0 === 0 && blockRows >= rows.length) {
        fragment.appendChild(block(r0, r1));
      } else {
        var blank = document.createElement("li");
        blank.className = "gantt-rows-pending";
        blank.setAttribute("aria-hidden", "true");
        blank.style.height = (r1 - r0) * rowHeight + "px";
        blanks.push({blank: blank, r0: r0, r1: r1});
        fragment.appendChild(blank);
      }
    }
    list.replaceChildren(fragment);
    element._fillRows = function (r0) {
      var pending = blanks.filter(function (entry) { return entry.r0 === r0 && entry.blank.parentNode; })[0];
      if (pending) pending.blank.replaceWith(block(pending.r0, pending.r1));
    };
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
  function linkGeometry(element) {
    var chunks = element._ganttChunks;
    if (!chunks) {
      var full = element._fullLayout, host = element.querySelector(".svg-container");
      if (!full || !host) return null;
      var ya = full.yaxis;
      return {
        full: full, data: element._fullData, host: host, before: host.querySelectorAll(".main-svg")[1] || null,
        width: full.width, height: full.height, clipTop: ya._offset, clipHeight: ya._length,
        rowY: function (row) { return ya._offset + ya.l2p(row); },
      };
    }
    var drawn = chunks.parts.filter(function (part) { return part.div._fullLayout; })[0];
    if (!drawn) return null;
    var total = chunks.parts[chunks.parts.length - 1];
    var height = total.top + total.height;
    return {
      full: drawn.div._fullLayout, data: chunks.parts[0].div._fullData, host: element, before: null,
      width: drawn.div._fullLayout.width, height: height, clipTop: chunks.marginTop,
      clipHeight: height - chunks.marginTop - chunks.marginBottom,
      rowY: function (row) { return chunks.marginTop + (row + 0.5) * chunks.rowHeight; },
    };
  }

  function drawLinks(element) {
    var links = element._ganttLinks;
    var geometry = links && linkGeometry(element);
    if (!geometry) return;
    var host = geometry.host;
    var svg = host.querySelector(":scope > svg.gantt-links");
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
      host.insertBefore(svg, geometry.before);
    }
    var legend = (geometry.data || []).filter(function (trace) { return trace.uid === "gantt-links"; })[0];
    svg.style.display = legend && legend.visible !== true ? "none" : "";
    var xa = geometry.full.xaxis, rowY = geometry.rowY;
    svg.setAttribute("width", geometry.width);
    svg.setAttribute("height", geometry.height);
    var rect = svg.querySelector("clipPath rect");
    rect.setAttribute("x", xa._offset);
    rect.setAttribute("y", geometry.clipTop);
    rect.setAttribute("width", xa._length);
    rect.setAttribute("height", geometry.clipHeight);
    var parts = [], pen = "M", xs = links.x, ys = links.y;
    for (var i = 0; i < xs.length; i++) {
      if (xs[i] === null) { pen = "M"; continue; }
      parts.push(pen + (xa._offset + xa.l2p(xs[i] * DAY_MS)).toFixed(1) + " " + rowY(ys[i]).toFixed(1));
      pen = "L";
    }
    svg.querySelector(".gantt-link-lines").setAttribute("d", parts.join(""));
    var heads = [];
    links.heads.forEach(function (head) {
      var x = (xa._offset + xa.l2p(head[0] * DAY_MS)).toFixed(1), y = rowY(head[1]).toFixed(1);
      heads.push("M" + x + " " + y + (head[2] ? "l6 -3.5v7z" : "l-6 -3.5v7z"));
    });
    svg.querySelector(".gantt-link-heads").setAttribute("d", heads.join(""));
  }

  function wireClicks(element, target) {
    target.on("plotly_click", function (event) {
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

  // Big Gantts are drawn in slices of rows stacked down the page, each drawn when it comes near
  // the screen: plotly.js lays out and paints every bar of a figure, and a 5,000-row figure is
  // 110,000 px tall. The slices share the x range (a zoom in one applies to all) and one overlay
  // of dependency lines.
  var CHUNK_ROWS = 200, CHUNK_ABOVE = 400;

  // Traces without rows (the legend's swatches) have no y values to slice.
  function legendOnly(trace) {
    return !Array.isArray(trace.y) || trace.y.every(function (y) { return y === null; });
  }

  function sliceTrace(trace, r0, r1) {
    var keep = [];
    trace.y.forEach(function (y, i) { if (y >= r0 && y < r1) keep.push(i); });
    if (!keep.length) return null;
    var copy = Object.assign({}, trace, {showlegend: false});
    ["x", "y", "base", "customdata"].forEach(function (key) {
      if (Array.isArray(trace[key])) copy[key] = keep.map(function (i) { return trace[key][i]; });
    });
    if (trace.marker && Array.isArray(trace.marker.color)) {
      copy.marker = Object.assign({}, trace.marker, {color: keep.map(function (i) { return trace.marker.color[i]; })});
    }
    return copy;
  }

  function drawChunked(element, figure, config) {
    var layout = figure.layout, rows = figure.rows.length, margin = layout.margin;
    var rowHeight = (layout.height - margin.t - margin.b) / Math.max(rows, 1);
    var chunks = {parts: [], rowHeight: rowHeight, marginTop: margin.t, marginBottom: margin.b,
                  range: layout.xaxis.range, syncing: false};
    element._ganttChunks = chunks;
    element.classList.add("gantt-chunked");
    element.replaceChildren();
    var top = 0;
    for (var r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
      var r1 = Math.min(rows, r0 + CHUNK_ROWS), first = r0 === 0, last = r1 === rows;
      var height = (first ? margin.t : 0) + (r1 - r0) * rowHeight + (last ? margin.b : 0);
      var div = document.createElement("div");
      div.className = "gantt-chunk";
      div.style.height = height + "px";
      element.appendChild(div);
      chunks.parts.push({div: div, r0: r0, r1: r1, first: first, last: last, top: top, height: height});
      top += height;
    }
    element.style.height = top + "px";

    function drawPart(part) {
      if (part.drawing) return part.drawing;
      if (element._fillRows) element._fillRows(part.r0);
      var data = figure.data.map(function (trace) {
        if (legendOnly(trace)) return part.first ? trace : null;
        return sliceTrace(trace, part.r0, part.r1);
      }).filter(Boolean);
      var partLayout = Object.assign({}, layout, {
        height: part.height, showlegend: part.first,
        margin: Object.assign({}, margin, {t: part.first ? margin.t : 0, b: part.last ? margin.b : 0}),
        xaxis: Object.assign({}, layout.xaxis, {range: chunks.range.slice(), showticklabels: part.first}),
        yaxis: Object.assign({}, layout.yaxis, {range: [part.r1 - 0.5, part.r0 - 0.5]}),
        annotations: part.first ? layout.annotations : [],
      });
      part.drawing = window.Plotly.newPlot(part.div, data, partLayout, config).then(function () {
        if (element.dataset.clickUrl) wireClicks(element, part.div);
        part.div.on("plotly_relayout", function (change) { syncRange(part, change); });
        part.div.on("plotly_restyle", function () { drawLinks(element); });
        drawLinks(element);
      });
      return part.drawing;
    }

    // The range for every drawn slice but ``source`` (undrawn ones take it when drawn).
    chunks.setRange = function (range, source) {
      chunks.range = range.slice();
      chunks.syncing = true;
      return Promise.all(chunks.parts.filter(function (part) { return part !== source && part.div._fullLayout; })
        .map(function (part) { return window.Plotly.relayout(part.div, {"xaxis.range": range.slice()}); }))
        .then(function () { chunks.syncing = false; drawLinks(element); });
    };

    function syncRange(source, change) {
      if (chunks.syncing) return;
      if (change && Object.keys(change).some(function (key) { return key.indexOf("xaxis") === 0; })) {
        chunks.setRange(source.div._fullLayout.xaxis.range, source);
      } else {
        drawLinks(element);
      }
    }

    var initial = [];
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var part = chunks.parts.filter(function (p) { return p.div === entry.target; })[0];
        observer.unobserve(entry.target);
        var drawing = drawPart(part);
        if (initial) initial.push(drawing);
      });
      if (initial) {
        var done = initial;
        initial = null;
        Promise.all(done).then(function () {
          element.dataset.drawn = "1";
          element.dispatchEvent(new CustomEvent("chart-drawn", {bubbles: true}));
        });
      }
    }, {rootMargin: "100% 0px"});
    chunks.parts.forEach(function (part) { observer.observe(part.div); });
    chunks.observer = observer;
  }

  // Each chart is <div class="plotly-chart" data-figure-id="..."> with its JSON in a
  // <script type="application/json" id="...">: never executed, so user text in it is inert.
  function draw(element) {
    var source = document.getElementById(element.dataset.figureId);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};
    element._ganttLinks = figure.links || null;
    if (figure.rows && figure.rows.length > CHUNK_ABOVE && window.IntersectionObserver) {
      drawRowLabels(element, figure, CHUNK_ROWS);
      drawChunked(element, figure, config);
      return;
    }
    drawRowLabels(element, figure);
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
      wireClicks(element, element);
    }
    // A chart of many plans (the portfolio timeline): a click opens the plan in customdata[0].
    if (element.dataset.clickOpen && !element.dataset.clickWired) {
      element.dataset.clickWired = "1";
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || !point.customdata || point.customdata[0] === undefined) return;
        window.location.href = element.dataset.clickOpen.replace("/0/", "/" + Number(point.customdata[0]) + "/");
      });
    }
  }

  // Sets the visible date range of a chart (all slices of a big Gantt); resolves when redrawn.
  function setRange(element, range) {
    if (element._ganttChunks) return element._ganttChunks.setRange(range);
    return window.Plotly.relayout(element, {"xaxis.range": range});
  }

  function drawAll(root) {
    (root || document).querySelectorAll(".plotly-chart").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.detail.elt); });
  window.paasportCharts = {draw: draw, drawAll: drawAll, setRange: setRange};
})();

// Zoom of a chart that fits its box (the swimlane, .chart-zoom buttons): the chart is scaled with a
// CSS transform (plotly.js maps hover and clicks through it) inside a .chart-zoom-box that scrolls;
// the lane names are moved along with the scroll so that they stay at the left edge, on a white band.
(function () {
  if (window.paasportChartZoom) return; // the buttons would zoom twice a click
  window.paasportChartZoom = true;
  var LEVELS = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3];
  var SVG_NS = "http://www.w3.org/2000/svg";

  // Scrolled sideways, the lane names would scroll away with the chart: a copy of them (plotly's
  // y-axis labels) on a white band is kept at the box's left edge, above the steps.
  function keepLaneNames(chart, box, rebuild) {
    var zoom = Number(chart.dataset.zoom || 1);
    var layer = chart.querySelector(".yaxislayer-above");
    var layout = chart._fullLayout;
    var overlay = box.querySelector("svg.lane-names");
    if (!layer || !layout || box.scrollLeft <= 0) {
      if (overlay) overlay.style.display = "none";
      return;
    }
    if (!overlay || rebuild) {
      if (overlay) overlay.remove();
      overlay = document.createElementNS(SVG_NS, "svg");
      overlay.setAttribute("class", "lane-names");
      overlay.setAttribute("aria-hidden", "true");
      overlay.setAttribute("viewBox", "0 0 " + layout.margin.l + " " + layout.height);
      var band = document.createElementNS(SVG_NS, "rect");
      band.setAttribute("class", "lane-names-bg");
      band.setAttribute("y", layout.margin.t);
      band.setAttribute("width", layout.margin.l);
      band.setAttribute("height", Math.max(0, layout.height - layout.margin.t - layout.margin.b));
      overlay.appendChild(band);
      overlay.appendChild(layer.cloneNode(true));
      box.appendChild(overlay);
    }
    overlay.style.display = "";
    overlay.style.left = box.scrollLeft + "px";
    overlay.style.width = layout.margin.l * zoom + "px";
    overlay.style.height = layout.height * zoom + "px";
  }

  function setZoom(chart, zoom) {
    var box = chart.closest(".chart-zoom-box");
    var layout = chart._fullLayout;
    if (!box || !layout) return;
    chart.dataset.zoom = String(zoom);
    chart.style.transform = zoom === 1 ? "" : "scale(" + zoom + ")";
    // A transform does not change the box's height: give the page the scaled chart's height.
    box.style.height = zoom === 1 ? "" : Math.ceil(layout.height * zoom) + 18 + "px";
    var controls = document.querySelector('.chart-zoom[data-zoom-for="' + chart.id + '"]');
    if (controls) controls.querySelector(".zoom-level").textContent = Math.round(zoom * 100) + "%";
    if (zoom <= 1) box.scrollLeft = 0;
    keepLaneNames(chart, box, true);
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest(".chart-zoom [data-zoom]") : null;
    if (!button) return;
    var chart = document.getElementById(button.closest(".chart-zoom").dataset.zoomFor);
    if (!chart || !chart._fullLayout) return;
    var zoom = Number(chart.dataset.zoom || 1);
    var index = LEVELS.indexOf(zoom);
    if (button.dataset.zoom === "in") zoom = LEVELS[Math.min(LEVELS.length - 1, index + 1)];
    else if (button.dataset.zoom === "out") zoom = LEVELS[Math.max(0, index - 1)];
    else zoom = 1;
    setZoom(chart, zoom);
  });

  // Scroll events do not bubble: listen in the capture phase for every box.
  document.addEventListener("scroll", function (event) {
    var box = event.target;
    if (!(box instanceof Element) || !box.classList.contains("chart-zoom-box")) return;
    var chart = box.querySelector(".plotly-chart");
    if (chart) keepLaneNames(chart, box);
  }, true);

  // A redrawn chart (plotly.js rebuilds its layers) keeps its zoom and its lane names in place.
  document.addEventListener("chart-drawn", function (event) {
    var chart = event.target;
    if (chart instanceof Element && chart.closest(".chart-zoom-box") && chart.dataset.zoom) {
      setZoom(chart, Number(chart.dataset.zoom));
    }
  });
})();
