// narrative_qa web app: the little JavaScript there is (no inline script anywhere; CSP
// script-src 'self'). htmx does the requests; this file keeps drafts safe in the browser.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request carries the session's CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // Coded refusals (401 session ended, 413/422 form errors, 403, 429) are shown in the
  // findings panel instead of being dropped; the draft stays in the box and in storage.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400 && status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function setStatus(text) {
    var status = document.getElementById("draft-status");
    if (status) { status.textContent = text; }
  }

  document.addEventListener("htmx:sendError", function () {
    setStatus("The server could not be reached; your draft is kept in this browser.");
  });
  document.addEventListener("htmx:responseError", function () {
    setStatus("The check failed on the server; your draft is kept in this browser.");
  });
  // After each check: a short summary is announced (the status line is the live region,
  // not the whole panel), and the field a refusal names is marked invalid and tied to it.
  document.addEventListener("htmx:afterSwap", function () {
    var verdict = document.querySelector("#findings [data-summary]");
    var error = document.getElementById("check-error");
    setStatus(verdict ? verdict.getAttribute("data-summary") :
              (error ? error.textContent.trim() : ""));
    var form = document.getElementById("draft");
    if (!form) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    var field = error && error.getAttribute("data-field");
    var target = field && form.elements.namedItem(field);
    if (target && target.setAttribute) {
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", "check-error");
    }
  });

  var PREFIX = "narrative_qa:draft:";

  // Drafts are kept per signed-in user, so one user's draft is never restored into the
  // next user's form on a shared computer; signing out removes them all.
  function userPrefix() {
    var meta = document.querySelector('meta[name="nq-user"]');
    return PREFIX + (meta ? meta.getAttribute("content") : "") + ":";
  }

  function storageKey(form) { return userPrefix() + (form.getAttribute("data-draft-key") || "new"); }

  function clearAllDrafts() {
    try {
      var doomed = [];
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) { doomed.push(key); }
      }
      doomed.forEach(function (key) { localStorage.removeItem(key); });
    } catch (error) { /* nothing stored */ }
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.type !== "file" && el.type !== "hidden";
    });
  }

  function save(form) {
    var data = {};
    fieldsOf(form).forEach(function (el) { data[el.name] = el.value; });
    data.saved_at = new Date().toISOString();
    try {
      localStorage.setItem(storageKey(form), JSON.stringify(data));
    } catch (error) {
      setStatus("This browser would not keep a copy of the draft: copy it somewhere safe.");
    }
  }

  function restore(form) {
    var text = form.querySelector("textarea[name=narrative]");
    var raw = null;
    try { raw = localStorage.getItem(storageKey(form)); } catch (error) { raw = null; }
    var fresh = text && text.getAttribute("data-fresh") === "1";
    if (raw) {
      var data = JSON.parse(raw);
      fieldsOf(form).forEach(function (el) {
        if (el.name === "narrative" && fresh) { return; }  // a Word upload just read wins
        if (el.name in data && !el.value) { el.value = data[el.name]; }
      });
      setStatus("Draft restored from this browser (saved " + data.saved_at + ").");
    }
    if (fresh || raw) {
      save(form);
      if (text && text.value) { text.dispatchEvent(new Event("input", { bubbles: true })); }
    }
  }

  // A suggested rewrite replaces its sentence in the draft; its first [slot] is selected,
  // and Tab moves to the next one while any is left, so the officer types each in turn.
  var SLOT = /\[[^\[\]\n]+\]/;
  var slotsFrom = null;  // where the inserted rewrite starts, while its slots are filled

  function selectSlot(text, from) {
    var match = SLOT.exec(text.value.slice(from));
    if (!match) { slotsFrom = null; return false; }
    var start = from + match.index;
    text.focus();
    text.setSelectionRange(start, start + match[0].length);
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.use-rewrite") : null;
    var text = document.querySelector("#draft textarea[name=narrative]");
    if (!button || !text) { return; }
    var sentence = button.getAttribute("data-sentence");
    var rewrite = button.getAttribute("data-rewrite");
    var at = text.value.indexOf(sentence);
    if (at < 0) {
      setStatus("That sentence is no longer in your draft as it was checked; the rewrite was not put in.");
      return;
    }
    text.value = text.value.slice(0, at) + rewrite + text.value.slice(at + sentence.length);
    slotsFrom = at;
    selectSlot(text, at);
    setStatus("Rewrite put into your draft: type over the selected slot, then press Tab for the next.");
    text.dispatchEvent(new Event("input", { bubbles: true }));
  });

  document.addEventListener("keydown", function (event) {
    var text = event.target;
    if (event.key !== "Tab" || event.shiftKey || slotsFrom === null ||
        !text.matches || !text.matches("#draft textarea[name=narrative]")) { return; }
    if (selectSlot(text, text.selectionEnd)) { event.preventDefault(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var cleared = document.querySelector("[data-clear-draft]");
    if (cleared) {
      try { localStorage.removeItem(userPrefix() + cleared.getAttribute("data-clear-draft")); }
      catch (error) { /* nothing stored */ }
    }
    if (document.querySelector("[data-signed-out]")) { clearAllDrafts(); }
    var signout = document.querySelector("form.signout");
    if (signout) { signout.addEventListener("submit", clearAllDrafts); }
    var form = document.getElementById("draft");
    if (!form) { return; }
    // Enter in a KPI field never submits the draft: submitting is the explicit button.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.tagName === "INPUT") { event.preventDefault(); }
    });
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    restore(form);
  });
})();
