// BrandBrain onboarding wizard: keyboard niceties. Enter already submits a step from any
// single-line field (the form's first submit button is "continue"); in a list textarea
// Enter adds a line, so Ctrl/Cmd+Enter submits there. After a failed submit, focus goes
// to the first field with an error so keyboard and screen-reader users land on it.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const invalid = document.querySelector("[data-wizard-form] .has-error input, [data-wizard-form] .has-error select, [data-wizard-form] .has-error textarea");
    if (invalid) invalid.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const area = event.target.closest("[data-wizard-form] textarea");
    if (!area) return;
    event.preventDefault();
    const form = area.form;
    const submit = form.querySelector("button[type='submit'][value='next']");
    if (form.requestSubmit) form.requestSubmit(submit || undefined);
    else form.submit();
  });
})();
