// Claimdesk's only script of its own: htmx does the rest.
// It marks the page as scripted (so no-JavaScript fallbacks such as "Apply" buttons
// hide) and says so when an htmx request fails, instead of failing silently.
document.documentElement.classList.add("js");

(function () {
  const MESSAGES = {
    403: "You are not allowed to do that.",
    404: "That item no longer exists. Reload the page to see the current state.",
  };

  function flash(text) {
    const region = document.getElementById("flash");
    if (!region) return;
    const message = document.createElement("p");
    message.className = "message error";
    message.textContent = text;
    region.replaceChildren(message);
  }

  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    flash(MESSAGES[status] || "The server could not complete that (error " + status + "). Reload the page to see what was saved.");
  });

  document.addEventListener("htmx:sendError", function () {
    flash("Claimdesk could not be reached. Check your connection; what you typed is still on the page.");
  });

  // A fresh successful action clears an earlier error message.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.detail.requestConfig.verb !== "get") {
      const region = document.getElementById("flash");
      if (region) region.querySelectorAll(".message.error").forEach(function (node) { node.remove(); });
    }
  });
})();
