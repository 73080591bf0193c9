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
document.addEventListener("htmx:sendError", function () {
  var toast = document.getElementById("error-toast");
  if (!toast) return;
  toast.textContent = toast.dataset.offline || "Network error";
  toast.hidden = false;
});
