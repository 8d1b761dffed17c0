// Photos taken with the phone camera are shrunk here before upload (a 12-megapixel photo is
// 4-8 MB; the server keeps at most 2048 px anyway). The camera's EXIF block is copied into the
// shrunk JPEG with its orientation reset (the canvas has already turned the picture upright),
// so the server can read when the photo was taken; the server then removes EXIF entirely.
// Anything the browser cannot decode is sent as it is: the server says what is wrong with it.
(function () {
  "use strict";

  function exifSegment(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
    var offset = 2;
    while (offset + 4 <= view.byteLength) {
      var marker = view.getUint16(offset);
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return null;
      var length = view.getUint16(offset + 2);
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) {
        var segment = new Uint8Array(buffer.slice(offset, offset + 2 + length));
        resetOrientation(new DataView(segment.buffer));
        return segment;
      }
      offset += 2 + length;
    }
    return null;
  }

  function resetOrientation(view) {
    var tiff = 10; // marker (2), length (2), "Exif\0\0" (6)
    if (view.byteLength < tiff + 8) return;
    var little = view.getUint16(tiff) === 0x4949;
    var ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > view.byteLength) return;
    var count = view.getUint16(ifd, little);
    for (var i = 0; i < count; i++) {
      var entry = ifd + 2 + i * 12;
      if (entry + 12 > view.byteLength) return;
      if (view.getUint16(entry, little) === 0x0112) {
        view.setUint16(entry + 8, 1, little);
        return;
      }
    }
  }

  function withExif(blob, segment) {
    if (!segment) return Promise.resolve(blob);
    return blob.arrayBuffer().then(function (buffer) {
      var body = new Uint8Array(buffer);
      return new Blob([body.slice(0, 2), segment, body.slice(2)], { type: "image/jpeg" });
    });
  }

  function shrink(file, maxSide) {
    if (!window.createImageBitmap || !file.type || file.type.indexOf("image/") !== 0) {
      return Promise.resolve(file);
    }
    return Promise.all([file.arrayBuffer(), createImageBitmap(file)])
      .then(function (results) {
        var bitmap = results[1];
        var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < 1500000) return file;
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(resolve, "image/jpeg", 0.85);
        }).then(function (blob) {
          if (!blob) return file;
          return withExif(blob, exifSegment(results[0])).then(function (jpeg) {
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            return new File([jpeg], name, { type: "image/jpeg" });
          });
        });
      })
      .catch(function () {
        return file;
      });
  }

  function shrinkInput(input, maxSide) {
    return Promise.all(Array.prototype.map.call(input.files, function (file) {
      return shrink(file, maxSide);
    })).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (file) {
        transfer.items.add(file);
      });
      input.files = transfer.files;
    });
  }

  // The photo panel's own upload form.
  document.querySelectorAll("form[data-photo-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var status = form.querySelector("[data-photo-status]");
    var maxSide = parseInt(form.getAttribute("data-max-side"), 10) || 1600;
    var ready = false;
    form.addEventListener("submit", function (event) {
      if (ready) {
        ready = false;
        return;
      }
      if (!input.files.length || typeof DataTransfer === "undefined") return;
      event.preventDefault();
      if (status) status.hidden = false;
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
      });
      var submitter = event.submitter && event.submitter.form === form ? event.submitter : undefined;
      shrinkInput(input, maxSide).then(function () {
        ready = true;
        if (form.requestSubmit) {
          // A submit event again, so that offline.js queues the shrunk photos with no signal.
          form.querySelectorAll("button").forEach(function (button) {
            button.disabled = false;
          });
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
    });
  });

  // A photo input inside another form (the visit form): shrunk, then the form is submitted
  // again with requestSubmit, so that offline.js sees the submit and queues the shrunk photos
  // when there is no connection.
  document.querySelectorAll("input[type=file][data-photo-shrink]").forEach(function (input) {
    var form = input.form;
    if (!form) return;
    var status = form.querySelector("[data-photo-status]");
    var maxSide = parseInt(input.getAttribute("data-max-side"), 10) || 1600;
    var shrunk = false;
    form.addEventListener("submit", function (event) {
      if (shrunk) {
        shrunk = false;
        return;
      }
      if (!input.files.length || typeof DataTransfer === "undefined" || !form.requestSubmit) return;
      event.preventDefault();
      var submitter = event.submitter && event.submitter.form === form ? event.submitter : undefined;
      if (status) status.hidden = false;
      shrinkInput(input, maxSide).then(function () {
        if (status) status.hidden = true;
        shrunk = true;
        form.requestSubmit(submitter);
      });
    });
  });

  window.BDPhotos = { shrink: shrink };
})();
