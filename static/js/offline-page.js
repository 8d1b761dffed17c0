/* The offline page (offline/templates/offline/offline.html): shown by the service worker when
 * a page cannot be loaded. It renders the signed-in user's data kept in IndexedDB and offers
 * the visit, delivery and checklist forms, whose records go to the outbox (offline.js). */
(function () {
  "use strict";
  var store = window.BDStore;
  if (!store) { return; }
  var byId = function (id) { return document.getElementById(id); };
  var text = function (id) { var t = byId(id); return t ? t.content.textContent.trim() : ""; };
  var snapshot = null;

  function cell(title, sub, aside) {
    var node = byId("tpl-cell").content.firstElementChild.cloneNode(true);
    node.querySelector(".bd-cell-title").textContent = title || "";
    node.querySelector(".bd-cell-sub").textContent = sub || "";
    node.querySelector(".bd-cell-aside").textContent = aside || "";
    return node;
  }

  function fillList(list, rows, make) {
    if (!rows.length) { list.appendChild(cell(text("tpl-none"))); return; }
    rows.forEach(function (row) { list.appendChild(make(row)); });
  }

  function localNow() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 16);
  }

  function closeSheets() {
    ["visit-sheet", "delivery-sheet", "movement-sheet"].forEach(function (id) { byId(id).hidden = true; });
  }

  function openVisit(branch) {
    closeSheets();
    var sheet = byId("visit-sheet");
    var form = sheet.querySelector("form");
    form.reset();
    form.dataset.offlineTarget = branch.id;
    form.dataset.offlineLabel = branch.name;
    sheet.querySelector(".branch-name").textContent = branch.name + " · " + branch.code;
    var when = form.querySelector("[name=visited_at]");
    if (when) { when.value = localNow(); }
    var box = byId("div_id_staff_met");
    if (box) {
      box.querySelectorAll(".form-check").forEach(function (n) { n.remove(); });
      var holder = box.querySelector("div:not(.form-check)") || box;
      branch.staff.forEach(function (person, index) {
        var wrap = document.createElement("div");
        wrap.className = "form-check";
        var input = document.createElement("input");
        input.type = "checkbox"; input.className = "form-check-input"; input.name = "staff_met";
        input.value = person.id; input.id = "id_staff_met_" + index;
        var label = document.createElement("label");
        label.className = "form-check-label"; label.htmlFor = input.id;
        label.textContent = person.name + " · " + person.role;
        wrap.appendChild(input); wrap.appendChild(label);
        holder.appendChild(wrap);
      });
    }
    sheet.hidden = false;
    sheet.scrollIntoView({ block: "start" });
  }

  function openDelivery(branch) {
    closeSheets();
    var sheet = byId("delivery-sheet");
    var form = sheet.querySelector("form");
    form.reset();
    form.dataset.offlineTarget = branch.id;
    form.dataset.offlineLabel = branch.name;
    sheet.querySelector(".branch-name").textContent = branch.name + " · " + branch.code;
    var onHand = {};
    branch.stock.forEach(function (row) { onHand[row.item] = row.on_hand; });
    sheet.querySelectorAll(".on-hand").forEach(function (node) {
      node.textContent = node.dataset.template.replace("__N__", onHand[node.dataset.item] || 0);
    });
    sheet.hidden = false;
    sheet.scrollIntoView({ block: "start" });
  }

  function openMovement(branch, stock) {
    closeSheets();
    var sheet = byId("movement-sheet");
    var form = sheet.querySelector("form");
    form.reset();
    form.dataset.offlineTarget = stock.id;
    form.dataset.offlineLabel = branch.name + " · " + stock.label;
    sheet.querySelector(".branch-name").textContent = branch.name + " · " + stock.label;
    var onHand = sheet.querySelector(".on-hand");
    onHand.textContent = onHand.dataset.template.replace("__N__", stock.on_hand + " " + stock.unit);
    sheet.hidden = false;
    sheet.scrollIntoView({ block: "start" });
  }

  function renderBranches(data) {
    var list = byId("branch-list");
    list.textContent = "";
    data.branches.forEach(function (branch) {
      var node = byId("tpl-branch").content.firstElementChild.cloneNode(true);
      node.dataset.branch = branch.id;
      node.querySelector(".name").textContent = branch.name;
      node.querySelector(".code").textContent = branch.code;
      if (branch.last_visit_at) {
        node.querySelector(".last-visit").textContent = text("tpl-last-visit") + " " + branch.last_visit_at;
      }
      fillList(node.querySelector(".staff"), branch.staff, function (p) {
        return cell(p.name, p.role, p.mobile);
      });
      fillList(node.querySelector(".stock"), branch.stock, function (s) {
        var row = cell(s.label, s.state_label, s.on_hand + " " + s.unit);
        row.dataset.item = s.item;
        if (s.id) {
          var takeOut = document.createElement("button");
          takeOut.type = "button";
          takeOut.className = "btn btn-sm btn-outline-secondary btn-tap mt-1 open-movement";
          takeOut.textContent = text("tpl-take-out");
          takeOut.addEventListener("click", function () { openMovement(branch, s); });
          row.querySelector(".bd-cell-body").appendChild(takeOut);
        }
        return row;
      });
      fillList(node.querySelector(".visits"), branch.visits, function (v) {
        return cell(v.visited_at, v.purposes.join("、"), "");
      });
      node.querySelector(".open-visit").addEventListener("click", function () { openVisit(branch); });
      node.querySelector(".open-delivery").addEventListener("click", function () { openDelivery(branch); });
      list.appendChild(node);
    });
    byId("branches-truncated").hidden = !data.truncated;
    byId("offline-branches").hidden = false;
  }

  function renderChecklist(data) {
    var list = byId("checklist-list");
    list.textContent = "";
    data.checklist.forEach(function (item) {
      var row = cell(item.task, item.branch, item.done ? text("tpl-done") : "");
      row.dataset.item = item.id;
      if (item.can_tick) {
        var form = byId("tpl-tick").content.firstElementChild.cloneNode(true);
        form.dataset.offlineTarget = item.id;
        form.dataset.offlineLabel = item.task;
        row.querySelector(".bd-cell-body").appendChild(form);
      }
      list.appendChild(row);
    });
    byId("offline-checklist").hidden = !data.checklist.length;
  }

  function renderOutbox(records) {
    var list = byId("outbox-list");
    list.textContent = "";
    byId("outbox-empty").hidden = records.length > 0;
    records.forEach(function (record) {
      var refused = record.status === "refused";
      var row = cell(
        text("tpl-kind-" + record.kind) + " · " + record.label,
        record.created.slice(0, 16).replace("T", " "),
        refused ? text("tpl-refused") : text("tpl-pending")
      );
      row.dataset.key = record.key;
      row.dataset.status = record.status;
      var photos = (record.photos || []).length;
      if (photos) {
        var count = document.createElement("span");
        count.className = "badge text-bg-light border ms-1 photo-count";
        var icon = document.createElement("i");
        icon.className = "bi bi-camera";
        icon.setAttribute("aria-hidden", "true");
        count.appendChild(icon);
        count.appendChild(document.createTextNode(" " + text("tpl-photos").replace("__N__", photos)));
        row.querySelector(".bd-cell-title").appendChild(count);
      }
      if (refused) {
        var reason = document.createElement("span");
        reason.className = "d-block small reason";
        reason.textContent = record.reason;
        row.querySelector(".bd-cell-body").appendChild(reason);
        var dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "btn btn-sm btn-outline-secondary mt-1";
        dismiss.textContent = text("tpl-dismiss");
        dismiss.addEventListener("click", function () {
          store.remove("outbox", record.key).then(window.BDOffline.refreshBadge);
        });
        row.querySelector(".bd-cell-body").appendChild(dismiss);
      }
      list.appendChild(row);
    });
  }

  function route() {
    if (!snapshot) { return; }
    var path = window.location.pathname;
    var stockMatch = path.match(/^\/documents\/stock\/(\d+)\/$/);
    if (stockMatch) {
      snapshot.branches.forEach(function (b) {
        b.stock.forEach(function (s) { if (String(s.id) === stockMatch[1]) { openMovement(b, s); } });
      });
      return;
    }
    var match = path.match(/^\/branches\/(\d+)\/visits\/new\/$/) ||
      path.match(/^\/documents\/branches\/(\d+)\/delivery\/$/) ||
      path.match(/^\/branches\/(\d+)\//);
    if (!match) { return; }
    var branch = snapshot.branches.filter(function (b) { return String(b.id) === match[1]; })[0];
    if (!branch) { return; }
    if (/visits\/new\/$/.test(path)) { openVisit(branch); }
    else if (/delivery\/$/.test(path)) { openDelivery(branch); }
    else {
      var node = document.querySelector('.offline-branch[data-branch="' + branch.id + '"]');
      if (node) { node.open = true; node.scrollIntoView({ block: "start" }); }
    }
  }

  function showStatus() {
    var status = byId("offline-status");
    status.textContent = navigator.onLine ? status.dataset.online : status.dataset.offline;
  }

  document.addEventListener("bd:outbox", function (event) { renderOutbox(event.detail); });
  document.addEventListener("bd:queued", function (event) {
    if (event.target.closest("#visit-sheet, #delivery-sheet, #movement-sheet")) { closeSheets(); }
    if (event.target.dataset.offlineKind === "tick") { event.target.remove(); }
    byId("outbox").scrollIntoView({ block: "start" });
  });
  document.querySelectorAll(".close-sheet").forEach(function (button) {
    button.addEventListener("click", closeSheets);
  });
  window.addEventListener("online", showStatus);
  window.addEventListener("offline", showStatus);
  showStatus();

  Promise.all([store.get("snapshot", "data"), store.get("meta", "user")]).then(function (found) {
    var saved = found[0];
    if (!saved || String(saved.user) !== String(found[1])) {
      byId("no-snapshot").hidden = false;
      return;
    }
    snapshot = saved.data;
    byId("snapshot-time").hidden = false;
    byId("snapshot-time").querySelector(".when").textContent = snapshot.generated_at;
    renderChecklist(snapshot);
    renderBranches(snapshot);
    route();
  }).then(function () {
    document.documentElement.dataset.offlinePage = "rendered";
  });
})();
