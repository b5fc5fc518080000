// Hague web workspace. Loaded as a file (the CSP allows no inline script); reads data only from
// data-* attributes and JSON endpoints of this server, and writes text with textContent, never HTML.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
