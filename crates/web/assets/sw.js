// memseed's service worker: the app works offline with the pages a person has visited.
// Pages and the card views are fetched from the network first and kept; offline, the kept
// copy answers, or a page that says so. Assets carry their version in the URL, so they
// are answered from the cache. Nothing is ever posted from here: ratings go to the server.
'use strict';
var VERSION = '__VERSION__';
var ASSETS = __ASSETS__;
var STATIC = 'memseed-static-' + VERSION;
var PAGES = 'memseed-pages';

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(STATIC).then(function (c) { return c.addAll(ASSETS.concat(['/offline'])); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('memseed-static-') === 0 && k !== STATIC; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () {
    return self.registration.navigationPreload ? self.registration.navigationPreload.enable() : null;
  }).then(function () { return self.clients.claim(); }));
});

function keep(req, res) {
  if (res && res.ok && res.type === 'basic') {
    var copy = res.clone();
    caches.open(PAGES).then(function (c) { return c.put(req, copy); });
  }
  return res;
}

self.addEventListener('fetch', function (e) {
  var req = e.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf('/assets/') === 0 || url.pathname.indexOf('/icons/') === 0) {
    e.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        if (res.ok) { var copy = res.clone(); caches.open(STATIC).then(function (c) { return c.put(req, copy); }); }
        return res;
      });
    }));
    return;
  }
  var page = req.mode === 'navigate';
  var view = /^\/api\/topics\/[^/]+\/view$/.test(url.pathname);
  if (!page && !view) return;
  e.respondWith((page && e.preloadResponse ? e.preloadResponse : Promise.resolve(null))
    .then(function (pre) { return pre || fetch(req); })
    .then(function (res) { return keep(req, res); })
    .catch(function () {
      return caches.match(req).then(function (hit) {
        return hit || (page ? caches.match('/offline') : new Response(
          JSON.stringify({ error: { status: 503, message: 'You are offline, and this budget was not seen before.' } }),
          { status: 503, headers: { 'Content-Type': 'application/json' } }));
      });
    }));
});
