() => {
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) out.push(`page ${root.scrollWidth} wider than ${root.clientWidth}`);
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest(".visually-hidden") || (el.closest("svg") && el.tagName.toLowerCase() !== "svg")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const box = el.parentElement.closest(".card, fieldset, .screening-banner, .callout, main");
    const b = box.getBoundingClientRect();
    if (r.right > b.right + 1 || r.left < b.left - 1) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || "").trim().slice(0, 40)}" ${Math.round(r.left)}–${Math.round(r.right)} outside ${box.tagName.toLowerCase()}.${box.className} ${Math.round(b.left)}–${Math.round(b.right)}`);
    }
  }
  return out;
}
