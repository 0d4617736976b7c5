// Service worker of the officer's form (scope /assessments/): a reload without a connection shows the last copy
// of the form page and of the files it uses — copies of the officer signed in on this browser, nobody else's.
// - A form page is kept only when the server marks it as an officer's form (header X-Offline-Key, the officer's
//   offline key), in that officer's cache; a redirect (to the sign-in page) or a 4xx for it evicts every copy.
// - Offline, a copy is served only from the cache of the user whose page this browser showed last (the record
//   "criteria-portal-session" that static/portal/offline.js writes, and wipes every copy when the user changes).
// - The page asks for its own copy on its first visit (message "keep"): the page load itself came before this
//   worker controlled it. Unsaved answers live in localStorage (portal/offline.js), not here.
// Cache names repeat static/portal/offline.js: keep them in step.
"use strict";
var VERSION = "v2";
var PAGES = "criteria-portal-pages-" + VERSION + ":";
var STATIC = "criteria-portal-static-" + VERSION;
var SESSION = "criteria-portal-session";
var SESSION_ENTRY = "/assessments/sw-session";
var FORM_PAGE = /^\/assessments\/\d+\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  // Copies of older versions go (v1 kept pages by address only, whoever had opened them).
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("criteria-portal-") === 0 && name !== SESSION && name !== STATIC &&
        name.indexOf(PAGES) !== 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function currentKey() {
  return caches.match(SESSION_ENTRY, { cacheName: SESSION }).then(function (record) {
    return record ? record.text() : null;
  });
}

function evict(path) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PAGES) === 0; }).map(function (name) {
      return caches.open(name).then(function (cache) { return cache.delete(path); });
    }));
  });
}

// The network's answer for a form page decides what is kept: the officer's form → that officer's copy (and no
// one else's); a redirect, a 4xx or a page that is no longer an officer's form → no copy. 5xx: server trouble,
// the copy stays for a reload without a connection.
function keepOrEvict(path, response) {
  var key = response.headers.get("X-Offline-Key");
  if (response.type === "basic" && response.ok && !response.redirected && key) {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES) === 0 && name !== PAGES + key;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return caches.open(PAGES + key);
    }).then(function (cache) { return cache.put(path, response); });
  }
  if (response.status < 500) { return evict(path); }  // an opaque redirect's status is 0
  return Promise.resolve();
}

function fromCopy(path) {
  return currentKey().then(function (key) {
    if (!key) { return undefined; }
    return caches.match(path, { cacheName: PAGES + key });
  }).then(function (copy) { return copy || Response.error(); });
}

function keepFile(url, response) {
  if (response.ok && response.type === "basic") {
    return caches.open(STATIC).then(function (cache) { return cache.put(url, response); });
  }
  return Promise.resolve();
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (FORM_PAGE.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      event.waitUntil(keepOrEvict(url.pathname, response.clone()));
      return response;
    }).catch(function () { return fromCopy(url.pathname); }));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fetch(request).then(function (response) {
      event.waitUntil(keepFile(url.pathname, response.clone()));
      return response;
    }).catch(function () {
      return caches.match(url.pathname, { cacheName: STATIC }).then(function (copy) { return copy || Response.error(); });
    }));
  }
});

// {type: "keep", page, files}: the page's first visit, before this worker controlled it.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep") { return; }
  var jobs = [];
  var page = new URL(data.page || "", self.location.href);
  if (page.origin === self.location.origin && FORM_PAGE.test(page.pathname)) {
    jobs.push(fetch(page.pathname, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
      return keepOrEvict(page.pathname, response);
    }));
  }
  (data.files || []).forEach(function (file) {
    var url = new URL(file, self.location.href);
    if (url.origin !== self.location.origin || url.pathname.indexOf("/static/") !== 0) { return; }
    jobs.push(fetch(url.pathname).then(function (response) { return keepFile(url.pathname, response); }));
  });
  event.waitUntil(Promise.all(jobs.map(function (job) { return job.catch(function () {}); })).then(function () {
    if (event.source) { event.source.postMessage({ type: "kept", page: page.pathname }); }
  }));
});
