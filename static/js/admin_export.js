// The export page's "select all" toggle, without the inline onchange the CSP refuses:
// import-export's own script defines onSelectToggleChange.
document.addEventListener("change", (event) => {
  if (event.target.matches("input.select-toggle") && typeof onSelectToggleChange === "function") {
    onSelectToggleChange(event);
  }
});
