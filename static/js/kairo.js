// Kairo's only hand-written script: toasts, the phone menu, Escape to close.
// No inline scripts anywhere (the CSP forbids them); behaviour hangs on data- attributes.
(function () {
  "use strict";

  const TOAST_MS = 5000;

  function dismiss(toast) {
    if (toast && toast.parentNode) toast.parentNode.removeChild(toast);
  }

  function scheduleHide(toast) {
    window.setTimeout(function () { dismiss(toast); }, TOAST_MS);
  }

  function showToast(message, level) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const toast = document.createElement("div");
    toast.className = "toast toast-" + (level === "error" ? "error" : "success");
    toast.setAttribute("role", level === "error" ? "alert" : "status");
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
    scheduleHide(toast);
  }
  window.kairoToast = showToast;

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#toasts .toast").forEach(scheduleHide);
  });

  // HX-Trigger: {"toasts": [{"message": "...", "level": "success"|"error"}]}
  document.addEventListener("toasts", function (event) {
    const items = (event.detail && event.detail.value) || [];
    items.forEach(function (t) { showToast(t.message, t.level); });
  });

  // Failed HTMX requests never fail silently.
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 500) showToast("Something went wrong on our side. Try again in a moment.", "error");
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("Can't reach Kairo. Check your connection and try again.", "error");
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
