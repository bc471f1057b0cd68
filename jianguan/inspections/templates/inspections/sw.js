/* Service worker of the 行政检查 field page (scope /inspections/): keeps the page's shell so that it opens without
 * a network. Pages: the network first, the kept copy when offline. Static files: the kept copy. The API is never
 * cached here: the page keeps its own data in IndexedDB and queues what it captures. */
"use strict";

const VERSION = "{{ version }}";
const CACHE = `jianguan-inspections-${VERSION}`;
const SHELL = {{ shell|safe }};
const FIELD = {{ field_url|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("jianguan-inspections-") && key !== CACHE)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const path = new URL(request.url).pathname;
    if (response.ok && !response.redirected && path === FIELD) await cache.put(FIELD, response.clone());
    return response;
  } catch (problem) {
    return (await cache.match(request, { ignoreSearch: true })) || (await cache.match(FIELD)) || Response.error();
  }
}

async function kept(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(kept(request));
  }
});
