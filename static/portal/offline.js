// What the portal keeps on this device, whose it is, and how it is wiped: the one place for every name.
// - localStorage "criteria-portal:user": the offline key of the last page shown ("" = the sign-in page);
// - localStorage "criteria-portal:<key>:unsaved:<assessment>": the officer form's edits not yet on the server;
// - Cache Storage "criteria-portal-pages-v2:<key>" (copies of form pages), "criteria-portal-static-v2" (the files
//   they use), "criteria-portal-session" (whose copies the service worker may serve): assessments/sw.js, which
//   repeats these names.
// A page's key is <meta name="offline-key"> (accounts/offline.py); pages without it (server errors) change nothing.

export const USER_ITEM = "criteria-portal:user";
const PREFIX = "criteria-portal:";
const CACHE_PREFIX = "criteria-portal-";
const SESSION_CACHE = "criteria-portal-session";
const SESSION_ENTRY = "/assessments/sw-session";

export function pageKey() {
  const meta = document.querySelector("meta[name='offline-key']");
  return meta ? meta.content : null;
}

function storage() {
  try { return window.localStorage; } catch (e) { return null; }  // blocked storage: autosave still works online
}

export function shownUser() {
  const s = storage();
  return s ? s.getItem(USER_ITEM) : null;
}

function keysWhere(test) {
  const s = storage();
  const keys = [];
  if (!s) { return keys; }
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (key && test(key)) { keys.push(key); }
  }
  return keys;
}

let settled = Promise.resolve();

// A page of user `key` shows ("" = the sign-in page). Copies of pages go as soon as the user changes, the sign-in
// page included (Cache Storage, the service worker's record first). Queued edits are namespaced by user: a signed-in
// page removes everyone else's at once; the sign-in page keeps the signed-out officer's, which nothing shows, so that
// the same officer signing in again (a session that ran out overnight after a day offline) finds them and sends
// them, while anyone else's first page removes them before it shows.
export function adoptUser(key) {
  const s = storage();
  if (!s) { return settled; }
  const changed = s.getItem(USER_ITEM) !== key;
  if (key) {
    const own = PREFIX + key + ":";
    keysWhere((k) => k.startsWith(PREFIX) && k !== USER_ITEM && !k.startsWith(own)).forEach((k) => s.removeItem(k));
  }
  if (changed) {
    try { s.setItem(USER_ITEM, key); } catch (e) { /* quota: the comparison runs again on the next page */ }
    settled = wipeCaches(key);
  }
  return settled;
}

// Resolves once a wipe started by this page is done (the form waits for it before keeping its own copy).
export function whenSettled() { return settled; }

async function wipeCaches(key) {
  if (!window.caches) { return; }
  try {
    const session = await caches.open(SESSION_CACHE);
    await session.put(SESSION_ENTRY, new Response(key));
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== SESSION_CACHE)
      .map((n) => caches.delete(n)));
  } catch (e) { /* Cache Storage unavailable (private mode): nothing was kept there either */ }
}

// ---------------------------------------------------------------- queued edits of the officer form
function queueItem(key, assessment) { return PREFIX + key + ":unsaved:" + assessment; }

export function readQueue(key, assessment) {
  const s = storage();
  try { return s ? JSON.parse(s.getItem(queueItem(key, assessment))) : null; } catch (e) { return null; }
}

// Kept while this device shows this user's pages or the sign-in page; once another user's page has shown, an
// open form of the previous one writes nothing more (portal/session.js sends that tab away).
export function writeQueue(key, assessment, entry) {
  const s = storage();
  const shown = shownUser();
  if (!s || !key || (shown !== key && shown !== "")) { return; }
  try {
    if (entry && Object.keys(entry.edits).length) {
      s.setItem(queueItem(key, assessment), JSON.stringify(entry));
    } else {
      s.removeItem(queueItem(key, assessment));
    }
  } catch (e) { /* quota or private mode: nothing more we can do here */ }
}

// Signing out (the officer chose): this user's queued edits go now, whether or not the browser honours
// Clear-Site-Data (a browser may ignore it on the redirect that follows a sign-out; Firefox long did).
export function dropQueued(key) {
  const s = storage();
  if (s && key) { keysWhere((k) => k.startsWith(PREFIX + key + ":")).forEach((k) => s.removeItem(k)); }
}

export function queuedEntries(key) {
  const mark = PREFIX + key + ":unsaved:";
  return keysWhere((k) => k.startsWith(mark)).map((k) => readQueue(key, k.slice(mark.length))).filter(
    (entry) => entry && entry.edits && Object.keys(entry.edits).length);
}

// ---------------------------------------------------------------- talking to the server
export function csrfToken(fallback) {
  // The cookie, read at each request: signing in again (in another tab) gives a new one.
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : fallback;
}

function clean(note) { return (note || "").replace(/\r\n/g, "\n").trim(); }

export function sameValue(a, b) {
  return !!a && !!b && a.self_result === b.self_result && clean(a.note) === clean(b.note);
}

// One criterion's autosave. kind: saved · conflict (409, the server's results) · expired (redirected to sign-in,
// or the CSRF check failed because the session changed) · other_user (this page belongs to someone else) ·
// refused (the server said why) · network (no answer, or an answer that is not the portal's).
export async function postCriterion({ url, version, criterion, value, key, token }) {
  const body = new URLSearchParams({ version: String(version), criterion: String(criterion),
    self_result: value.self_result, note: value.note });
  let response;
  try {
    response = await fetch(url, { method: "POST", credentials: "same-origin", redirect: "manual", body,
      headers: { "X-CSRFToken": token, "Accept": "application/json", "X-Offline-Key": key } });
  } catch (e) {
    return { kind: "network" };
  }
  if (response.type === "opaqueredirect") { return { kind: "expired" }; }
  const data = await response.json().catch(() => null);
  if (response.status === 200 && data && Number.isInteger(data.version)) { return { kind: "saved", data }; }
  if (response.status === 409 && data && Array.isArray(data.results)) { return { kind: "conflict", data }; }
  if (response.status === 403) { return { kind: data && data.other_user ? "other_user" : "expired", data }; }
  if (response.status >= 400 && response.status < 500) { return { kind: "refused", data: data || {} }; }
  return { kind: "network" };
}

// Sends queued edits of pages not open here (the sign-out step). Returns what could not be sent.
export async function sendQueued(key, token, skipAssessment) {
  const problems = [];
  for (const entry of queuedEntries(key)) {
    if (String(entry.assessment) === String(skipAssessment)) { continue; }
    for (const cid of Object.keys(entry.edits)) {
      const value = entry.edits[cid];
      let reply = await postCriterion({ url: entry.url, version: entry.version, criterion: cid, value, key, token });
      if (reply.kind === "conflict") {
        const server = reply.data.results.find((r) => String(r.criterion) === cid);
        if (sameValue(server, value)) {
          reply = { kind: "saved", data: { version: reply.data.version } };
        } else if (sameValue(server, entry.base && entry.base[cid])) {
          // Someone saved another criterion: only the version moved, this edit is still the newest.
          reply = await postCriterion({ url: entry.url, version: reply.data.version, criterion: cid, value, key, token });
        }
      }
      if (reply.kind !== "saved") {
        problems.push({ kind: reply.kind, page: entry.page, error: reply.data && reply.data.error });
        if (reply.kind === "network" || reply.kind === "expired") { return problems; }
        break;  // a conflict or a refusal is resolved on the form page; the next form's edits still go
      }
      entry.version = reply.data.version;
      if (entry.base) { entry.base[cid] = value; }
      delete entry.edits[cid];
      writeQueue(key, entry.assessment, entry);
    }
  }
  return problems;
}

// The form open on this page, if any, sends its own edits (it knows its conflicts): see assessments/js/main.js.
let live = null;
export function registerLiveForm(form) { live = form; }
export function liveForm() { return live; }
