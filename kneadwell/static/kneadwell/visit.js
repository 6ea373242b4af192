// Visit notes: save the draft as the therapist types, and keep it through a lost connection.
// Without this file the note still works: "Save draft" and "Sign note" post the form.
"use strict";
(() => {
  const form = document.getElementById("visit-form");
  if (!form) return;
  const url = form.dataset.autosaveUrl;
  const key = form.dataset.draftKey;
  const status = document.getElementById("autosave-status");
  let timer = null;
  let dirty = false;

  const snapshot = () => {
    const data = {};
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken") continue;
      (data[name] = data[name] || []).push(value);
    }
    return data;
  };

  const restore = (data) => {
    for (const element of form.elements) {
      if (!element.name || !(element.name in data)) continue;
      const values = data[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.includes(element.value);
      } else {
        element.value = values[0];
      }
    }
  };

  const save = async () => {
    timer = null;
    if (!dirty) return;
    dirty = false;
    const body = new FormData(form);
    try {
      const response = await fetch(url, { method: "POST", body, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const result = await response.json();
      // Saved on the server: the local copy (health data) goes. Not at once: if the page is
      // being replaced right now, the next page may have been drawn before this save landed,
      // and it restores from the local copy instead (it compares the two times).
      setTimeout(() => localStorage.removeItem(key), 3000);
      status.textContent = "Draft saved " + new Date(result.saved_at).toLocaleTimeString();
    } catch (error) {
      localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), data: snapshot() }));
      status.textContent = "Offline: your draft is kept on this device and will be saved when the connection returns.";
      dirty = true;
    }
  };

  const schedule = () => {
    dirty = true;
    status.textContent = "Editing…";
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1500);
  };

  const stored = localStorage.getItem(key);
  if (stored) {
    const { at, data } = JSON.parse(stored);
    const serverAt = form.dataset.savedAt ? new Date(form.dataset.savedAt) : new Date(0);
    if (new Date(at) > serverAt) {
      restore(data);
      status.textContent = "Restored the draft kept on this device; saving it now.";
      schedule();
    } else {
      localStorage.removeItem(key);
    }
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", () => localStorage.removeItem(key));
  window.addEventListener("online", () => { if (dirty) save(); });
  window.addEventListener("pagehide", () => {
    if (dirty) navigator.sendBeacon(url, new FormData(form));
  });
})();
