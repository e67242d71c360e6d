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

  // The highlight of the open claim stands out from the others.
  document.addEventListener("click", function (event) {
    const mark = event.target.closest && event.target.closest("#source-text mark.hl");
    if (!mark) return;
    document.querySelectorAll("#source-text mark.hl.selected").forEach(function (other) {
      other.classList.remove("selected");
    });
    document.querySelectorAll('#source-text mark.hl[data-claim="' + mark.dataset.claim + '"]').forEach(function (part) {
      part.classList.add("selected");
    });
  });
})();
