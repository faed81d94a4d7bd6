// memseed's shared script: the theme switch, instant search (/ or Ctrl+K) with results
// while typing, the keyboard help sheet (?), and the service worker that keeps visited
// pages for offline use. Every page works without it; this only makes them quicker.
(function () {
  'use strict';

  // Theme: follows the system until the person picks one; the pick is remembered.
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem('memseed-theme');
    if (saved === 'dark' || saved === 'light') root.setAttribute('data-theme', saved);
  } catch (_) { /* storage may be off */ }

  /** Whether the element takes typed text. */
  function typing(el) {
    return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
  }
  window.memseed = { typing: typing };

  // Keeps visited pages for offline use (browsers allow a worker on localhost and over
  // HTTPS). Once the page has loaded and the browser is idle, the page keeps a copy of
  // itself in the worker's cache: no second request, and the worker never stands between
  // the server and the first byte (see sw.js).
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register('/sw.js').catch(function () { /* not a secure context */ });
      var ok = !document.querySelector('.problem') && window.caches;
      if (!ok) return;
      var keep = function () {
        var html = '<!doctype html>\n' + document.documentElement.outerHTML;
        caches.open('memseed-pages').then(function (c) {
          return c.put(location.href, new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
        }).catch(function () { /* storage full or off */ });
      };
      if (window.requestIdleCallback) requestIdleCallback(keep, { timeout: 4000 }); else setTimeout(keep, 1500);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var t = document.getElementById('theme-toggle');
    if (t) t.addEventListener('click', function () {
      var dark = root.getAttribute('data-theme') === 'dark' ||
        (!root.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
      var next = dark ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem('memseed-theme', next); } catch (_) { /* ignore */ }
    });
    Array.prototype.forEach.call(document.querySelectorAll('.js-hide'), function (el) { el.hidden = true; });
    search();
    help();
  });

  // ---- instant search ----------------------------------------------------------------
  function search() {
    var box = document.getElementById('search-box');
    var pop = document.getElementById('search-pop');
    var list = document.getElementById('search-list');
    var more = document.getElementById('search-more');
    if (!box || !pop || !list) return;
    var active = -1, timer = null, seq = 0, items = [];

    document.addEventListener('keydown', function (e) {
      var k = e.key;
      if ((k === 'k' || k === 'K') && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault(); box.focus(); box.select(); return;
      }
      if (k === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
        e.preventDefault(); box.focus(); box.select();
      }
    });

    function close() {
      pop.hidden = true; box.setAttribute('aria-expanded', 'false');
      box.removeAttribute('aria-activedescendant'); active = -1;
    }
    function setActive(i) {
      var opts = list.querySelectorAll('[role=option]');
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      Array.prototype.forEach.call(opts, function (o, j) { o.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      box.setAttribute('aria-activedescendant', opts[active].id);
      opts[active].scrollIntoView({ block: 'nearest' });
    }
    function option(id, html, url) {
      var li = document.createElement('li');
      li.id = id; li.setAttribute('role', 'option'); li.setAttribute('aria-selected', 'false');
      li.dataset.url = url;
      li.innerHTML = html; // server-made HTML: prose escaped, <mark> and <code> only
      li.addEventListener('mousedown', function (e) { e.preventDefault(); location.href = url; });
      return li;
    }
    function show(res) {
      list.textContent = ''; items = res.hits; active = -1;
      box.removeAttribute('aria-activedescendant');
      res.hits.forEach(function (h, i) {
        list.appendChild(option('sr-' + i,
          '<span class="sr-title">' + h.title_html + '</span><span class="sr-meta">' + escapeText(h.topic + ' · ' + h.kind) + '</span>' +
          '<span class="sr-line">' + h.line_html + '</span>', h.url));
      });
      if (!res.hits.length) {
        res.suggestions.forEach(function (s, i) {
          list.appendChild(option('sr-s' + i, 'Did you mean <strong>' + escapeText(s) + '</strong>?', '/search?q=' + encodeURIComponent(s)));
        });
      }
      more.textContent = '';
      var a = document.createElement('a');
      a.href = res.more;
      a.textContent = res.total ? (res.total > res.hits.length ? 'All ' + res.total + ' results' : res.total + (res.total === 1 ? ' result' : ' results')) :
        'No match for \u201c' + res.query + '\u201d' + (res.suggestions.length ? '' : ': try fewer words');
      more.appendChild(a);
      if (res.study) {
        more.appendChild(document.createTextNode(' \u00b7 '));
        var st = document.createElement('a'); st.href = res.study; st.textContent = 'Study these';
        more.appendChild(st);
      }
      pop.hidden = false; box.setAttribute('aria-expanded', 'true');
    }
    function escapeText(s) { var d = document.createElement('span'); d.textContent = s; return d.innerHTML; }
    function query() {
      var q = box.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      fetch('/api/search?q=' + encodeURIComponent(q))
        .then(function (r) { return r.json(); })
        .then(function (res) { if (mine === seq && box.value.trim() === q) show(res); })
        .catch(function () { /* offline: the form still submits */ });
    }
    box.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(query, 60); });
    box.addEventListener('focus', function () { if (box.value.trim() && list.childElementCount) { pop.hidden = false; box.setAttribute('aria-expanded', 'true'); } });
    box.addEventListener('blur', function () { setTimeout(close, 150); });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); if (pop.hidden) query(); else setActive(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); setActive(active - 1); }
      else if (e.key === 'Escape') { if (!pop.hidden) { e.preventDefault(); close(); } else { box.blur(); } }
      else if (e.key === 'Enter' && active >= 0) {
        var o = list.querySelectorAll('[role=option]')[active];
        if (o) { e.preventDefault(); location.href = o.dataset.url; }
      }
    });
  }

  // ---- keyboard help -----------------------------------------------------------------
  function help() {
    var dlg = document.getElementById('help');
    var open = document.getElementById('help-open');
    if (!dlg || !dlg.showModal) return;
    function show() { if (!dlg.open) dlg.showModal(); }
    if (open) open.addEventListener('click', show);
    document.addEventListener('keydown', function (e) {
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) { e.preventDefault(); show(); }
    });
  }
})();
