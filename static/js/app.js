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
