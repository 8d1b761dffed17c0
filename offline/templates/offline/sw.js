/* Branchdesk's service worker, served at /sw.js (scope: the whole site) by
 * offline.views.service_worker. It keeps the app shell — files and the offline page, none of
 * them with personal data — and never stores a page a user has loaded: those are no-store.
 * The user's data lives in IndexedDB (static/js/offline-store.js), as data.
 */
"use strict";
importScripts("{{ store_js|escapejs }}");

var VERSION = "{{ version|escapejs }}";
var LANG = new URL(self.location.href).searchParams.get("lang") === "en" ? "en" : "zh-hans";
var SHELL_CACHE = "bd-shell-" + VERSION + "-" + LANG;
var SHELL = {{ shell|safe }};
var STATIC_PREFIX = "{{ static_prefix|escapejs }}";
var OFFLINE_URL = "{% url 'offline:offline_page' %}";
var SYNC_URL = "{% url 'offline:sync' %}";

function fillShell() {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all([
      cache.addAll(SHELL),
      // Rendered for nobody (no cookies sent), in this worker's language.
      fetch(OFFLINE_URL + "?lang=" + LANG, { credentials: "omit" }).then(function (response) {
        if (!response.ok) { throw new Error("offline page: " + response.status); }
        return cache.put(OFFLINE_URL, response);
      })
    ]);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(fillShell().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("bd-shell-") === 0 && key !== SHELL_CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // Pages always from the network; with no network, the offline page (never a stored page).
    event.respondWith(fetch(request).catch(function () {
      // caches.match, not caches.open: opening would recreate a cache a logout deleted.
      return caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE })
        .then(function (page) { return page || Response.error(); });
    }));
    return;
  }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(caches.match(request, { ignoreSearch: true, cacheName: SHELL_CACHE })
      .then(function (hit) { return hit || fetch(request); }));
  }
});

function tellPages() {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ type: "outbox-changed" }); });
  });
}

// Background Sync: the browser wakes the worker when the connection returns.
self.addEventListener("sync", function (event) {
  if (event.tag === "bd-outbox") {
    event.waitUntil(self.BDStore.send(SYNC_URL).then(tellPages));
  }
});

self.addEventListener("message", function (event) {
  // After a logout cleared the caches, the next signed-in page asks for the shell again.
  if (event.data && event.data.type === "refill") {
    event.waitUntil(caches.has(SHELL_CACHE).then(function (present) {
      return present ? null : fillShell();
    }));
  }
});
