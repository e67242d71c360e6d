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

// Keyboard shortcuts, declared in the markup: an element with data-shortcut="j ArrowRight"
// is clicked (a link, a button, a <summary>) or focused (a field) when one of those keys
// (KeyboardEvent.key values) is pressed. The page that binds a key also lists it, from the
// same markup. Keys typed into a field, and keys with Ctrl, Alt or Meta, are left alone.
(function () {
  function typing(target) {
    return target instanceof Element && (target.isContentEditable || target.matches("input, textarea, select"));
  }

  function boundTo(key) {
    return Array.from(document.querySelectorAll("[data-shortcut]")).find(function (element) {
      return element.dataset.shortcut.split(" ").includes(key) && !element.disabled && !element.closest("[hidden], [inert]");
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    if (typing(event.target)) return;
    const element = boundTo(event.key);
    if (!element) return;
    event.preventDefault();
    if (element.matches("input, textarea, select")) {
      element.focus();
    } else {
      element.click();
    }
  });
})();

// Once everything is marked as seen, the desk's rows drop their "changed" markers.
document.addEventListener("changes-seen", function () {
  document.querySelectorAll(".changed-marker").forEach(function (marker) { marker.remove(); });
});
