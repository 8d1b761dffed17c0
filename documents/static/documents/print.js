// The "Print" button on the handover slip (no inline scripts: CSP-friendly).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
