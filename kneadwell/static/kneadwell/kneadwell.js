// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Mark fields that carry an error for assistive technology, and move focus to the first one.
  const groups = document.querySelectorAll("ul.errorlist");
  groups.forEach((list) => {
    const input = list.parentElement && list.parentElement.querySelector("input, select, textarea");
    if (input) input.setAttribute("aria-invalid", "true");
  });
  const first = document.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
});
