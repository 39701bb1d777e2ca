// Exposure's service worker: after the first visit the page loads with no network at all.
//
// scripts/post-build.mjs writes the real VERSION and ASSETS at build time (a hash of every
// file of the build and of this template, and the files' names). Each version has a cache of
// its own, and a version only takes over once its cache holds the whole build:
//
// * Install fetches every file of this version past the browser's HTTP cache, then checks
//   that the index.html it got belongs with the files it got (below). If anything is missing
//   or does not match, the install fails: the worker already in charge, and its cache, stay.
//   (Taking `./` from the HTTP cache once filled a new cache with the previous build's page,
//   whose files were gone once the old cache was deleted: offline, the page never started.)
// * Activate (only ever after a successful install) deletes the caches of older versions.
// * Page loads (navigations) go to the network first, revalidating anything the HTTP cache
//   holds, so an online visit always gets the build the server has now; with no network they
//   get this version's cached page, which names only files in this version's cache.
// * Everything else the page asks for is served from this version's cache; Trunk puts a
//   content hash in every file name, so a cached file can never be stale. Anything not in the
//   cache goes to the network untouched: that is how a page of a newer build, served online
//   while this worker is still in charge, gets its files. Nothing is ever sent anywhere else:
//   the app makes no requests to other origins, and this worker ignores them.
'use strict';

const VERSION = '__EXPOSURE_VERSION__';
const ASSETS = __EXPOSURE_ASSETS__;
const CACHE = `exposure-${VERSION}`;
const PAGE = new URL('./', self.location).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    fill().catch(async (error) => {
      // Leave nothing half-made behind; failing the install keeps the current worker.
      await caches.delete(CACHE);
      throw error;
    }),
  );
});

/** Fetches every file of this version into its cache, then checks the result. */
async function fill() {
  const cache = await caches.open(CACHE);
  await Promise.all(
    ASSETS.map(async (asset) => {
      const url = new URL(asset, self.location).href;
      // 'reload': straight from the server, whatever the HTTP cache holds (it keeps files by
      // heuristics when the server sends no Cache-Control), and the HTTP cache is refreshed.
      let response = await fetch(url, { cache: 'reload' });
      if (!response.ok) throw new Error(`sw ${VERSION}: ${url}: HTTP ${response.status}`);
      if (response.redirected) {
        // A browser refuses a redirected response as the answer to a page load; keep the
        // content only.
        response = new Response(await response.blob(), {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      await cache.put(url, response);
    }),
  );
  // Checked from the cache as stored, opened again by name: what is checked is what the
  // fetch handler will serve.
  await verify(await caches.open(CACHE));
}

/**
 * Throws unless the cached page belongs to this version: every file of this origin that it
 * names (src= and href= attributes, and the files the inline loader imports) is one of
 * ASSETS and is in the cache, every file of ASSETS at the top level (where Trunk writes the
 * files the page links) is named, and each file the page gives an integrity hash for has
 * exactly those bytes. A page of another build names other hashed files and fails.
 */
async function verify(cache) {
  const page = await cache.match(PAGE);
  if (!page) throw new Error(`sw ${VERSION}: ${PAGE} is not in the cache`);
  const html = await page.text();
  const own = new Set(ASSETS.map((a) => new URL(a, self.location).href));
  own.delete(PAGE);
  const named = namedFiles(html);
  for (const url of named) {
    if (!own.has(url)) throw new Error(`sw ${VERSION}: the page names ${url}, not a file of this version`);
    if (!(await cache.match(url))) throw new Error(`sw ${VERSION}: ${url} is not in the cache`);
  }
  for (const url of own) {
    const topLevel = !url.slice(PAGE.length).includes('/');
    if (topLevel && !named.has(url)) throw new Error(`sw ${VERSION}: the page does not name ${url}`);
  }
  for (const [url, integrity] of integrities(html)) {
    const body = await (await cache.match(url)).arrayBuffer();
    if (!(await matchesIntegrity(body, integrity))) {
      throw new Error(`sw ${VERSION}: ${url} does not match the page's integrity hash`);
    }
  }
}

/** The files of this origin that a page names, as absolute URLs (the page itself left out). */
function namedFiles(html) {
  const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
  // Trunk's inline loader imports the JavaScript and passes the wasm file by name.
  for (const script of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    for (const m of script[1].matchAll(/["'`]([^"'`\s]+\.(?:m?js|wasm|css))["'`]/g)) refs.push(m[1]);
  }
  const urls = new Set();
  for (const ref of refs) {
    const url = new URL(ref, PAGE);
    url.hash = '';
    // data: and other origins have nothing to cache here.
    if (url.origin === self.location.origin && url.href !== PAGE) urls.add(url.href);
  }
  return urls;
}

/** [url, integrity] for each element of the page with both an href/src and an integrity. */
function integrities(html) {
  const out = [];
  for (const tag of html.matchAll(/<(?:link|script)\b[^>]*>/gi)) {
    const ref = tag[0].match(/\b(?:href|src)\s*=\s*["']([^"']+)["']/i);
    const integrity = tag[0].match(/\bintegrity\s*=\s*["']([^"']+)["']/i);
    if (!ref || !integrity) continue;
    const url = new URL(ref[1], PAGE);
    if (url.origin === self.location.origin) out.push([url.href, integrity[1]]);
  }
  return out;
}

/** Whether `body` has one of the hashes of an integrity attribute ("sha384-… sha256-…"). */
async function matchesIntegrity(body, integrity) {
  const algorithms = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
  for (const token of integrity.trim().split(/\s+/)) {
    const [, name, expected] = token.match(/^(sha256|sha384|sha512)-([A-Za-z0-9+/=]+)/) ?? [];
    if (!name) continue;
    const digest = new Uint8Array(await crypto.subtle.digest(algorithms[name], body));
    if (btoa(String.fromCharCode(...digest)) === expected) return true;
  }
  return false;
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // This version's cache is complete and checked (install succeeded), so older ones can
      // go. Unless a newer version is installing at this moment: its cache is being filled
      // and must stay; whatever is left over is deleted at the next activation.
      if (!self.registration.installing) {
        const keys = await caches.keys();
        await Promise.all(
          keys.filter((k) => k.startsWith('exposure-') && k !== CACHE).map((k) => caches.delete(k)),
        );
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(
      // 'no-cache': the HTTP cache may answer only after the server confirms it is current,
      // so a page kept by heuristics never stands in for a newer build.
      fetch(request, { cache: 'no-cache' }).catch(() =>
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
