// The source reader: turns a selection in the text into the exact quote and offsets
// a claim is anchored by. Offsets count Unicode code points, as the server does
// (Python string indices); JavaScript strings count UTF-16 units, hence Array.from.
(function () {
  function codePoints(text) {
    return Array.from(text).length;
  }

  // The selection inside the text as {start, end, quote}, trimmed of surrounding
  // white space, or null when nothing (or something outside the text) is selected.
  function selectionIn(container) {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.selectNodeContents(container);
    before.setEnd(range.startContainer, range.startOffset);
    let quote = range.toString();
    let start = codePoints(before.toString());
    const leading = quote.length - quote.trimStart().length;
    start += codePoints(quote.slice(0, leading));
    quote = quote.trim();
    if (!quote) return null;
    return { start: start, end: start + codePoints(quote), quote: quote, rect: range.getBoundingClientRect() };
  }

  // Put the selection's words and offsets into a form; an empty selection leaves
  // what the person may have typed there alone.
  function fill(form, selected) {
    if (!form || !selected) return;
    ["start", "end", "quote"].forEach(function (name) {
      const field = form.querySelector('[name="' + name + '"]');
      if (field) field.value = selected[name];
    });
  }

  function update() {
    const container = document.getElementById("source-text");
    if (!container) return;
    const selected = selectionIn(container);
    const capture = document.getElementById("capture-selection");
    if (capture) {
      fill(capture, selected);
      capture.hidden = !selected;
      if (selected) {
        // Float the button just under the selection, inside the text's card.
        const card = capture.offsetParent || container;
        const box = card.getBoundingClientRect();
        capture.style.top = selected.rect.bottom - box.top + card.scrollTop + 6 + "px";
        capture.style.left = Math.max(0, selected.rect.left - box.left) + "px";
      }
    }
    fill(document.getElementById("place-claim"), selected);
  }

  // A click on a mark in the text opens its claim or suggestion, unless the click ended a
  // selection of words: those are for a new claim, and the panel must not jump away.
  let pressedAt = null;
  document.addEventListener("mousedown", function (event) {
    pressedAt = [event.clientX, event.clientY];
  });
  document.addEventListener("htmx:confirm", function (event) {
    const click = event.detail.triggeringEvent;
    const inText = event.detail.elt.closest && event.detail.elt.closest("#source-text");
    if (!inText || !click || click.type !== "click" || !pressedAt) return;
    const dragged = Math.hypot(click.clientX - pressedAt[0], click.clientY - pressedAt[1]) > 4;
    if (dragged) event.preventDefault();
  });

  // A suggestion in the list and its sentence in the text point at each other.
  function pointAt(id, on) {
    document.querySelectorAll('#source-text .suggested[data-suggestion="' + id + '"], #suggestion-' + id).forEach(
      function (element) {
        element.classList.toggle("pointed", on);
      }
    );
  }
  ["mouseover", "mouseout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      const target = event.target.closest && event.target.closest("[data-suggestion]");
      if (target) pointAt(target.dataset.suggestion, type === "mouseover");
    });
  });

  let pending = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(pending);
    pending = setTimeout(update, 120);
  });

  // A panel swapped in (a claim opened, a form shown) starts from the current selection.
  document.addEventListener("htmx:afterSettle", update);

  // The open claim stands out, in the text and in the list, whichever way it was opened.
  function showOpenClaim() {
    const panel = document.getElementById("reader-claim");
    const open = panel ? panel.dataset.claim : undefined;
    document.querySelectorAll("#source-text mark.hl").forEach(function (mark) {
      mark.classList.toggle("selected", mark.dataset.claim === open);
    });
    document.querySelectorAll("#source-claims li[data-claim]").forEach(function (item) {
      if (item.dataset.claim === open) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    });
  }

  document.addEventListener("htmx:afterSettle", showOpenClaim);
  document.addEventListener("DOMContentLoaded", showOpenClaim);
})();
