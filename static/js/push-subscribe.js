/* Turn web-push notifications on or off for this browser (the card that {% push_subscribe %} renders).
   On: ask permission, register /sw.js, subscribe with the site's VAPID public key (applicationServerKey) and POST
   the subscription's JSON to the API. Off: DELETE it there (?endpoint=) and unsubscribe. Every text shown comes translated from
   the card's data attributes. */
(function () {
  "use strict";
  const root = document.querySelector("[data-push]");
  if (!root) {
    return;
  }
  const d = root.dataset;
  const button = root.querySelector("[data-push-toggle]");
  const status = root.querySelector("[data-push-status]");
  const SAY = {
    off: d.sayOff, on: d.sayOn, blocked: d.sayBlocked, unsupported: d.sayUnsupported, unset: d.sayUnset,
    working: d.sayWorking, error: d.sayError,
  };

  function show(state) {
    root.dataset.state = state;
    status.textContent = SAY[state] || "";
    button.hidden = !(state === "on" || state === "off");
    button.textContent = state === "on" ? d.labelOff : d.labelOn;
    button.setAttribute("aria-pressed", state === "on" ? "true" : "false");
  }

  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  function sameKey(subscription) {
    const key = subscription.options && subscription.options.applicationServerKey;
    if (!key) {
      return true; // the browser does not say: assume it is ours
    }
    const ours = keyBytes(d.key);
    const theirs = new Uint8Array(key);
    return theirs.length === ours.length && theirs.every((byte, i) => byte === ours[i]);
  }

  async function api(method, body) {
    const url = method === "DELETE" ? d.endpoint + "?endpoint=" + encodeURIComponent(body.endpoint) : d.endpoint;
    const response = await fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": d.csrf, Accept: "application/json" },
      body: method === "DELETE" ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
  }

  async function registration() {
    await navigator.serviceWorker.register(d.worker, { scope: "/" });
    return navigator.serviceWorker.ready;
  }

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      show(permission === "denied" ? "blocked" : "off");
      return;
    }
    const reg = await registration();
    let subscription = await reg.pushManager.getSubscription();
    if (subscription && !sameKey(subscription)) {
      await subscription.unsubscribe(); // made with a key the site no longer has
      subscription = null;
    }
    if (!subscription) {
      subscription = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(d.key) });
    }
    await api("POST", subscription.toJSON());
    show("on");
  }

  async function turnOff() {
    const reg = await registration();
    const subscription = await reg.pushManager.getSubscription();
    if (subscription) {
      await api("DELETE", { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    show("off");
  }

  async function start() {
    if (!d.key) {
      show("unset");
      return;
    }
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      show("unsupported");
      return;
    }
    if (Notification.permission === "denied") {
      show("blocked");
      return;
    }
    const reg = await navigator.serviceWorker.getRegistration("/");
    const subscription = reg ? await reg.pushManager.getSubscription() : null;
    if (subscription && Notification.permission === "granted" && sameKey(subscription)) {
      await api("POST", subscription.toJSON()); // this browser may have been subscribed for another account
      show("on");
    } else {
      show("off");
    }
  }

  button.addEventListener("click", async function () {
    const wasOn = root.dataset.state === "on";
    button.disabled = true;
    status.textContent = SAY.working;
    try {
      await (wasOn ? turnOff() : turnOn());
    } catch (error) {
      show(wasOn ? "on" : "off");
      status.textContent = SAY.error;
    } finally {
      button.disabled = false;
    }
  });

  start().catch(function () {
    show("off");
  });
})();
