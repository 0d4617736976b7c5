// What the officer sees of autosave: each criterion's fields and save state, the banner, the answered count.
export function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_, key) => (values[key] === undefined ? "" : values[key]));
}

export function createView(form, config) {
  const T = config.text;
  const cards = {};
  form.querySelectorAll("[data-criterion-id]").forEach((card) => { cards[card.dataset.criterionId] = card; });
  const banner = document.querySelector("[data-offline-banner]");
  const sessionBanner = document.querySelector("[data-session-banner]");
  const counter = document.getElementById("answered-count");
  const versionInput = form.querySelector("input[name=version]");
  let restoredText = "";  // "N edits restored from this device", shown until they are all saved

  const view = {
    T,
    cards,
    onRetry: () => {},

    valuesOf(cid) {
      const card = cards[cid];
      const checked = card.querySelector("input[type=radio]:checked");
      return { self_result: checked ? checked.value : "not_yet", note: card.querySelector("textarea").value };
    },

    setFields(cid, value) {
      const card = cards[cid];
      card.querySelectorAll("input[type=radio]").forEach((radio) => {
        radio.checked = radio.value === value.self_result;
      });
      card.querySelector("textarea").value = value.note;
    },

    setState(cid, kind, detail) {
      const el = cards[cid].querySelector("[data-save-state]");
      el.dataset.state = kind;
      el.className = "save-state small save-state-" + kind;
      el.textContent = "";
      if (kind === "saved") {
        el.textContent = detail ? fill(T.saved, { time: detail }) : "";
      } else if (kind === "unsaved") {
        el.textContent = T.unsaved;
      } else if (kind === "saving") {
        el.textContent = T.saving;
      } else if (kind === "expired") {
        el.className = "save-state small save-state-error";
        el.textContent = T.expired;
      } else if (kind === "error") {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link btn-sm p-0 text-danger save-retry";
        button.textContent = T.error;
        if (detail) { button.title = detail; }
        button.addEventListener("click", () => view.onRetry(cid));
        el.appendChild(button);
        if (detail) {
          const why = document.createElement("span");
          why.className = "d-block text-danger";
          why.textContent = detail;
          el.appendChild(why);
        }
      }
    },

    restored(count) { restoredText = fill(T.restored, { count }); },

    showBanner(text, hasPending) {
      if (!banner) { return; }
      if (!hasPending) { restoredText = ""; }
      const shown = [restoredText, text].filter(Boolean).join(" ");
      banner.textContent = shown;
      banner.hidden = !shown;
    },

    // Session expired: its own notice with a sign-in link (not "network lost").
    showExpired(on) {
      if (sessionBanner) { sessionBanner.hidden = !on; }
    },
    expiredShown() { return !!sessionBanner && !sessionBanner.hidden; },

    updateCounter(answered, total) {
      if (counter) { counter.textContent = counter.textContent.replace(/\d+\/\d+/, answered + "/" + total); }
    },

    setVersion(version) { versionInput.value = version; },
  };
  return view;
}
