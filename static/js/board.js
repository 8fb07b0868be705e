// The Today board and board history (templates/opportunities/): Escape closes a card's
// score table (or the card itself), and a card's collapsed row keeps showing the state
// its action row was just set to. Cards open and close as native <details>.
(function () {
  "use strict";

  // Escape: the innermost open score table or card around the focus closes, and focus
  // goes to its summary, so the keyboard user stays where they were.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    if (event.target.closest("input, select, textarea")) return; // the field's own Escape
    const open = event.target.closest(".score-details[open], .opp-card[open]");
    if (!open) return;
    open.open = false;
    const summary = open.querySelector("summary");
    if (summary) summary.focus();
  });

  // After an idea's action row is swapped (workspace), its state ("Planned for Tue 12
  // May") is copied to the card's collapsed row.
  document.addEventListener("htmx:afterSwap", function (event) {
    const id = event.detail.target && event.detail.target.id;
    const row = id ? document.getElementById(id) : null;
    if (!row || !row.classList.contains("idea-actions")) return;
    const card = row.closest(".opp-card");
    const badge = card ? card.querySelector("[data-idea-state]") : null;
    if (!badge) return;
    const status = row.querySelector(".idea-status .badge");
    badge.textContent = status ? status.textContent : "";
    badge.className = "badge idea-state-" + (row.getAttribute("data-state") || "new");
    badge.hidden = !status;
  });
})();
