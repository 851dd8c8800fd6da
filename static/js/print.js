// The print sheet's "Print this page" button: shown only where scripts run, it opens the browser's print dialog.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
