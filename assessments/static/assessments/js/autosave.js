// Each criterion's result and note are saved on their own as they are typed (debounced), with a visible state per
// criterion. Edits not yet on the server are kept on this device under the officer's offline key
// (portal/offline.js) until the server has them: a lost connection, a reload or an expired session loses nothing.
// An expired session is said as such (not "network lost"); once the same officer is signed in again (another
// tab, portal/session.js tells this page) the edits go, without a reload.
import { csrfToken, pageKey, postCriterion, readQueue, sameValue as same, writeQueue } from "../../portal/offline.js";
import { createConflicts } from "./conflicts.js";

const DEBOUNCE_MS = 700;
const EXPIRED_PROBE_MS = 30000;

export function createAutosave({ form, view, config, line, jump }) {
  const T = view.T;
  const key = pageKey() || "";
  const formToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const state = { version: config.version, base: {}, pending: {}, conflicts: {} };
  const failed = {};   // criterion id → the server refused the value (not retried on its own)
  const timers = {};
  const waiters = [];  // sendAll() callers waiting until nothing more can be sent
  let leaving = false;
  let expired = false;
  let staleCopy = false;
  let retryTimer = null;
  let retryDelay = 2000;
  let probe = null;
  config.results.forEach((r) => { state.base[r.criterion] = { self_result: r.self_result, note: r.note }; });

  const count = () => Object.keys(state.pending).length;
  function setVersion(version) {
    state.version = version;
    view.setVersion(version);
  }
  function persist() {
    const ids = Object.keys(state.pending);
    const base = {};
    ids.forEach((cid) => { base[cid] = state.base[cid]; });
    writeQueue(key, config.assessment, ids.length ? {
      assessment: config.assessment, url: config.save_url, page: config.page_url, version: state.version,
      base, edits: state.pending, at: Date.now(),
    } : null);
  }
  const conflicts = createConflicts(view, config, state, { persist, flush: () => flush(), setVersion });

  function nextToSend() {
    return Object.keys(state.pending).find((cid) => !state.conflicts[cid] && !failed[cid] && !timers[cid]) || null;
  }

  // sendAll() (sign-out) ends when nothing more can be sent now; it is told what is left and why.
  function settle() {
    if (line.saving || !waiters.length) { return; }
    if (navigator.onLine && !expired && nextToSend() !== null) { return; }
    const blocked = expired ? "expired" : (navigator.onLine ? null : "network");
    const left = Object.keys(state.pending).map((cid) => ({
      kind: blocked || (state.conflicts[cid] ? "conflict" : (failed[cid] ? "refused" : "network")),
      page: config.page_url,
    }));
    waiters.splice(0).forEach((resolve) => resolve(left));
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(() => {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function flush() {
    if (line.saving || leaving || line.uploading || expired) { settle(); return; }
    if (!navigator.onLine) {
      if (count()) { view.showBanner(T.offline, true); }
      settle();
      return;
    }
    const cid = nextToSend();
    if (cid === null) { settle(); return; }
    send(cid);
  }

  async function send(cid) {
    line.saving = true;
    const sent = state.pending[cid];
    view.setState(cid, "saving");
    const reply = await postCriterion({ url: config.save_url, version: state.version, criterion: cid, value: sent,
      key, token: csrfToken(formToken) });
    line.saving = false;
    if (reply.kind === "network") {
      // No answer (or not the portal's): the connection is gone. Keep the edit and try again.
      view.setState(cid, navigator.onLine ? "error" : "unsaved", navigator.onLine ? T.network : "");
      view.showBanner(T.offline, true);
      persist();
      scheduleRetry();
      settle();
      line.afterSave();
      return;
    }
    if (reply.kind === "expired") { expire(cid); return; }
    if (reply.kind === "other_user") { leave(); window.location.replace("/"); return; }
    retryDelay = 2000;
    view.showExpired(false);
    view.showBanner("", count() > 0);
    if (reply.kind === "saved") {
      saved(cid, sent, reply.data);
    } else if (reply.kind === "conflict") {
      conflicts.reconcile(reply.data.version, reply.data.results);
    } else {
      failed[cid] = true;
      view.setState(cid, "error", reply.data.error || "");
    }
    persist();
    if (staleCopy && !count() && !waiters.length) {
      // A kept copy of the page: now that the edits are on the server, show the server's page.
      leaving = true;
      window.location.reload();
      return;
    }
    flush();
    line.afterSave();
  }

  function saved(cid, sent, data) {
    setVersion(data.version);
    state.base[cid] = { self_result: data.saved.self_result, note: data.saved.note };
    if (same(state.pending[cid], sent)) {
      delete state.pending[cid];
      view.setState(cid, "saved", data.saved_at);
    } else if (!timers[cid]) {
      view.setState(cid, "unsaved");
    }
    view.updateCounter(data.answered, data.total);
    jump.update(cid, data.saved.self_result);
    const prefilled = view.cards[cid].querySelector("[data-prefilled]");
    if (prefilled && data.confirmed) { prefilled.remove(); }
    view.showBanner("", count() > 0);
  }

  // ---------------------------------------------------------------- the session ran out
  function expire(cid) {
    expired = true;
    view.setState(cid, "expired");
    view.showExpired(true);
    persist();
    settle();
    if (!probe) {
      // Signed in again some other way (the same tab's history, another window): try now and then.
      probe = window.setInterval(() => { if (expired) { tryAgain(); } }, EXPIRED_PROBE_MS);
    }
  }
  function tryAgain() {
    expired = false;  // the notice stays until a save goes through
    flush();
  }
  window.addEventListener("focus", () => { if (expired) { tryAgain(); } });
  document.addEventListener("visibilitychange", () => {
    if (expired && document.visibilityState === "visible") { tryAgain(); }
  });

  // ---------------------------------------------------------------- editing
  function markEdited(cid) {
    const value = view.valuesOf(cid);
    if (same(value, state.base[cid]) && !state.conflicts[cid]) {
      delete state.pending[cid];
      view.setState(cid, "saved");
    } else {
      state.pending[cid] = value;
      delete failed[cid];
      view.setState(cid, expired ? "expired" : "unsaved");
    }
    persist();
    window.clearTimeout(timers[cid]);
    timers[cid] = window.setTimeout(() => { delete timers[cid]; flush(); }, DEBOUNCE_MS);
  }

  function onEdit(event) {
    const target = event.target;
    if (target.type === "file") { return; }
    const card = target.closest("[data-criterion-id]");
    if (!card) { return; }
    const cid = card.dataset.criterionId;
    if (target.name === "confirm") {
      // Confirming a prefilled answer is saving it as it stands.
      if (!target.checked) { return; }
      state.pending[cid] = view.valuesOf(cid);
      view.setState(cid, "unsaved");
      persist();
      flush();
      return;
    }
    markEdited(cid);
  }
  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  view.onRetry = (cid) => {
    delete failed[cid];
    view.setState(cid, "unsaved");
    flush();
  };
  window.addEventListener("online", () => {
    retryDelay = 2000;
    flush();
  });
  window.addEventListener("offline", () => { if (count()) { view.showBanner(T.offline, true); } });

  // ---------------------------------------------------------------- start: edits kept on this device
  function restore() {
    const stored = readQueue(key, config.assessment);
    let restored = 0;
    if (stored && stored.edits) {
      Object.keys(stored.edits).forEach((cid) => {
        if (!view.cards[cid]) { return; }
        const mine = stored.edits[cid];
        const server = state.base[cid];
        if (same(mine, server)) { return; }
        view.setFields(cid, mine);
        state.pending[cid] = mine;
        restored += 1;
        const startedFrom = stored.base && stored.base[cid];
        if (stored.version >= state.version && startedFrom) {
          // This page is the same or an older copy (a reload without a connection shows the last copy the
          // phone kept): what the edit started from is the newest we know of.
          state.base[cid] = startedFrom;
          view.setState(cid, "unsaved");
        } else if (startedFrom && !same(server, startedFrom)) {
          state.conflicts[cid] = server;
          conflicts.show(cid);
        } else {
          view.setState(cid, "unsaved");
        }
      });
    }
    // Values typed before a failed whole-form post are unsaved too (kept on the page by the form).
    Object.keys(view.cards).forEach((cid) => {
      if (state.pending[cid] || same(view.valuesOf(cid), state.base[cid])) { return; }
      state.pending[cid] = view.valuesOf(cid);
      // A stale whole form: the page shows the latest saved value; saving again is the officer's choice.
      if (config.conflict) { failed[cid] = true; }
      view.setState(cid, "unsaved");
    });
    // A copy of the page kept by the phone (loaded without a connection, or older than the edits): its other
    // answers may be out of date, so the whole form is not posted from it; once the edits are saved the page
    // reloads itself from the server.
    staleCopy = !navigator.onLine || !!(stored && stored.version > state.version);
    if (stored && stored.version > state.version) { setVersion(stored.version); }
    persist();
    if (restored) {
      view.restored(restored);
      view.showBanner(navigator.onLine ? "" : T.offline, true);
    }
    flush();
  }

  function leave() {
    leaving = true;
    Object.keys(timers).forEach((cid) => window.clearTimeout(timers[cid]));
  }

  return {
    restore,
    flush,
    count,
    leave,
    busy: () => line.saving,
    isLeaving: () => leaving || (!count() && !line.saving),
    markLeaving: () => { leaving = true; },
    staleCopy: () => staleCopy,
    expired: () => expired || view.expiredShown(),
    // The sign-out step (portal/session.js): send everything now, then say what is left.
    sendAll() {
      Object.keys(timers).forEach((cid) => { window.clearTimeout(timers[cid]); delete timers[cid]; });
      return new Promise((resolve) => { waiters.push(resolve); flush(); });
    },
    // Another tab showed the sign-in page: keep the edits in memory only, and say how to go on.
    signedOut() {
      expired = true;
      view.showExpired(true);
      settle();
    },
    // This officer is signed in again (another tab): store the edits again and send them.
    signedIn() {
      expired = false;
      view.showExpired(false);
      persist();
      flush();
    },
  };
}
