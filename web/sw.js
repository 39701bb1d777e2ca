// Exposure's service worker: after the first visit the page loads with no network at all.
//
// scripts/post-build.mjs writes the real VERSION and ASSETS at build time (a hash of every
// file of the build, and their names). One cache per version, filled completely at install:
// a page is only ever served files of one build, never a mix of two.
//
// * Page loads (navigations) go to the network first, so an online reload always gets the
//   newest build; with no network they get this version's cached page.
// * Everything else the page asks for is served from this version's cache; Trunk puts a
//   content hash in every file name, so a cached file can never be stale. Anything not in the
//   cache goes to the network untouched. Nothing is ever sent anywhere else: the app makes no
//   requests to other origins, and this worker ignores them.
// * When a new version activates it deletes the caches of the old ones.
'use strict';

const VERSION = '__EXPOSURE_VERSION__';
const ASSETS = __EXPOSURE_ASSETS__;
const CACHE = `exposure-${VERSION}`;
const PAGE = new URL('./', self.location).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('exposure-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) => cache.match(PAGE)).then((hit) => hit || Response.error()),
      ),
    );
    return;
  }
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(request))
      .then((hit) => hit || fetch(request)),
  );
});
