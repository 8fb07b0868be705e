// Daily refresh and board history: presets the schedule's time zone from the browser
// (only on a schedule never saved), and shows <time data-local-time> in local time.
// Loaded as a file (the CSP forbids inline scripts); re-applied to HTMX-swapped content.
(function () {
  "use strict";
  if (window.kairoDaily) return;
  window.kairoDaily = true;

  function browserTimeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function presetTimeZone(root) {
    const zone = browserTimeZone();
    root.querySelectorAll("select[data-browser-timezone]").forEach(function (select) {
      const known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
      if (!zone || !known || select.value === zone) return;
      select.value = zone;
      const form = select.closest("form");
      const hint = form && form.querySelector("[data-tz-detected]");
      if (hint) hint.hidden = false;
    });
  }

  const FORMATS = {
    date: { weekday: "short", year: "numeric", month: "short", day: "numeric" },
    datetime: { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
  };

  function localTimes(root) {
    root.querySelectorAll("time[data-local-time]").forEach(function (node) {
      const moment = new Date(node.getAttribute("datetime"));
      if (isNaN(moment.getTime())) return;
      const format = FORMATS[node.getAttribute("data-local-format")] || FORMATS.datetime;
      node.textContent = moment.toLocaleString(undefined, format);
      node.title = moment.toISOString().replace("T", " ").slice(0, 16) + " UTC";
    });
  }

  function apply(root) {
    presetTimeZone(root);
    localTimes(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  } else {
    apply(document);
  }
  document.addEventListener("htmx:load", function (event) { apply(event.target); });
})();
