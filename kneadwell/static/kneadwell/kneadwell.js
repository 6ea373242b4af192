// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Mark fields that carry an error for assistive technology, and move focus to the first one.
  document.querySelectorAll(".field.has-error").forEach((field) => {
    const input = field.querySelector("input, select, textarea");
    if (input) input.setAttribute("aria-invalid", "true");
  });
  const first = document.querySelector('.field.has-error [aria-invalid="true"]');
  if (first) first.focus();
  // Print buttons (a desk code for the client) need a script; without one, use the browser's.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
