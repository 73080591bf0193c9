// Show failed htmx requests (403, 404, 500, network) instead of failing silently.
document.addEventListener("htmx:responseError", function (event) {
  var toast = document.getElementById("error-toast");
  if (!toast) return;
  var xhr = event.detail.xhr;
  var text = (xhr.responseText || "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  toast.textContent = (xhr.status ? xhr.status + " · " : "") + (text.slice(0, 200) || toast.dataset.fallback || "Error");
  toast.hidden = false;
  clearTimeout(toast._timer);
  toast._timer = setTimeout(function () { toast.hidden = true; }, 6000);
});
// A write the server refused without a form to show it in (e.g. deleting a row someone changed):
// the HX-Trigger event "paasport:notice" carries the sentence.
document.addEventListener("paasport:notice", function (event) {
  var toast = document.getElementById("error-toast");
  if (!toast || !event.detail || !event.detail.message) return;
  toast.textContent = event.detail.message;
  toast.hidden = false;
  clearTimeout(toast._timer);
  toast._timer = setTimeout(function () { toast.hidden = true; }, 8000);
});
document.addEventListener("htmx:sendError", function () {
  var toast = document.getElementById("error-toast");
  if (!toast) return;
  toast.textContent = toast.dataset.offline || "Network error";
  toast.hidden = false;
});

// Behaviour that used to live in inline handlers (hx-on, onclick): the Content-Security-Policy
// forbids inline script and htmx runs with allowEval off, so it is wired here by data attributes.

// A link with data-toggles="<id>" closes the element with that id instead of loading it again.
document.addEventListener("htmx:beforeRequest", function (event) {
  var trigger = event.detail.elt;
  var id = trigger && trigger.dataset ? trigger.dataset.toggles : null;
  if (!id) return;
  var open = document.getElementById(id);
  if (open) {
    open.remove();
    event.preventDefault();
  }
});

document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  // data-remove-closest="tr": a Close button removes its enclosing row.
  var remover = target.closest("[data-remove-closest]");
  if (remover) {
    var gone = remover.closest(remover.dataset.removeClosest);
    if (gone) gone.remove();
    return;
  }
  // data-copy-from="<input id>": copy that input's value, then say so on the button.
  var copier = target.closest("[data-copy-from]");
  if (copier) {
    var input = document.getElementById(copier.dataset.copyFrom);
    if (!input) return;
    input.select();
    (navigator.clipboard ? navigator.clipboard.writeText(input.value) : Promise.reject())
      .catch(function () { document.execCommand("copy"); })
      .then(function () { if (copier.dataset.copied) copier.textContent = copier.dataset.copied; });
    return;
  }
  if (target.matches("input[data-select-on-click]")) target.select();
});

// <select data-autosubmit>: choosing an option submits its form (the header's workspace switcher).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// <input data-filter-list="<id>">: typing hides the options of that list whose label does not
// contain the text (the plan form's people pickers: editors and viewers searched by name).
document.addEventListener("input", function (event) {
  var target = event.target;
  if (!(target instanceof HTMLInputElement) || !target.dataset.filterList) return;
  var list = document.getElementById(target.dataset.filterList);
  if (!list) return;
  var text = target.value.trim().toLowerCase();
  list.querySelectorAll("label").forEach(function (label) {
    var item = label.closest("div") && label.closest("div") !== list ? label.closest("div") : label;
    item.hidden = text !== "" && label.textContent.toLowerCase().indexOf(text) < 0;
  });
});

// <input type=checkbox data-check-all="<form id>">: ticks or clears every task box of that form
// (the checklist's bulk edit); data-check-name names other boxes (the joint-test matrix's rows).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (!(target instanceof HTMLInputElement) || !target.dataset.checkAll) return;
  var name = target.dataset.checkName || "task";
  document.querySelectorAll('input[type=checkbox][name="' + name + '"][form="' + target.dataset.checkAll + '"]')
    .forEach(function (box) { box.checked = target.checked; });
});

// <form data-columns-for="<id>">: ticking a column box shows or hides that column of the grid at
// once (class "hide-<key>" on the element with that id); htmx posts the form to keep the choice.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (!(target instanceof HTMLInputElement) || target.name !== "column" || !target.form) return;
  var grid = document.getElementById(target.form.dataset.columnsFor || "");
  if (grid) grid.classList.toggle("hide-" + target.value, !target.checked);
});

// The checklist grid from the keyboard: cells with data-field are a grid of their own (one tab stop,
// "roving tabindex"). Arrow keys and Tab move between the visible ones, Enter opens the row's form
// with the cell's field focused, Enter there saves, Escape cancels; focus comes back to the cell.
(function () {
  var GRID = "table.checklist[role=grid]";
  var pending = null; // {row: tr id, field: form field name, mode: "open" | "close"}

  function cellsOf(row) {
    return Array.prototype.filter.call(row.querySelectorAll("td[data-field]"), function (cell) {
      // Columns hidden with the column chooser are skipped.
      var key = /(?:^|\s)col-([a-z]+)/.exec(cell.className);
      var holder = key && cell.closest(".hide-" + key[1]);
      return !holder && cell.offsetParent !== null;
    });
  }
  function rowsOf(grid) {
    return Array.prototype.filter.call(grid.querySelectorAll("tr.task-row"), function (row) {
      return cellsOf(row).length > 0;
    });
  }
  function focusCell(cell) {
    if (!cell) return;
    var grid = cell.closest(GRID);
    grid.querySelectorAll('td[data-field][tabindex="0"]').forEach(function (other) { other.tabIndex = -1; });
    cell.tabIndex = 0;
    cell.focus();
    cell.scrollIntoView({block: "nearest", inline: "nearest"});
  }
  function ensureTabStop() {
    document.querySelectorAll(GRID).forEach(function (grid) {
      if (grid.querySelector('td[data-field][tabindex="0"]')) return;
      var first = rowsOf(grid)[0];
      if (first) cellsOf(first)[0].tabIndex = 0;
    });
  }
  function move(cell, key, shift) {
    var row = cell.closest("tr");
    var grid = cell.closest(GRID);
    var cells = cellsOf(row);
    var rows = rowsOf(grid);
    var col = cells.indexOf(cell);
    var r = rows.indexOf(row);
    if (key === "ArrowLeft") return cells[col - 1];
    if (key === "ArrowRight") return cells[col + 1];
    if (key === "ArrowUp" || key === "ArrowDown") {
      var next = rows[r + (key === "ArrowUp" ? -1 : 1)];
      if (!next) return null;
      var field = cell.dataset.field;
      return next.querySelector('td[data-field="' + field + '"]') || cellsOf(next)[Math.min(col, cellsOf(next).length - 1)];
    }
    if (key === "Home") return cells[0];
    if (key === "End") return cells[cells.length - 1];
    if (key === "Tab") {
      if (shift) return cells[col - 1] || (rows[r - 1] ? cellsOf(rows[r - 1]).slice(-1)[0] : null);
      return cells[col + 1] || (rows[r + 1] ? cellsOf(rows[r + 1])[0] : null);
    }
    return null;
  }
  function openEditor(cell) {
    var row = cell.closest("tr");
    var edit = row.querySelector("a[data-edit-row]");
    if (!edit || !window.htmx) return;
    pending = {row: row.id, field: cell.dataset.field, mode: "open"};
    window.htmx.ajax("GET", edit.getAttribute("href"), {source: edit, target: row, swap: "outerHTML"});
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || event.altKey || event.ctrlKey || event.metaKey) return;
    // In a cell of the grid.
    if (target.matches(GRID + " td[data-field]")) {
      if (event.key === "Enter" || event.key === "F2") {
        event.preventDefault();
        openEditor(target);
        return;
      }
      var next = move(target, event.key, event.shiftKey);
      var handled = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].indexOf(event.key) >= 0;
      if (next) { event.preventDefault(); focusCell(next); } else if (handled) event.preventDefault();
      return;
    }
    // In the form of a row opened from the grid (or with the mouse): Enter saves, Escape cancels.
    var editing = target.closest(GRID + " tr.editing");
    if (!editing || !(target.matches("input, select"))) return;
    if (event.key === "Enter" && target.type !== "checkbox" || event.key === "Escape") {
      var form = target.closest("form");
      var cancel = form && form.querySelector(".form-actions button[type=button]");
      if (!form) return;
      event.preventDefault();
      pending = {row: editing.id, field: target.name, mode: "close"};
      if (event.key === "Escape" && cancel) cancel.click();
      else if (event.key === "Enter") form.requestSubmit();
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    ensureTabStop();
    if (!pending) return;
    var row = document.getElementById(pending.row);
    if (!row) { pending = null; return; }
    if (row.classList.contains("editing")) {
      if (pending.mode === "editing") return; // another part of the page changed meanwhile
      // The form opened, or came back with errors: focus the field (or the first one in error).
      var field = row.querySelector(".has-error input, .has-error select, .has-error textarea") ||
        row.querySelector('[name="' + pending.field + '"]') || row.querySelector("input:not([type=hidden]), select");
      if (field) { field.focus(); if (field.select && field.type !== "date") field.select(); }
      pending.mode = "editing";
      return;
    }
    if (pending.mode === "close" && row.classList.contains("task-row")) {
      focusCell(row.querySelector('td[data-field="' + pending.field + '"]') || cellsOf(row)[0]);
      pending = null;
    }
  });
  document.addEventListener("DOMContentLoaded", ensureTabStop);
  if (document.readyState !== "loading") ensureTabStop();
})();
