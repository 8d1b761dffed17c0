/* Offline mode's storage (IndexedDB) and sending, shared by the pages and the service worker.
 *
 * Hand-written over the bare IndexedDB API rather than a library: three stores and five
 * operations, and a vendored copy would add a file to keep current for no gain.
 *
 * Stores: "snapshot" (the signed-in user's data, key "data"), "outbox" (records queued
 * offline, keyed by their idempotency key), "meta" (user id and CSRF token of the last page
 * loaded online, which the service worker needs to send the outbox by itself).
 */
(function (root) {
  "use strict";
  var DB_NAME = "branchdesk-offline";
  var STORES = ["snapshot", "outbox", "meta"];

  function open() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("snapshot")) { db.createObjectStore("snapshot"); }
        if (!db.objectStoreNames.contains("outbox")) { db.createObjectStore("outbox", { keyPath: "key" }); }
        if (!db.objectStoreNames.contains("meta")) { db.createObjectStore("meta"); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, mode);
        var result;
        Promise.resolve(work(tx)).then(function (value) { result = value; });
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  var store = {
    get: function (name, key) {
      return run([name], "readonly", function (tx) { return request(tx.objectStore(name).get(key)); });
    },
    put: function (name, value, key) {
      return run([name], "readwrite", function (tx) {
        var s = tx.objectStore(name);
        return request(key === undefined ? s.put(value) : s.put(value, key));
      });
    },
    remove: function (name, key) {
      return run([name], "readwrite", function (tx) { return request(tx.objectStore(name).delete(key)); });
    },
    all: function (name) {
      return run([name], "readonly", function (tx) { return request(tx.objectStore(name).getAll()); });
    },
    clear: function (names) {
      return run(names, "readwrite", function (tx) {
        return Promise.all(names.map(function (n) { return request(tx.objectStore(n).clear()); }));
      });
    },
    clearAll: function () { return store.clear(STORES); },

    /* The outbox of one user: records waiting ("pending") and records the server refused. */
    outboxOf: function (user) {
      return store.all("outbox").then(function (records) {
        return records.filter(function (r) { return String(r.user) === String(user); })
          .sort(function (a, b) { return a.created < b.created ? -1 : 1; });
      });
    },

    /* Send the user's pending records to the server; each comes back accepted (removed from
     * the outbox), refused (kept, with the server's reason) or not answered (kept pending).
     * Resolves {sent, refused, sessionGone, failed}. */
    send: function (syncUrl) {
      // One sender at a time across the pages and the service worker (the "online" event and
      // Background Sync fire together): the second finds the outbox already sent.
      if (root.navigator && root.navigator.locks) {
        return root.navigator.locks.request("bd-outbox-send", function () { return sendNow(syncUrl); });
      }
      return sendNow(syncUrl);
    }
  };

  function sendNow(syncUrl) {
      return Promise.all([store.get("meta", "user"), store.get("meta", "csrf")]).then(function (meta) {
        var user = meta[0], csrf = meta[1];
        if (!user) { return { sent: 0, refused: 0 }; }
        return store.outboxOf(user).then(function (records) {
          var pending = records.filter(function (r) { return r.status === "pending"; }).slice(0, 50);
          if (!pending.length) { return { sent: 0, refused: 0 }; }
          var body = JSON.stringify({
            records: pending.map(function (r) {
              return { key: r.key, kind: r.kind, target: r.target, fields: r.fields };
            })
          });
          return root.fetch(syncUrl, {
            method: "POST",
            credentials: "same-origin",
            redirect: "manual",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf || "" },
            body: body
          }).then(function (response) {
            if (response.type === "opaqueredirect" || response.status === 401) {
              return { sent: 0, refused: 0, sessionGone: true };
            }
            if (!response.ok) { return { sent: 0, refused: 0, failed: true }; }
            return response.json().then(function (answer) {
              var byKey = {};
              pending.forEach(function (r) { byKey[r.key] = r; });
              var sent = 0, refused = 0;
              return Promise.all((answer.results || []).map(function (result) {
                var record = byKey[result.key];
                if (!record) { return null; }
                if (result.status === "accepted") {
                  sent += 1;
                  return store.remove("outbox", record.key);
                }
                refused += 1;
                record.status = "refused";
                record.reason = result.reason || "";
                return store.put("outbox", record);
              })).then(function () { return { sent: sent, refused: refused }; });
            });
          });
        });
      });
  }

  root.BDStore = store;
})(self);
