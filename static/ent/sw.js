// The ENT's service worker: an offline page, the static files for the installed app, and the
// notifications pushed to this device. Served at /sw.js (ent.pwa), registered by static/ent/pwa.js
// as /sw.js?v=<version>&s=<cache|network>. Cache rules (docs/architecture/pwa.md):
//
// - only two things are ever cached: the static files (/static/…) and the offline page
//   (/hors-connexion/, fetched without cookies: it holds nothing personal);
// - every page (HTML) comes from the network only; when the network is gone, the offline page;
// - every other request (htmx fragments, /fichiers/ and /media/ files served after a permission
//   check, feeds, forms) is not touched at all: the browser sends it to the network as usual;
// - the cache is named after the version: a new release installs a new worker, which deletes the
//   caches of the old one when it takes over.
"use strict";

const params = new URL(self.location.href).searchParams;
const VERSION = params.get("v") || "dev";
// "cache": static names are hashed, a cached file is never stale; "network": development.
const STRATEGY = params.get("s") === "cache" ? "cache" : "network";
const PREFIX = "ent-static-";
const CACHE = PREFIX + VERSION;
const OFFLINE_URL = "/hors-connexion/";
const STATIC_PATH = "/static/";

function staticAssets(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:href|src)="(\/static\/[^"?#]+)"/g)) {
    found.add(match[1]);
  }
  return [...found];
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch(OFFLINE_URL, { credentials: "omit", cache: "no-store" });
      if (!response.ok) {
        throw new Error("Page hors connexion indisponible : " + response.status);
      }
      const html = await response.clone().text();
      await cache.put(OFFLINE_URL, response);
      await cache.addAll(staticAssets(html));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

async function offlinePage() {
  const cache = await caches.open(CACHE);
  return (
    (await cache.match(OFFLINE_URL)) ||
    new Response("<!DOCTYPE html><html lang=\"fr\"><title>Hors connexion</title><h1>Vous êtes hors connexion</h1></html>", {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    })
  );
}

async function fromNetworkOrOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return offlinePage();
  }
}

async function staticFile(request) {
  const cache = await caches.open(CACHE);
  if (STRATEGY === "cache") {
    const cached = await cache.match(request);
    if (cached) {
      return cached;
    }
  }
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) {
      return cached;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    // Pages hold personal data: never cached, network only.
    event.respondWith(fromNetworkOrOffline(request));
    return;
  }
  if (url.pathname.startsWith(STATIC_PATH)) {
    event.respondWith(staticFile(request));
  }
  // Anything else goes to the network untouched (files after a permission check included).
});

// --- Notifications pushed to this device (notifications/push.py) -------------------------------

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const title = data.title || "ENT de circonscription";
  const options = {
    body: data.body || "Vous avez une nouvelle notification.",
    tag: data.tag || undefined,
    icon: data.icon || undefined,
    badge: data.badge || undefined,
    lang: "fr",
    data: { url: data.url || "/notifications/" },
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let target = new URL((event.notification.data && event.notification.data.url) || "/notifications/", self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL("/notifications/", self.location.origin);
  }
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && "focus" in client) {
          await client.focus();
          return client.navigate(target.href);
        }
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});
