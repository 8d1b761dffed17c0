/* Offline mode on every page (offline app, docs/offline.md).
 *
 * - registers the service worker (/sw.js, the whole site as its scope);
 * - while online and signed in, keeps the user's data (their branches, staff, stock, last
 *   visits, today's checklist) in IndexedDB, as data, never as pages;
 * - forms marked data-offline-kind are queued in IndexedDB with an idempotency key when there
 *   is no connection, shown as "pending sync" with a count in the navigation bar, and sent
 *   when the connection returns (Background Sync, the "online" event, the next page load or
 *   the "Sync now" button);
 * - logging out, or a page that says the session is gone, clears the stored data.
 */
(function () {
  "use strict";
  var store = window.BDStore;
  if (!store || !window.indexedDB) { return; }
  var body = document.body;
  var user = body.dataset.user || "";
  var onOfflinePage = body.hasAttribute("data-offline-page");
  var lang = document.documentElement.lang || "zh-hans";
  var SNAPSHOT_MAX_AGE = 2 * 60 * 1000;
  var syncing = null;

  function text(id) {
    var node = document.getElementById(id);
    return node ? node.content.textContent.trim() : "";
  }

  function toast(message, kind) {
    var box = document.getElementById("offline-toasts");
    if (!box || !message) { return; }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (kind || "info");
    alert.setAttribute("role", kind === "danger" ? "alert" : "status");
    var span = document.createElement("span");
    span.className = "flex-grow-1";
    span.textContent = message;
    alert.appendChild(span);
    box.appendChild(alert);
    setTimeout(function () { alert.remove(); }, 8000);
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function currentUser() {
    if (user) { return Promise.resolve(user); }
    return onOfflinePage ? store.get("meta", "user") : Promise.resolve(null);
  }

  /* The badge in the navigation bar: records waiting and records refused. */
  function refreshBadge() {
    return currentUser().then(function (who) {
      if (!who) { return []; }
      return store.outboxOf(who);
    }).then(function (records) {
      var pending = records.filter(function (r) { return r.status === "pending"; }).length;
      var refused = records.length - pending;
      var box = document.getElementById("outbox-status");
      if (!box) { return records; }
      document.getElementById("outbox-count").textContent = pending;
      document.getElementById("outbox-refused-count").textContent = refused;
      document.getElementById("outbox-pending").hidden = !pending;
      document.getElementById("outbox-refused").hidden = !refused;
      document.getElementById("sync-now").hidden = !pending;
      box.hidden = !records.length;
      document.dispatchEvent(new CustomEvent("bd:outbox", { detail: records }));
      return records;
    });
  }

  function clearEverything() {
    var work = [store.clearAll()];
    if (window.caches) {
      work.push(caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (k) { return caches.delete(k); }));
      }));
    }
    return Promise.all(work);
  }

  /* The session is gone: the user's data goes; their unsent records stay on the phone (they
   * are what they typed) and are sent only once the same user signs in again. */
  function sessionGone() {
    return Promise.all([store.clear(["snapshot"]), store.remove("meta", "csrf")]);
  }

  function sync() {
    if (!navigator.onLine) { return Promise.resolve(); }
    if (syncing) { return syncing; }
    syncing = store.send(body.dataset.syncUrl).then(function (result) {
      if (result.sessionGone) { return sessionGone(); }
      if (result.sent) {
        toast(text("offline-synced-message"), "success");
        if (user) { return refreshSnapshot(true); }
      }
      if (result.refused) { toast(text("offline-refused-message"), "danger"); }
      return null;
    }).catch(function () { return null; }).then(function () {
      syncing = null;
      return refreshBadge();
    });
    return syncing;
  }
  window.BDOffline = { sync: sync, refreshBadge: refreshBadge, newKey: newKey };

  function refreshSnapshot(force) {
    return store.get("snapshot", "data").then(function (saved) {
      var fresh = saved && String(saved.user) === String(user) && saved.lang === lang &&
        Date.now() - saved.stored < SNAPSHOT_MAX_AGE;
      if (fresh && !force) { return null; }
      return fetch(body.dataset.dataUrl, { credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (response.type === "opaqueredirect") { return sessionGone(); }
          if (!response.ok) { return null; }
          return response.json().then(function (data) {
            if (String(data.user) !== String(user)) { return null; }
            return store.put("snapshot", { user: data.user, lang: lang, stored: Date.now(), data: data }, "data");
          });
        });
    }).then(function () {
      document.documentElement.dataset.offlineData = "stored";
    });
  }

  /* A form marked data-offline-kind: queued when there is no connection (always, on the
   * offline page), with every field it has (FormData), so fields added later are kept. */
  function queueForm(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") { fields.push([name, value]); }
    });
    return currentUser().then(function (who) {
      if (!who) { return null; }
      var record = {
        key: newKey(),
        user: String(who),
        kind: form.dataset.offlineKind,
        target: form.dataset.offlineTarget,
        label: form.dataset.offlineLabel || "",
        fields: fields,
        created: new Date().toISOString(),
        status: "pending"
      };
      return store.put("outbox", record).then(function () { return record; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "logout-form") {
      event.preventDefault();
      refreshBadge().then(function (records) {
        if (records.length && !window.confirm(form.dataset.confirm)) { return; }
        clearEverything().catch(function () { return null; }).then(function () { form.submit(); });
      });
      return;
    }
    if (!form.dataset.offlineKind) { return; }
    if (navigator.onLine && !form.hasAttribute("data-offline-always")) { return; }
    event.preventDefault();
    queueForm(form).then(function (record) {
      if (!record) { return; }
      form.dispatchEvent(new CustomEvent("bd:queued", { bubbles: true, detail: record }));
      toast(text("offline-queued-message"), "warning");
      if (navigator.serviceWorker && navigator.serviceWorker.ready && window.SyncManager) {
        navigator.serviceWorker.ready.then(function (registration) {
          return registration.sync.register("bd-outbox");
        }).catch(function () { return null; });
      }
      return navigator.onLine ? sync() : refreshBadge();
    });
  });

  var syncButton = document.getElementById("sync-now");
  if (syncButton) { syncButton.addEventListener("click", function () { sync(); }); }
  window.addEventListener("online", function () { sync(); });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js?lang=" + encodeURIComponent(lang), { scope: "/" })
      .catch(function () { return null; });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-changed") { refreshBadge(); }
    });
  }

  var ready;
  if (user) {
    var csrf = document.querySelector("meta[name=csrf-token]");
    ready = Promise.all([
      store.put("meta", user, "user"),
      csrf ? store.put("meta", csrf.content, "csrf") : null
    ]).then(function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "refill" });
      }
      return navigator.onLine ? sync().then(function () { return refreshSnapshot(false); }) : null;
    });
  } else if (!onOfflinePage) {
    // Signed out (the login page): nothing of the last user's data stays readable.
    ready = sessionGone();
  } else {
    ready = navigator.onLine ? sync() : Promise.resolve();
  }
  ready.catch(function () { return null; }).then(function () {
    return refreshBadge();
  }).then(function () {
    document.documentElement.dataset.offlineReady = "1";
  });
})();
