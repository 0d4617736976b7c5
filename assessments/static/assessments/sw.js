// Service worker of the officer's form (scope /assessments/): lets a reload work without a connection.
// Network first; when the network fails, the last copy of the form page and of the static files it
// uses. Unsaved answers themselves live in localStorage (assessment.js), not here.
"use strict";
var CACHE = "criteria-portal-offline-v1";
var FORM_PAGE = /^\/assessments\/\d+\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function cacheable(request, url) {
  if (request.method !== "GET" || url.origin !== self.location.origin) { return false; }
  return FORM_PAGE.test(url.pathname) || url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method === "POST" && url.pathname === "/accounts/logout/") {
    // Signing out forgets the copies: the next person on this phone never sees them.
    event.respondWith(caches.delete(CACHE).then(function () { return fetch(request); }));
    return;
  }
  if (!cacheable(request, url)) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: true }).then(function (cached) {
      return cached || Response.error();
    });
  }));
});
