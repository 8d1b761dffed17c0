// Follows a background import on its job page (admin/branches/import_job.html): polls the
// job's status URL every second, moves the progress bar, and reloads the page once the job
// has finished so the server renders the counts or the refused rows. No inline script (CSP).
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box || box.dataset.finished === "1") {
    return;
  }
  var bar = document.getElementById("import-progress");
  var count = document.getElementById("import-count");
  var status = document.getElementById("import-status");
  var delay = 1000;

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.max = job.total || 1;
          bar.value = job.progress;
        }
        if (count) {
          count.textContent = job.progress + " / " + job.total;
        }
        if (status) {
          status.textContent = job.status_display;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // The server may be restarting: try again, less often.
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
