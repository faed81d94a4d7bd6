// memseed's service worker: the app works offline with the pages a person has visited.
//
// Online it should cost nothing. Where the browser can route requests without waking the
// worker (Chrome's static routing), the API goes straight to the network, and pages and
// assets race the network against the worker: online the network wins, offline the
// worker answers from its cache. Pages are kept by the page itself once it has loaded
// (app.js), off the path of the first byte. Elsewhere the worker fetches pages from the
// network first and keeps them. Nothing is ever posted from here.
'use strict';
var VERSION = '__VERSION__';
var ASSETS = __ASSETS__;
var STATIC = 'memseed-static-' + VERSION;
var PAGES = 'memseed-pages';
var ROUTED = typeof InstallEvent !== 'undefined' && 'addRoutes' in InstallEvent.prototype;

self.addEventListener('install', function (e) {
  if (ROUTED) {
    var race = 'race-network-and-fetch-handler';
    e.addRoutes([
      { condition: { urlPattern: new URLPattern({ pathname: '/api/*' }) }, source: 'network' },
      { condition: { requestMode: 'navigate' }, source: race },
      { condition: { urlPattern: new URLPattern({ pathname: '/assets/*' }) }, source: race },
      { condition: { urlPattern: new URLPattern({ pathname: '/icons/*' }) }, source: race },
    ]).catch(function () { /* routing is an optimisation */ });
  }
  e.waitUntil(caches.open(STATIC).then(function (c) { return c.addAll(ASSETS.concat(['/offline'])); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('memseed-static-') === 0 && k !== STATIC; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () {
    return !ROUTED && self.registration.navigationPreload ? self.registration.navigationPreload.enable() : null;
  }).then(function () { return self.clients.claim(); }));
});

function offlineCopy(req) {
  return caches.match(req).then(function (hit) { return hit || caches.match('/offline'); });
}

function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

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
  if (req.mode !== 'navigate') return;
  if (ROUTED) {
    // Racing the network: answer only when it has not, from what was kept.
    e.respondWith((self.navigator.onLine ? sleep(1500) : Promise.resolve()).then(function () { return offlineCopy(req); }));
    return;
  }
  e.respondWith((e.preloadResponse || Promise.resolve(null))
    .then(function (pre) { return pre || fetch(req); })
    .then(function (res) {
      if (res && res.ok && res.type === 'basic') {
        var copy = res.clone();
        caches.open(PAGES).then(function (c) { return c.put(req, copy); });
      }
      return res;
    })
    .catch(function () { return offlineCopy(req); }));
});
