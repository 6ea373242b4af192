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

  // On a phone a table's rows become cards; give each cell its column's name to show.
  document.querySelectorAll("table.table").forEach((table) => {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      [...row.children].forEach((cell, index) => {
        if (!cell.dataset.label && heads[index]) cell.dataset.label = heads[index];
      });
    });
  });

  // Text with a length limit: say so as soon as it is too long (the server refuses it; the
  // browser is not allowed to cut it, see templates/django/forms/widgets/attrs.html).
  document.querySelectorAll("[data-maxlength]").forEach((input) => {
    const limit = Number(input.dataset.maxlength);
    const note = document.createElement("div");
    note.className = "length-note";
    note.id = `${input.id}_length`;
    note.setAttribute("aria-live", "polite");
    input.after(note);
    const check = () => {
      // Characters as the server counts them (code points: an emoji is one, not two).
      const length = [...input.value].length;
      const over = length - limit;
      note.textContent =
        over > 0
          ? `${length} characters: ${over} more than the ${limit} this field holds. Shorten it.`
          : "";
      note.hidden = over <= 0;
    };
    input.addEventListener("input", check);
    check();
  });
  // Print buttons (a desk code for the client) need a script; without one, use the browser's.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
