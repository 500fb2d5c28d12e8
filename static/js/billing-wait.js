// Polls a payment's status every 3 seconds until it is no longer pending, then reloads the page once.
(function () {
  var box = document.querySelector(".payment-wait");
  if (!box || box.dataset.status !== "pending") return;
  var timer = setInterval(function () {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.status !== "pending") { clearInterval(timer); window.location.reload(); }
      })
      .catch(function () {});
  }, 3000);
})();
