// @mentions in comment boxes: <textarea data-mentions-url="…"> gets a dropdown (Tribute, vendored
// in static/vendor) of the people who can read the plan, fetched as the user types. Choosing one
// writes "@username", which the server resolves (collab/services.py); names are inserted as text only.
(function () {
  "use strict";
  function escapeHtml(text) {
    var holder = document.createElement("span");
    holder.textContent = text == null ? "" : String(text);
    return holder.innerHTML;
  }
  function wire(area) {
    if (area.dataset.mentionsReady || typeof Tribute === "undefined") return;
    area.dataset.mentionsReady = "1";
    var tribute = new Tribute({
      trigger: "@",
      requireLeadingSpace: true,
      menuShowMinLength: 0,
      lookup: function (item) { return item.username + " " + item.name; },
      fillAttr: "username",
      values: function (text, done) {
        fetch(area.dataset.mentionsUrl + "?q=" + encodeURIComponent(text),
              {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {results: []}; })
          .then(function (data) { done(data.results || []); })
          .catch(function () { done([]); });
      },
      // Tribute puts these into innerHTML: every user-typed part is escaped first.
      menuItemTemplate: function (item) {
        return escapeHtml(item.original.name) + ' <span class="muted">@' + escapeHtml(item.original.username) + "</span>";
      },
      selectTemplate: function (item) { return item ? "@" + item.original.username : ""; },
      noMatchTemplate: function () { return ""; }
    });
    tribute.attach(area);
  }
  function wireAll(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("textarea[data-mentions-url]")) wire(root);
    root.querySelectorAll("textarea[data-mentions-url]").forEach(wire);
  }
  document.addEventListener("DOMContentLoaded", function () { wireAll(document); });
  document.addEventListener("htmx:load", function (event) { wireAll(event.detail.elt); });
})();
