// The header's bell: the unread count of in-app notifications, asked on load and every 30 s while the page is
// visible (and again when it becomes visible). Without JavaScript the bell is a plain link to the list.
(function () {
  "use strict";
  var POLL_MS = 30000;
  var bell = document.querySelector("[data-bell]");
  if (!bell || !window.fetch) return;
  var badge = bell.querySelector("[data-bell-count]");
  var timer = null;

  function show(count) {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
    bell.setAttribute("data-unread", String(count));
    bell.setAttribute("aria-label", count ? bell.dataset.labelUnread.replace("__N__", String(count)) : bell.dataset.label);
  }

  function refresh() {
    fetch(bell.dataset.unreadUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body && typeof body.unread === "number") show(body.unread); })
      .catch(function () { /* offline: keep the last count */ });
  }

  function schedule() {
    clearInterval(timer);
    if (document.visibilityState === "visible") timer = setInterval(refresh, POLL_MS);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refresh();
    schedule();
  });
  window.addEventListener("wans:notifications-changed", refresh);
  refresh();
  schedule();
})();
