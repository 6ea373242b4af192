// Visit notes: save the draft as the therapist types, and never lose it: not to a lost
// connection, a closed tab, or the idle sign-out during a long session. Whatever has not reached
// the server yet is kept on this device and put back into the note when it is opened again
// (after signing in again, for instance), with a message saying so.
// Without this file the note still works: "Save draft" and "Sign note" post the form.
"use strict";
(() => {
  // A signed note: what was kept on this device is in the record now.
  const signed = document.querySelector("[data-signed-draft-key]");
  if (signed) localStorage.removeItem(signed.dataset.signedDraftKey);
  // A draft being discarded: so is its copy on this device.
  const discarding = document.querySelector("form[data-discard-draft-key]");
  if (discarding) {
    discarding.addEventListener("submit", () =>
      localStorage.removeItem(discarding.dataset.discardDraftKey),
    );
  }

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

  // The copy on this device: health data, so it lives only until the server has it.
  const keep = (intent) => {
    const at = new Date().toISOString();
    localStorage.setItem(key, JSON.stringify({ at, intent, data: snapshot() }));
    return at;
  };
  const kept = () => {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  };
  const forget = (at) => {
    const copy = kept();
    if (copy && copy.at === at) localStorage.removeItem(key);
  };

  const restore = (data) => {
    for (const element of form.elements) {
      if (!element.name || !(element.name in data)) continue;
      const values = data[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.includes(element.value);
      } else if (element.multiple) {
        for (const option of element.options) option.selected = values.includes(option.value);
      } else {
        element.value = values[0];
      }
    }
  };

  const announce = (intent) => {
    const note = document.createElement("div");
    note.className = "callout warn restored";
    note.id = "restored-draft";
    note.setAttribute("role", "alert");
    note.textContent =
      intent === "sign"
        ? "This note is not signed yet: it did not reach the server (you had been signed out, " +
          "or the connection dropped). Everything you typed was kept on this device and is " +
          "back in the note. Check it, then press Sign note again."
        : "What you typed had not reached the server yet (you had been signed out, or the " +
          "connection dropped). It was kept on this device, is back in the note, and is " +
          "being saved now.";
    form.prepend(note);
    note.scrollIntoView({ block: "center" });
  };

  const save = async () => {
    timer = null;
    if (!dirty) return;
    dirty = false;
    const at = kept()?.at;
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch (error) {
      status.textContent =
        "Offline: your draft is kept on this device and will be saved when the connection returns.";
      dirty = true;
      return;
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    if (response.status === 401 || response.redirected || !isJson) {
      status.textContent =
        "You have been signed out. Everything you type is kept on this device: press Save " +
        "draft or Sign note to sign in again, and it comes back into the note.";
      dirty = true;
      return;
    }
    if (!response.ok) {
      status.textContent = `Not saved (the server answered ${response.status}); your draft is kept on this device.`;
      dirty = true;
      return;
    }
    const result = await response.json();
    // Saved on the server: the local copy goes, unless more was typed meanwhile. Not at once:
    // if the page is being replaced right now, the next page may have been drawn before this
    // save landed, and it restores from the local copy instead (it compares the two times).
    if (at) setTimeout(() => forget(at), 3000);
    status.textContent = "Draft saved " + new Date(result.saved_at).toLocaleTimeString();
  };

  const schedule = () => {
    dirty = true;
    keep("autosave");
    status.textContent = "Editing…";
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 1500);
  };

  const copy = kept();
  if (copy) {
    const serverAt = form.dataset.savedAt ? new Date(form.dataset.savedAt) : new Date(0);
    const differs = JSON.stringify(copy.data) !== JSON.stringify(snapshot());
    if (new Date(copy.at) > serverAt && differs) {
      restore(copy.data);
      announce(copy.intent);
      schedule();
    } else {
      localStorage.removeItem(key);
    }
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // Keep what is being sent until the next page shows the server has it: if the session has
  // ended, the post lands on the sign-in page and the note is restored from this copy after.
  form.addEventListener("submit", (event) => {
    if (timer) clearTimeout(timer);
    timer = null;
    dirty = false;
    keep(event.submitter && event.submitter.name === "sign" ? "sign" : "save");
  });
  window.addEventListener("online", () => {
    if (dirty) save();
  });
  window.addEventListener("pagehide", () => {
    if (dirty) navigator.sendBeacon(url, new FormData(form));
  });
})();
