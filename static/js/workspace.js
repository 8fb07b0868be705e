// The workspace's behaviour (issue 18): the Undo in an idea's toast, where focus goes
// after a card's action row is swapped, and "Copy as brief" / "Copy link".
// Hangs on data- attributes and HX-Trigger events only (the CSP forbids inline scripts).
(function () {
  "use strict";

  function lastToast() {
    const toasts = document.querySelectorAll("#toasts .toast");
    return toasts.length ? toasts[toasts.length - 1] : null;
  }

  // HX-Trigger: {"ideaChanged": {"message", "undo_url", "target"}} — a toast with Undo.
  document.addEventListener("ideaChanged", function (event) {
    const detail = (event.detail && event.detail.value) || event.detail || {};
    if (!window.kairoToast || !detail.message) return;
    window.kairoToast(detail.message, "success");
    const toast = lastToast();
    if (!toast || !detail.undo_url || !window.htmx) return;
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "btn btn-sm toast-undo";
    undo.textContent = "Undo";
    undo.setAttribute("hx-post", detail.undo_url);
    undo.setAttribute("hx-target", detail.target);
    undo.setAttribute("hx-swap", "outerHTML");
    undo.addEventListener("htmx:afterRequest", function () {
      if (toast.parentNode) toast.parentNode.removeChild(toast);
    });
    const close = toast.querySelector("[data-toast-close]");
    toast.insertBefore(undo, close);
    window.htmx.process(undo);
  });

  // After a card's action row is swapped: to the field that needs fixing, else to the
  // row's Undo, so a keyboard user lands next to what just changed.
  document.addEventListener("htmx:afterSwap", function (event) {
    const row = event.detail.target && document.getElementById(event.detail.target.id);
    if (!row || !row.classList || !row.classList.contains("idea-actions")) return;
    const next = row.querySelector("[aria-invalid='true']") || row.querySelector(".idea-status button") ||
      row.querySelector("summary, button");
    if (next) next.focus();
  });

  function copy(text, done) {
    if (!navigator.clipboard || !window.isSecureContext) return false;
    navigator.clipboard.writeText(text).then(
      function () { if (window.kairoToast) window.kairoToast(done, "success"); },
      function () { if (window.kairoToast) window.kairoToast("Your browser didn't let Kairo copy. Select the text and copy it instead.", "error"); }
    );
    return true;
  }

  document.addEventListener("click", function (event) {
    const brief = event.target.closest("[data-copy-brief]");
    if (brief) {
      const source = document.getElementById(brief.getAttribute("data-copy-brief"));
      const text = source && source.content ? source.content.textContent : "";
      // Without clipboard access the link opens the brief as a Markdown file instead.
      if (text && copy(text, "Brief copied as Markdown. Paste it anywhere.")) event.preventDefault();
      return;
    }
    const value = event.target.closest("[data-copy-value]");
    if (value) {
      const field = document.getElementById(value.getAttribute("data-copy-value"));
      if (field && !copy(field.value, "Link copied.")) field.select();
    }
  });
})();
