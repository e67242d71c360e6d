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
