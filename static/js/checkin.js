/* Check-in at the branch: ask the browser for its position and put it in the visit form's
 * hidden inputs (latitude, longitude, accuracy). The server computes the distance to the
 * branch and judges it; a refused or failed position leaves the inputs empty and the visit
 * is saved as "no location". Plain HTML form: an offline queue can post the same fields. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-checkin]");
  var status = document.getElementById("checkin-status");
  if (!form || !status) {
    return;
  }
  var message = document.getElementById("checkin-message");

  function field(name) {
    return form.querySelector('input[name="' + name + '"]');
  }

  function show(text, tone) {
    message.textContent = text;
    status.classList.remove("alert-primary", "alert-success", "alert-warning");
    status.classList.add(tone);
    status.dataset.state = tone.replace("alert-", "");
  }

  function clear() {
    ["latitude", "longitude", "accuracy"].forEach(function (name) {
      var input = field(name);
      if (input) {
        input.value = "";
      }
    });
  }

  if (!("geolocation" in navigator)) {
    clear();
    show(status.dataset.unsupported, "alert-warning");
    return;
  }
  show(status.dataset.locating, "alert-primary");
  navigator.geolocation.getCurrentPosition(
    function (position) {
      var coords = position.coords;
      field("latitude").value = coords.latitude.toFixed(6);
      field("longitude").value = coords.longitude.toFixed(6);
      field("accuracy").value = Math.round(coords.accuracy);
      show(
        status.dataset.found.replace("{accuracy}", String(Math.round(coords.accuracy))),
        "alert-success"
      );
    },
    function () {
      clear();
      show(status.dataset.refused, "alert-warning");
    },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
  );
})();
