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
      // getAttribute: a field named "action" shadows form.action (it would post to "[object HTMLInputElement]").
      fetch(form.getAttribute("action"), {
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

  /* Home rows: ‹ › buttons scroll a row by a screenful (desktop); Left/Right/Home/End move between its cards. A
     card is two tab stops: its link and its My List button (the scroller itself is not one). */
  function initRow(row) {
    var scroller = row.querySelector(".row-scroller");
    if (!scroller) return;
    var links = Array.prototype.slice.call(scroller.querySelectorAll(".card-link"));
    if (!links.length) return;
    scroller.setAttribute("tabindex", "-1");  // Chromium makes a scroller a tab stop of its own otherwise
    function focusCard(i) {
      i = Math.max(0, Math.min(links.length - 1, i));
      links[i].focus();
      links[i].closest(".card-film").scrollIntoView({ block: "nearest", inline: "nearest" });
    }
    scroller.addEventListener("keydown", function (e) {
      var card = document.activeElement.closest && document.activeElement.closest(".card-film");
      var i = card ? links.indexOf(card.querySelector(".card-link")) : -1;
      if (i < 0) return;
      var moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: links.length - 1 };
      if (e.key in moves) { e.preventDefault(); focusCard(moves[e.key]); }
    });
    var prev = row.querySelector("[data-row-prev]");
    var next = row.querySelector("[data-row-next]");
    if (!prev || !next) return;
    function update() {
      var max = scroller.scrollWidth - scroller.clientWidth - 2;
      prev.disabled = scroller.scrollLeft <= 2;
      next.disabled = scroller.scrollLeft >= max;
      row.classList.toggle("row-scrolls", max > 0);
    }
    function page(direction) {
      scroller.scrollBy({ left: direction * Math.max(scroller.clientWidth * 0.85, 200), behavior: "smooth" });
    }
    prev.addEventListener("click", function () { page(-1); });
    next.addEventListener("click", function () { page(1); });
    scroller.addEventListener("scroll", debounce(update, 60), { passive: true });
    window.addEventListener("resize", debounce(update, 120));
    update();
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

  /* The phone header: the menu button opens the navigation, the search button the search box (focused). */
  function initHeaderToggle(button) {
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      Array.prototype.forEach.call(document.querySelectorAll(".header-toggle[aria-expanded=true]"), function (other) {
        if (other !== button) { other.setAttribute("aria-expanded", "false"); document.getElementById(other.getAttribute("aria-controls")).classList.remove("is-open"); }
      });
      button.setAttribute("aria-expanded", open ? "true" : "false");
      target.classList.toggle("is-open", open);
      if (open) {
        var first = target.querySelector("input, a, button");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false"); target.classList.remove("is-open"); button.focus();
      }
    });
  }

  /* Sign-up's one password field: a plain-words strength hint as the person types (length and variety). */
  function initStrength(hint) {
    var input = document.querySelector("input[name=password1]");
    if (!input) return;
    var words = [hint.getAttribute("data-weak"), hint.getAttribute("data-ok"), hint.getAttribute("data-strong")];
    input.addEventListener("input", function () {
      var value = input.value;
      var kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter(function (re) { return re.test(value); }).length;
      var level = value.length < 10 ? 0 : (value.length >= 16 || (value.length >= 12 && kinds >= 3)) ? 2 : 1;
      hint.hidden = value.length === 0;
      hint.textContent = words[level];
      hint.setAttribute("data-level", String(level));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-password-strength]"), initStrength);
    // A form sent back with errors: its summary at the top takes the focus, so it is read out and seen first.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); summary.scrollIntoView({ block: "start" }); }
    Array.prototype.forEach.call(document.querySelectorAll(".header-toggle"), initHeaderToggle);
    Array.prototype.forEach.call(document.querySelectorAll("[data-handoff]"), initHandoff);
    Array.prototype.forEach.call(document.querySelectorAll("form.search-box"), initSuggest);
    Array.prototype.forEach.call(document.querySelectorAll("form.list-toggle"), initListToggle);
    Array.prototype.forEach.call(document.querySelectorAll(".row"), initRow);
    Array.prototype.forEach.call(document.querySelectorAll("[data-payment-wait]"), initPaymentWait);
  });
})();
