/* WANS: a little plain JavaScript where it earns its place. Everything works without it. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  /* Search as you type: the header's box asks the server for a small list of matches (debounced). */
  function initSuggest(form) {
    var input = form.querySelector("input[name=q]");
    var box = form.querySelector(".search-suggest");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !box || !url) return;
    var last = "";
    var controller = null;
    function hide() { box.hidden = true; input.setAttribute("aria-expanded", "false"); }
    var ask = debounce(function () {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (q.length < 2) { box.innerHTML = ""; hide(); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), { signal: controller ? controller.signal : undefined, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (q !== input.value.trim()) return;
          box.innerHTML = html;
          box.hidden = html.trim() === "";
          input.setAttribute("aria-expanded", box.hidden ? "false" : "true");
        })
        .catch(function () {});
    }, 250);
    input.addEventListener("input", ask);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { hide(); }
      if (e.key === "ArrowDown") {
        var first = box.querySelector("a");
        if (first && !box.hidden) { e.preventDefault(); first.focus(); }
      }
    });
    box.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(box.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) links[i - 1].focus(); else input.focus(); }
      if (e.key === "Escape") { hide(); input.focus(); }
    });
    document.addEventListener("click", function (e) { if (!form.contains(e.target)) hide(); });
  }

  /* My List: add or remove without leaving the page. */
  function initListToggle(form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("button");
      var action = form.querySelector("input[name=action]");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
      })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          if (!res.ok) { form.submit(); return; }
          var inList = res.body.in_list;
          action.value = inList ? "remove" : "add";
          button.setAttribute("aria-pressed", inList ? "true" : "false");
          var wide = form.classList.contains("list-toggle-wide");
          var label = button.getAttribute(inList ? "data-label-remove" : "data-label-add");
          if (wide) { button.textContent = label; } else { button.textContent = inList ? "✓" : "+"; button.setAttribute("aria-label", label); }
        })
        .catch(function () { form.submit(); })
        .then(function () { button.disabled = false; });
    });
  }

  /* A pending payment: ask for its status every few seconds; go on when it is settled. */
  function initPaymentWait(el) {
    var url = el.getAttribute("data-status-url");
    var every = parseInt(el.getAttribute("data-interval") || "3000", 10);
    var status = el.querySelector("[data-status-text]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (body.done) {
            if (status && body.message) status.textContent = body.message;
            if (body.redirect) { window.location.assign(body.redirect); return; }
          } else {
            setTimeout(poll, every);
          }
        })
        .catch(function () { setTimeout(poll, every * 2); });
    }
    setTimeout(poll, every);
  }

  /* Hand-off to a provider's payment page: follow the link once, and say so if the page does not open (a browser
     that refuses the address, a page that answers nothing) instead of leaving the payer on a page that looks idle. */
  var HANDOFF_WAIT_MS = 6000;
  function initHandoff(el) {
    var url = el.getAttribute("data-handoff");
    var error = el.querySelector("[data-handoff-error]");
    var link = el.querySelector("[data-handoff-link]");
    function watch() {
      setTimeout(function () {
        if (document.visibilityState !== "hidden" && error) { error.hidden = false; }
      }, HANDOFF_WAIT_MS);
    }
    if (link) link.addEventListener("click", function () { if (error) error.hidden = true; watch(); });
    if (!el.hasAttribute("data-handoff-auto") || !url) return;
    // Drop ?handoff=1 so that coming back (or reloading) shows the page instead of leaving again.
    if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname);
    watch();
    window.location.assign(url);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-handoff]"), initHandoff);
    Array.prototype.forEach.call(document.querySelectorAll("form.search-box"), initSuggest);
    Array.prototype.forEach.call(document.querySelectorAll("form.list-toggle"), initListToggle);
    Array.prototype.forEach.call(document.querySelectorAll("[data-payment-wait]"), initPaymentWait);
  });
})();
