// bagu's only script: keyboard shortcuts, focus after htmx swaps, and jumping to anchors and lines.
// No inline script anywhere (the CSP forbids it); htmx does the requests.
"use strict";

(function () {
  function focusFirst(root) {
    var el = (root || document).querySelector("[autofocus]");
    if (el && typeof el.focus === "function") el.focus();
    (root || document).querySelectorAll("[data-timed]").forEach(function (form) {
      form.dataset.started = String(Date.now());
    });
  }

  function decodeHash() {
    var raw = location.hash.slice(1);
    try { return decodeURIComponent(raw); } catch (e) { return raw; }
  }

  // A note may be linked to as #raw heading, #github-slug, #kramdown-id, #explicit-id or #H1#H2:
  // headings carry all of them in data-anchors, so any convention lands on the right one.
  function findAnchor(want) {
    if (!want) return null;
    var byId = document.getElementById(want);
    if (byId) return byId;
    var parts = want.split("#").filter(Boolean);
    var last = parts.length ? parts[parts.length - 1] : want;
    var lowered = last.toLowerCase();
    var headings = document.querySelectorAll("[data-anchors]");
    for (var pass = 0; pass < 2; pass++) {
      for (var i = 0; i < headings.length; i++) {
        var names = JSON.parse(headings[i].getAttribute("data-anchors") || "[]");
        for (var j = 0; j < names.length; j++) {
          if (pass === 0 ? names[j] === last : names[j].toLowerCase() === lowered) return headings[i];
        }
      }
    }
    return null;
  }

  function findLine(line) {
    var best = null;
    document.querySelectorAll("#note [data-line]").forEach(function (el) {
      if (Number(el.getAttribute("data-line")) <= line) best = el;
    });
    return best;
  }

  function mark(el) {
    document.querySelectorAll(".target").forEach(function (t) { t.classList.remove("target"); });
    el.classList.add("target");
    el.scrollIntoView({ block: "start" });
  }

  function jump() {
    var note = document.getElementById("note");
    if (!note) return;
    var line = Number(note.getAttribute("data-target-line") || 0);
    var el = line ? findLine(line) : null;
    el = el || findAnchor(decodeHash());
    if (el) mark(el);
  }

  // htmx binds swapped-in content a moment after the swap; a fast key press must not beat it,
  // or the form would fall back to a plain GET of the page.
  function bound(el) {
    var form = el.form || el.closest("form") || el;
    if (window.htmx) window.htmx.process(form);
    return el;
  }

  function isTyping(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT");
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && target.tagName === "TEXTAREA" && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      // A second Ctrl+Enter while the first answer is being graded is not a second answer.
      if (target.form && !target.form.classList.contains("htmx-request")) bound(target).form.requestSubmit();
      return;
    }
    if (isTyping(target) && event.key === "Escape") { target.blur(); return; }
    if (isTyping(target) || event.ctrlKey || event.metaKey || event.altKey) return;
    var button = null;
    if (/^[1-4]$/.test(event.key)) button = document.querySelector('[data-key="' + event.key + '"]');
    else if (event.key === "u") button = document.querySelector("[data-undo]");
    else if (event.key === "/") {
      var box = document.querySelector('input[type="search"]');
      if (box) { event.preventDefault(); box.focus(); }
      return;
    }
    if (button) { event.preventDefault(); bound(button).click(); }
  });

  // Time spent on a card or question goes with the answer (FSRS logs it; the interview report shows it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.started) return;
    var ms = Date.now() - Number(form.dataset.started);
    var elapsed = form.querySelector('[name="elapsed_ms"]');
    if (elapsed) elapsed.value = String(ms);
    var seconds = form.querySelector('[name="seconds"]');
    if (seconds) seconds.value = String(ms / 1000);
  }, true);

  // A request that fails says so on the page, not only in the console: the server's own words when it
  // answered (problem+json `detail`), or that it did not answer at all.
  function showError(text) {
    var box = document.getElementById("errors");
    if (!box) return;
    box.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "small secondary";
    close.textContent = "dismiss";
    close.addEventListener("click", function () { box.textContent = ""; });
    box.appendChild(close);
  }

  function serverWords(xhr) {
    try {
      var problem = JSON.parse(xhr.responseText);
      return problem.detail || problem.title || "";
    } catch (e) {
      return (xhr.statusText || "").trim();
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var busy = xhr.status === 409 ? " (still working on the previous request: wait for it)" : "";
    showError("The request failed: " + xhr.status + " " + (serverWords(xhr) || "error") + busy);
  });
  document.addEventListener("htmx:sendError", function () {
    showError("The server did not answer: is `bagu serve` still running?");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var box = document.getElementById("errors");
    if (box && event.detail.successful) box.textContent = "";
  });

  document.addEventListener("htmx:afterSwap", function (event) { focusFirst(event.detail.target); });
  window.addEventListener("hashchange", jump);
  document.addEventListener("DOMContentLoaded", function () { focusFirst(document); jump(); });
})();
