// A reload without a connection shows the last copy of this page (and the edits kept on the phone), from the first
// visit on: the service worker (assessments/sw.js) did not control this page's own load the first time, so the page
// asks it to keep a copy of itself and of the files it used.
import { whenSettled } from "../../portal/offline.js";

function usedFiles() {
  const files = new Set();
  performance.getEntriesByType("resource").forEach((entry) => files.add(entry.name));
  document.querySelectorAll("script[src], link[rel~=stylesheet][href], link[rel~=icon][href]").forEach((el) => {
    files.add(el.src || el.href);
  });
  return Array.from(files).filter((url) => new URL(url).pathname.startsWith("/static/"));
}

export function keepForOffline(config, { always = false } = {}) {
  if (!("serviceWorker" in navigator) || !config.sw_url) { return; }
  const controlled = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register(config.sw_url).then(() => navigator.serviceWorker.ready).then(async (reg) => {
    if (controlled && !always) { return; }  // the worker saw this page's load and kept it
    await whenSettled();  // a wipe of the previous user's copies goes first
    reg.active.postMessage({ type: "keep", page: window.location.pathname, files: usedFiles() });
  }).catch(() => { /* the page works without it */ });
}
