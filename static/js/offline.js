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
  /* The photo budget (docs/offline.md): photos queued with a record are kept as Blobs in
   * IndexedDB, already shrunk by photos/upload.js (1600 px JPEG, usually 0.3-1 MB). A photo
   * over PHOTO_MAX_BYTES, or one that would take the photos waiting on this phone over
   * QUEUED_PHOTOS_MAX_BYTES, is not queued: the user is told and the form stays as it is.
   * (The server's own limit, PHOTOS_MAX_BYTES, is higher: what is queued is always accepted
   * by size.) Exposed as BDOffline.limits so that a test can lower them. */
  var LIMITS = {
    PHOTO_MAX_BYTES: 3 * 1024 * 1024,
    QUEUED_PHOTOS_MAX_BYTES: 30 * 1024 * 1024
  };
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
  window.BDOffline = { sync: sync, refreshBadge: refreshBadge, newKey: newKey, limits: LIMITS };

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

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
  }

  function fill(template, values) {
    return Object.keys(values).reduce(function (message, name) {
      return message.split("{" + name + "}").join(values[name]);
    }, template);
  }

  /* Why these photos cannot be queued (a message in the page's language), or "" if they can:
   * the count the form allows, each photo's size, and the total waiting on this phone. */
  function photoProblem(form, photos) {
    if (!photos.length) { return Promise.resolve(""); }
    var input = form.querySelector("input[type=file][data-max-count]");
    var most = input ? parseInt(input.dataset.maxCount, 10) : 0;
    if (most && photos.length > most) {
      return Promise.resolve(fill(text("offline-photo-count"), { count: most }));
    }
    for (var i = 0; i < photos.length; i += 1) {
      if (photos[i].size > LIMITS.PHOTO_MAX_BYTES) {
        return Promise.resolve(fill(text("offline-photo-too-large"), {
          name: photos[i].name, size: megabytes(photos[i].size), limit: megabytes(LIMITS.PHOTO_MAX_BYTES)
        }));
      }
    }
    var adding = photos.reduce(function (sum, p) { return sum + p.size; }, 0);
    return store.all("outbox").then(function (records) {
      var used = records.reduce(function (sum, record) {
        return (record.photos || []).reduce(function (s, p) { return s + p.size; }, sum);
      }, 0);
      if (used + adding <= LIMITS.QUEUED_PHOTOS_MAX_BYTES) { return ""; }
      return fill(text("offline-photo-budget"), {
        used: megabytes(used), limit: megabytes(LIMITS.QUEUED_PHOTOS_MAX_BYTES)
      });
    });
  }

  /* A form marked data-offline-kind: queued when there is no connection (always, on the
   * offline page), with every field it has (FormData), so fields added later are kept, and
   * its photos as Blobs (within the budget above). Resolves the record, or null with the
   * reason told to the user when it was not queued. */
  function queueForm(form) {
    var fields = [];
    var photos = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (typeof value === "string") { fields.push([name, value]); return; }
      // An input left empty gives a nameless, empty file: nothing to keep.
      if (value && value.size) {
        photos.push({ field: name, name: value.name || "photo.jpg", type: value.type, size: value.size, blob: value });
      }
    });
    return Promise.all([currentUser(), photoProblem(form, photos)]).then(function (found) {
      var who = found[0], problem = found[1];
      if (!who) { return null; }
      if (problem) {
        toast(problem, "danger");
        return null;
      }
      var record = {
        key: newKey(),
        user: String(who),
        kind: form.dataset.offlineKind,
        target: form.dataset.offlineTarget,
        label: form.dataset.offlineLabel || "",
        fields: fields,
        photos: photos,
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
    // Another script holds the submit (photos/upload.js shrinking the photos): it submits again.
    if (!form.dataset.offlineKind || event.defaultPrevented) { return; }
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
