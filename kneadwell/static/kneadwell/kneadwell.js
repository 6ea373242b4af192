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
});
