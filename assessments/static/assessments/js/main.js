// The officer's self-assessment form, enhanced (the page works without it: "Lưu nháp" posts everything).
// view.js: fields, save states, banners · autosave.js (+ conflicts.js): each criterion saved as it is typed, kept
// on the device, expired sessions · jump.js: the jump list and its filters · evidence.js: files one by one ·
// offline-page.js: the service worker's copy · line.js: one request at a time · ../../portal/offline.js: what the
// device keeps and for whom (shared with the sign-out step, portal/session.js).
import { registerLiveForm } from "../../portal/offline.js";
import { createAutosave } from "./autosave.js";
import { createEvidence } from "./evidence.js";
import { createJumpList } from "./jump.js";
import { createLine } from "./line.js";
import { keepForOffline } from "./offline-page.js";
import { createView } from "./view.js";

// After a failed save or submit, the summary at the top is where the officer starts.
const summary = document.getElementById("error-summary");
if (summary) {
  summary.scrollIntoView({ block: "start" });
  summary.focus({ preventScroll: true });
}

const form = document.getElementById("assessment-form");
const configEl = document.getElementById("autosave-config");
if (form && configEl) { start(form, JSON.parse(configEl.textContent)); }

function start(form, config) {
  const view = createView(form, config);
  const line = createLine();
  const jump = createJumpList(view, config);
  const autosave = createAutosave({ form, view, config, line, jump });
  const evidence = createEvidence({ form, view, line, jump });
  line.afterSave = evidence.next;
  line.afterUpload = () => {
    autosave.flush();
    evidence.next();
  };

  // The whole form posts with the latest version: wait for a save or an upload in flight, then submit (and start
  // no new save, which would make the form's version stale). Never from a kept copy or without a session: the
  // post would be lost.
  form.addEventListener("submit", (event) => {
    if (autosave.staleCopy() || autosave.expired()) {
      event.preventDefault();
      form.dataset.submitted = "";
      if (autosave.expired()) {
        view.showExpired(true);
        document.querySelector("[data-session-banner]").scrollIntoView({ block: "center" });
      } else {
        view.showBanner(view.T.stale_copy, autosave.count() > 0);
      }
      return;
    }
    if (autosave.busy() || evidence.waiting()) {
      event.preventDefault();
      const submitter = event.submitter;
      const wait = window.setInterval(() => {
        if (autosave.busy() || evidence.waiting()) { return; }
        window.clearInterval(wait);
        form.dataset.submitted = "";
        autosave.markLeaving();
        form.requestSubmit(submitter);
      }, 100);
      return;
    }
    autosave.markLeaving();
  });

  window.addEventListener("beforeunload", (event) => {
    if (autosave.isLeaving()) { return; }
    event.preventDefault();
    event.returnValue = view.T.leave;
    return view.T.leave;
  });

  // The sign-out step and the other tabs talk to this form through portal/session.js.
  registerLiveForm({
    assessment: config.assessment,
    count: autosave.count,
    send: autosave.sendAll,
    leave: autosave.leave,
    signedOut: autosave.signedOut,
    signedIn() {
      autosave.signedIn();
      // The sign-in page wiped this page's copy: keep a new one once the edits are sent (one request at a time).
      autosave.sendAll().then(() => keepForOffline(config, { always: true }));
    },
  });

  autosave.restore();
  keepForOffline(config);
}
