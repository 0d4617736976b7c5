// The sticky jump list: each criterion's state at a glance, and filters (all · not yet assessed · commented).
import { fill } from "./view.js";

export function createJumpList(view, config) {
  const T = view.T;
  const cards = view.cards;
  const filters = document.querySelector("[data-jump-filters]");
  let current = "all";

  function itemOf(cid) { return document.querySelector("[data-jump='" + cid + "']"); }

  function apply() {
    let shown = 0;
    Object.keys(cards).forEach((cid) => {
      const item = itemOf(cid);
      const match = current === "all" ||
        (current === "not_yet" && item.dataset.state === "not_yet") ||
        (current === "commented" && item.hasAttribute("data-commented"));
      // Hidden cards stay in the form: the whole-form post still carries every criterion.
      cards[cid].hidden = !match;
      item.parentNode.hidden = !match;
      if (match) { shown += 1; }
    });
    const empty = document.querySelector("[data-jump-empty]");
    if (empty) { empty.hidden = shown > 0; }
  }

  // A saved answer or a file added or removed: the item's look and its spoken label follow.
  function update(cid, selfResult) {
    const item = itemOf(cid);
    if (!item) { return; }
    if (selfResult) {
      item.classList.remove("jump-" + item.dataset.state);
      item.dataset.state = selfResult;
      item.classList.add("jump-" + selfResult);
    }
    const files = cards[cid].querySelector("[data-evidence-list]").children.length > 0;
    item.classList.toggle("has-files", files);
    const parts = [config.result_labels[item.dataset.state]];
    if (item.hasAttribute("data-commented")) { parts.push(T.commented); }
    if (files) { parts.push(T.has_files); }
    item.setAttribute("aria-label", fill(T.jump_label, { number: item.dataset.number, state: parts.join(", ") }));
    apply();
  }

  if (filters) {
    filters.hidden = false;
    filters.querySelectorAll("[data-filter]").forEach((button) => {
      button.addEventListener("click", () => {
        current = button.dataset.filter;
        filters.querySelectorAll("[data-filter]").forEach((b) => {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        apply();
      });
    });
  }
  // A jump to a criterion hidden by a filter shows everything again.
  document.querySelectorAll("[data-jump]").forEach((link) => {
    link.addEventListener("click", () => {
      if (cards[link.dataset.jump].hidden && filters) { filters.querySelector("[data-filter=all]").click(); }
    });
  });

  return { update };
}
