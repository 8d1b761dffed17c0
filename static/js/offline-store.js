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

  /* One sync request carries at most 50 records and, when they have photos, at most this much
   * (the first record always goes, whatever its photos: the phone's budget bounds it). */
  var BATCH_RECORDS = 50;
  var BATCH_PHOTO_BYTES = 8 * 1024 * 1024;
  var BATCH_PHOTO_FILES = 20;
  var MAX_BATCHES = 20;

  function photosOf(record) { return record.photos || []; }

  function batchOf(pending) {
    var batch = [], bytes = 0, files = 0;
    for (var i = 0; i < pending.length && batch.length < BATCH_RECORDS; i += 1) {
      var photos = photosOf(pending[i]);
      var size = photos.reduce(function (sum, p) { return sum + p.size; }, 0);
      if (batch.length && (bytes + size > BATCH_PHOTO_BYTES || files + photos.length > BATCH_PHOTO_FILES)) { break; }
      batch.push(pending[i]); bytes += size; files += photos.length;
    }
    return batch;
  }

  /* The request: JSON, or multipart when a record carries photos — the same JSON in the
   * "records" part, each photo as a file part named file:<key>:<form field>. */
  function requestBody(batch) {
    var records = batch.map(function (r) {
      return { key: r.key, kind: r.kind, target: r.target, fields: r.fields, photos: photosOf(r).length };
    });
    var json = JSON.stringify({ records: records });
    if (!batch.some(function (r) { return photosOf(r).length; })) {
      return { body: json, type: "application/json" };
    }
    var form = new FormData();
    form.append("records", json);
    batch.forEach(function (r) {
      photosOf(r).forEach(function (p) { form.append("file:" + r.key + ":" + p.field, p.blob, p.name); });
    });
    return { body: form, type: null };
  }

  function sendBatch(syncUrl, csrf, batch) {
    var request = requestBody(batch);
    var headers = { "X-CSRFToken": csrf || "" };
    if (request.type) { headers["Content-Type"] = request.type; }
    return root.fetch(syncUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: headers,
      body: request.body
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401) {
        return { sent: 0, refused: 0, sessionGone: true };
      }
      if (!response.ok) { return { sent: 0, refused: 0, failed: true }; }
      return response.json().then(function (answer) {
        var byKey = {};
        batch.forEach(function (r) { byKey[r.key] = r; });
        var sent = 0, refused = 0;
        return Promise.all((answer.results || []).map(function (result) {
          var record = byKey[result.key];
          if (!record) { return null; }
          if (result.status === "accepted") {
            sent += 1;
            return store.remove("outbox", record.key);
          }
          // Not all of its photos arrived: it stays pending and goes again, whole.
          if (result.status === "retry") { return null; }
          refused += 1;
          record.status = "refused";
          record.reason = result.reason || "";
          return store.put("outbox", record);
        })).then(function () { return { sent: sent, refused: refused }; });
      });
    });
  }

  function sendNow(syncUrl) {
    return Promise.all([store.get("meta", "user"), store.get("meta", "csrf")]).then(function (meta) {
      var user = meta[0], csrf = meta[1];
      var total = { sent: 0, refused: 0 };
      if (!user) { return total; }
      var round = 0;
      var seen = {};
      function next() {
        return store.outboxOf(user).then(function (records) {
          var pending = records.filter(function (r) { return r.status === "pending" && !seen[r.key]; });
          var batch = batchOf(pending);
          if (!batch.length || round >= MAX_BATCHES) { return total; }
          round += 1;
          batch.forEach(function (r) { seen[r.key] = true; });
          return sendBatch(syncUrl, csrf, batch).then(function (result) {
            total.sent += result.sent;
            total.refused += result.refused;
            if (result.sessionGone || result.failed) {
              total.sessionGone = result.sessionGone;
              total.failed = result.failed;
              return total;
            }
            return next();
          });
        });
      }
      return next();
    });
  }

  root.BDStore = store;
})(self);
