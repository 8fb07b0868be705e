// Kairo's only hand-written script: toasts, the phone menu, Escape to close.
// No inline scripts anywhere (the CSP forbids them); behaviour hangs on data- attributes.
(function () {
  "use strict";

  // ---- Toasts (issue 15) ------------------------------------------------------------
  // One region (#toasts). A toast with a key replaces the one shown with the same key (a
  // run's "started" gives way to its "ready"); at most three show. Success and info go
  // after 5 s, warnings and errors after 10 s, and the clock stops while the pointer or
  // the focus is on a toast. The region docks where it covers no field, link or button.
  const TOAST_LIFETIME_MS = { success: 5000, info: 5000, warning: 10000, error: 10000 };
  const MAX_TOASTS = 3;
  const PHONE_QUERY = "(max-width: 720px)";
  const SLOTS = { phone: ["bottom", "top"], wide: ["top-right", "bottom-right", "top-left", "bottom-left"] };
  const CONTROLS = "a[href], button, input:not([type='hidden']), select, textarea, summary, [tabindex]:not([tabindex='-1'])";

  function toastRegion() { return document.getElementById("toasts"); }

  function dismiss(toast) {
    if (!toast || !toast.parentNode) return;
    if (toast.kairoTimer) window.clearTimeout(toast.kairoTimer.id);
    toast.parentNode.removeChild(toast);
    placeToasts();
  }

  function runClock(toast) {
    const clock = toast.kairoTimer;
    if (!clock || clock.id || clock.held) return;
    clock.startedAt = Date.now();
    clock.id = window.setTimeout(function () { dismiss(toast); }, clock.remaining);
  }

  function holdClock(toast, held) {
    const clock = toast.kairoTimer;
    if (!clock) return;
    clock.held = held;
    if (!held) { runClock(toast); return; }
    if (!clock.id) return;
    window.clearTimeout(clock.id);
    clock.id = 0;
    clock.remaining = Math.max(1000, clock.remaining - (Date.now() - clock.startedAt));
  }

  function armToast(toast) {
    const level = toast.getAttribute("data-toast-level") || "success";
    toast.kairoTimer = { remaining: TOAST_LIFETIME_MS[level] || TOAST_LIFETIME_MS.success, id: 0, held: false };
    toast.addEventListener("mouseenter", function () { holdClock(toast, true); });
    toast.addEventListener("mouseleave", function () { holdClock(toast, toast.contains(document.activeElement)); });
    toast.addEventListener("focusin", function () { holdClock(toast, true); });
    toast.addEventListener("focusout", function (event) {
      if (!toast.contains(event.relatedTarget)) holdClock(toast, toast.matches(":hover"));
    });
    runClock(toast);
  }

  // How much of the region lies over controls outside it (0: it covers nothing).
  function coveredArea(box) {
    const r = box.getBoundingClientRect();
    let area = 0;
    document.querySelectorAll(CONTROLS).forEach(function (control) {
      if (box.contains(control)) return;
      const c = control.getBoundingClientRect();
      const w = Math.min(r.right, c.right) - Math.max(r.left, c.left);
      const h = Math.min(r.bottom, c.bottom) - Math.max(r.top, c.top);
      if (c.width && c.height && w > 0 && h > 0) area += w * h;
    });
    return area;
  }

  // Beside the page's column when the margin fits a toast (Settings at 1280 px), so it
  // stays out of the form column; else the usual 360 px.
  function gutterWidth() {
    const main = document.getElementById("main");
    let right = 0;
    if (main) for (const child of main.children) right = Math.max(right, child.getBoundingClientRect().right);
    const gutter = document.documentElement.clientWidth - right - 2 * 16;
    return gutter >= 240 ? Math.min(360, gutter) : 360;
  }

  // Dock the region in the first place (below the sticky top bar, or at the bottom above
  // the phone's safe area) where it covers nothing; else where it covers least.
  function placeToasts() {
    const box = toastRegion();
    document.documentElement.style.removeProperty("--toast-push");
    if (!box || !box.children.length) return;
    const bar = document.querySelector(".topbar");
    const top = bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
    box.style.setProperty("--toast-top", top + "px");
    box.style.setProperty("--toast-width", gutterWidth() + "px");
    const slots = window.matchMedia(PHONE_QUERY).matches ? SLOTS.phone : SLOTS.wide;
    let best = slots[0];
    let least = Infinity;
    for (const slot of slots) {
      box.setAttribute("data-slot", slot);
      const area = coveredArea(box);
      if (area < least) { best = slot; least = area; }
      if (area === 0) break;
    }
    box.setAttribute("data-slot", best);
    // A dense page (a board, on a phone or beside the Regenerate button) has controls
    // under every spot: dock at the top and push the page down by the toast's height, so
    // it covers nothing.
    if (least > 0) {
      box.setAttribute("data-slot", slots[slots.length - 1] === "top" ? "top" : "top-right");
      const push = box.getBoundingClientRect().bottom - top;
      document.documentElement.style.setProperty("--toast-push", Math.ceil(push) + "px");
    }
  }

  function showToast(message, level, key) {
    const box = toastRegion();
    if (!box) return null;
    level = TOAST_LIFETIME_MS[level] ? level : "success";
    const toast = document.createElement("div");
    toast.className = "toast toast-" + level;
    toast.setAttribute("role", level === "error" || level === "warning" ? "alert" : "status");
    toast.setAttribute("data-toast-level", level);
    if (key) {
      toast.setAttribute("data-toast-key", key);
      box.querySelectorAll(".toast[data-toast-key]").forEach(function (old) {
        if (old.getAttribute("data-toast-key") === key) dismiss(old);
      });
    }
    const text = document.createElement("span");
    text.textContent = message; // never innerHTML: messages may echo user input
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.setAttribute("data-toast-close", "");
    close.textContent = "×";
    toast.append(text, close);
    box.appendChild(toast);
    while (box.children.length > MAX_TOASTS) dismiss(box.firstElementChild);
    armToast(toast);
    placeToasts();
    return toast;
  }
  window.kairoToast = showToast;

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#toasts .toast").forEach(armToast);
    placeToasts();
  });
  window.addEventListener("resize", placeToasts);

  // HX-Trigger: {"toasts": [{"message": "...", "level": "success"|"info"|"warning"|"error", "key"?}]}
  document.addEventListener("toasts", function (event) {
    const items = (event.detail && event.detail.value) || [];
    items.forEach(function (t) { showToast(t.message, t.level, t.key); });
  });
  // The page under the toasts changed (an HTMX swap): dock them again.
  document.addEventListener("htmx:afterSettle", placeToasts);
  // ---- end of toasts --------------------------------------------------------------------

  // Failed HTMX requests never fail silently.
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 500) showToast("Something went wrong on our side. Try again in a moment.", "error", "request-failed");
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("Can't reach Kairo. Check your connection and try again.", "error", "request-failed");
  });

  document.addEventListener("click", function (event) {
    const close = event.target.closest("[data-toast-close]");
    if (close) dismiss(close.closest(".toast"));
    const toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      const menu = document.getElementById(toggle.getAttribute("aria-controls"));
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      if (menu) menu.classList.toggle("is-open", open);
    }
    const opener = event.target.closest("[data-dialog-open]");
    if (opener) {
      const dialog = document.getElementById(opener.getAttribute("data-dialog-open"));
      if (dialog && dialog.showModal) dialog.showModal();
    }
    const closer = event.target.closest("[data-dialog-close]");
    if (closer) {
      const dialog = closer.closest("dialog");
      if (dialog) dialog.close();
    }
  });

  // Escape closes the newest toast and the phone menu (dialogs close natively).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const toasts = document.querySelectorAll("#toasts .toast");
    if (toasts.length) dismiss(toasts[toasts.length - 1]);
    const toggle = document.querySelector("[data-nav-toggle][aria-expanded='true']");
    if (toggle) toggle.click();
  });
})();
