// Every page: a shared phone shows nobody the previous user's offline copies or queued edits, and sign-out
// does not throw away an officer's unsent edits without asking.
// - This page's offline key differs from the last one shown (another user, or the sign-in page after a sign-out or
//   an expired session): wipe the copies of pages, and every other user's queued edits, first (offline.js).
// - Another tab changes user: this tab follows (reloads), unless it holds unsent edits of its own (the form).
// - "Đăng xuất" with queued edits: a confirm step offers to send them first. Without scripts the form just posts.
import {
  USER_ITEM, adoptUser, csrfToken, dropQueued, liveForm, pageKey, queuedEntries, sendQueued, shownUser,
} from "./offline.js";

const key = pageKey();
if (key !== null) {
  adoptUser(key);
  // A page brought back by the Back button runs no script: check again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && shownUser() !== key) { window.location.reload(); }
  });
  window.addEventListener("storage", (event) => {
    if (event.key === USER_ITEM) { followOtherTab(event.newValue); }
  });
  if (key) { setupSignOut(); }
}

function followOtherTab(now) {
  const form = liveForm();
  if (now === key) {
    if (form) { form.signedIn(); }
  } else if (now === "" && form && form.count()) {
    form.signedOut();  // keeps its edits in memory and says how to sign in again
  } else if (now !== null) {
    if (form) { form.leave(); }
    window.location.replace(now ? "/" : window.location.href);
  }
}

function countQueued() {
  const form = liveForm();
  let count = form ? form.count() : 0;
  queuedEntries(key).forEach((entry) => {
    if (!form || String(entry.assessment) !== String(form.assessment)) { count += Object.keys(entry.edits).length; }
  });
  return count;
}

function setupSignOut() {
  const dialog = document.querySelector("[data-signout-dialog]");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  let logoutForm = null;
  document.querySelectorAll("form[data-logout]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const count = countQueued();
      if (!count) { return; }
      event.preventDefault();
      form.dataset.submitted = "";  // portal.js's one-submit guard: this submit did not happen
      logoutForm = form;
      dialog.querySelector("[data-signout-count]").textContent = dialog.dataset.countText.replace(
        "%(count)s", String(count));
      status("");
      dialog.showModal();
    });
  });

  function status(text, page) {
    const el = dialog.querySelector("[data-signout-status]");
    el.textContent = text;
    el.hidden = !text;
    if (page) {
      const link = document.createElement("a");
      link.href = page;
      link.className = "ms-1";
      link.textContent = dialog.dataset.openText;
      el.appendChild(link);
    }
  }
  function signOut() {
    const form = liveForm();
    if (form) { form.leave(); }
    dropQueued(key);
    dialog.close();
    logoutForm.submit();
  }
  function busy(on) {
    // "Ở lại" stays available: staying while the edits go is the officer's choice, and then no sign-out follows.
    dialog.querySelectorAll("[data-signout-send], [data-signout-discard]").forEach((b) => { b.disabled = on; });
  }

  dialog.querySelector("[data-signout-stay]").addEventListener("click", () => dialog.close());
  dialog.querySelector("[data-signout-discard]").addEventListener("click", signOut);
  dialog.querySelector("[data-signout-send]").addEventListener("click", async () => {
    if (!navigator.onLine) { status(dialog.dataset.offlineText); return; }
    busy(true);
    status(dialog.dataset.sendingText);
    const token = csrfToken(logoutForm.querySelector("input[name=csrfmiddlewaretoken]").value);
    const form = liveForm();
    const problems = form ? await form.send() : [];
    if (!problems.some((p) => p.kind === "network" || p.kind === "expired")) {
      problems.push(...await sendQueued(key, token, form && form.assessment));
    }
    busy(false);
    if (!dialog.open) { return; }
    if (!problems.length) { signOut(); return; }
    const first = problems[0];
    const text = { network: dialog.dataset.offlineText, expired: dialog.dataset.expiredText }[first.kind];
    status(text || dialog.dataset.conflictText, text ? null : first.page);
    dialog.querySelector("[data-signout-count]").textContent = dialog.dataset.countText.replace(
      "%(count)s", String(countQueued()));
  });
}
