// Two people saved the same criterion: show both values, lose neither, let the officer choose.
import { sameValue as same } from "../../portal/offline.js";

// state: {base, pending, conflicts, version}; actions: {persist, flush, setVersion}
export function createConflicts(view, config, state, actions) {
  const T = view.T;

  function labelOf(value) {
    return (config.result_labels[value.self_result] || value.self_result) + " – " +
      ((value.note || "").trim() || T.no_note);
  }

  function button(text, className, onClick) {
    const el = document.createElement("button");
    el.type = "button";
    el.className = className;
    el.textContent = text;
    el.addEventListener("click", onClick);
    return el;
  }

  function show(cid) {
    const panel = view.cards[cid].querySelector("[data-conflict]");
    const server = state.conflicts[cid];
    const mine = state.pending[cid] || view.valuesOf(cid);
    panel.textContent = "";
    const intro = document.createElement("p");
    intro.className = "mb-1";
    intro.textContent = T.conflict;
    panel.appendChild(intro);
    [[T.server, server, "conflict-server"], [T.yours, mine, "conflict-yours"]].forEach(([label, value, testid]) => {
      const p = document.createElement("p");
      p.className = "mb-1 text-break";
      p.dataset.testid = testid;
      const strong = document.createElement("strong");
      strong.textContent = label + ": ";
      p.appendChild(strong);
      p.appendChild(document.createTextNode(labelOf(value)));
      panel.appendChild(p);
    });
    panel.appendChild(button(T.keep_mine, "btn btn-sm btn-primary me-2", () => {
      delete state.conflicts[cid];
      panel.hidden = true;
      state.pending[cid] = view.valuesOf(cid);
      view.setState(cid, "unsaved");
      actions.persist();
      actions.flush();
    }));
    panel.appendChild(button(T.use_server, "btn btn-sm btn-outline-secondary", () => {
      view.setFields(cid, state.conflicts[cid]);
      delete state.conflicts[cid];
      delete state.pending[cid];
      panel.hidden = true;
      view.setState(cid, "saved");
      actions.persist();
    }));
    panel.hidden = false;
    view.setState(cid, "unsaved");
  }

  // The server moved on (someone else saved): take its values where nobody typed, keep ours where the server
  // still has what we started from, and ask where both changed.
  function reconcile(serverVersion, results) {
    results.forEach((r) => {
      const cid = String(r.criterion);
      if (!view.cards[cid]) { return; }
      const server = { self_result: r.self_result, note: r.note };
      const mine = state.pending[cid];
      if (!mine) {
        if (!same(server, state.base[cid]) && !state.conflicts[cid]) { view.setFields(cid, server); }
      } else if (same(server, mine)) {
        delete state.pending[cid];
        view.setState(cid, "saved");
      } else if (!same(server, state.base[cid])) {
        state.conflicts[cid] = server;
        show(cid);
      }
      state.base[cid] = server;
    });
    actions.setVersion(serverVersion);
    actions.persist();
  }

  return { show, reconcile };
}
