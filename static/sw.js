/* WANS service worker: shows web-push notifications and opens their link when tapped.
   Served at /sw.js (notifications/push_views.py) so that its scope is the whole site. The push payload is the JSON
   that notifications/channels/push.py encrypts: {title, body, url, tag}. */
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (error) {
      data = { body: event.data.text() };
    }
  }
  const options = {
    body: data.body || "",
    data: { url: data.url || "/" },
  };
  if (data.tag) {
    options.tag = data.tag; // the same message delivered twice replaces itself instead of showing twice
  }
  event.waitUntil(self.registration.showNotification(data.title || "WANS", options));
});

function target(notification) {
  // Only web addresses: a payload cannot make the worker open javascript: or other schemes.
  const url = new URL((notification.data && notification.data.url) || "/", self.location.origin);
  return url.protocol === "https:" || url.protocol === "http:" ? url.href : self.location.origin + "/";
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const href = target(event.notification);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === href && "focus" in client) {
          return client.focus();
        }
      }
      return self.clients.openWindow(href);
    }),
  );
});
