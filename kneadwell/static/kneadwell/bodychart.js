// Body chart: clicking a region ticks its box in the list below; ticking a box marks the region.
// The checkbox list is the real input, so the form works the same without this file.
"use strict";
(() => {
  if (window.kneadwellBodyChart) return;
  window.kneadwellBodyChart = true;

  function setup(chart) {
    const field = chart.dataset.field;
    const hatch = chart.dataset.hatch;
    const boxes = new Map();
    chart.closest(".bodychart-field").querySelectorAll(`input[name="${field}"]`).forEach((box) => {
      boxes.set(box.value, box);
    });
    const summary = chart.querySelector(".bodychart-marked");

    function paint() {
      chart.querySelectorAll("[data-region]").forEach((shape) => {
        const box = boxes.get(shape.dataset.region);
        const marked = Boolean(box && box.checked);
        shape.classList.toggle("is-selected", marked);
        shape.setAttribute("fill", marked ? `url(#${hatch})` : "#ffffff");
      });
      const names = [];
      boxes.forEach((box) => {
        if (box.checked) names.push(box.closest("label").textContent.trim());
      });
      summary.textContent = names.length ? names.join(", ") : "none";
    }

    chart.querySelectorAll("[data-region]").forEach((shape) => {
      const box = boxes.get(shape.dataset.region);
      if (!box) return;
      shape.classList.add("is-clickable");
      shape.addEventListener("click", () => {
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    boxes.forEach((box) => box.addEventListener("change", paint));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".bodychart[data-field]").forEach(setup);
  });
})();
