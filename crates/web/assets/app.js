// memseed's one script: "/" to search, the theme switch, and Compression Mode's live
// budget slider. Every page works without it; this only makes them quicker to use.
(function () {
  'use strict';

  function typing(el) {
    return el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
  }

  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
      var box = document.getElementById('search-box');
      if (box) { e.preventDefault(); box.focus(); box.select(); }
    }
  });

  // Theme: follows the system until the person picks one; the pick is remembered.
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem('memseed-theme');
    if (saved === 'dark' || saved === 'light') root.setAttribute('data-theme', saved);
  } catch (_) { /* storage may be off */ }
  document.addEventListener('DOMContentLoaded', function () {
    var t = document.getElementById('theme-toggle');
    if (t) t.addEventListener('click', function () {
      var dark = root.getAttribute('data-theme') === 'dark' ||
        (!root.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
      var next = dark ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem('memseed-theme', next); } catch (_) { /* ignore */ }
    });
    compressMode();
    studyPage();
  });

  // Study: Space shows the answer, 1-4 rate once it is shown.
  function studyPage() {
    var reveal = document.getElementById('reveal');
    if (!reveal) return;
    document.addEventListener('keydown', function (e) {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if ((e.key === ' ' || e.key === 'Enter') && !reveal.open) {
        e.preventDefault();
        reveal.open = true;
        var first = reveal.querySelector('button[data-key="3"]');
        if (first) first.focus();
      } else if (reveal.open && /^[1-4]$/.test(e.key)) {
        var b = reveal.querySelector('button[data-key="' + e.key + '"]');
        if (b) { e.preventDefault(); b.click(); }
      }
    });
  }

  function compressMode() {
    var page = document.getElementById('compress');
    if (!page) return;
    var slug = page.getAttribute('data-slug');
    var min = Number(page.getAttribute('data-min'));
    var max = Number(page.getAttribute('data-max'));
    var range = document.getElementById('budget-range');
    var box = document.getElementById('budget-box');
    var err = document.getElementById('budget-error');
    var textArea = document.getElementById('card-text');
    var encoder = new TextEncoder();
    var decoder = new TextDecoder();
    var inFlight = false, pending = null;

    function budgetAt(pos) { return Math.round(min * Math.pow(max / min, pos / 1000)); }
    function posOf(budget) {
      var b = Math.min(Math.max(budget, min), max);
      return Math.log(b / min) / Math.log(max / min);
    }
    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    }

    function request(budget) {
      if (inFlight) { pending = budget; return; }
      inFlight = true;
      fetch('/api/topics/' + encodeURIComponent(slug) + '/compress?budget=' + encodeURIComponent(budget))
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
        .then(function (res) {
          if (res.ok) { err.textContent = ''; show(res.body); }
          else { err.textContent = res.body.error.message + ' ' + res.body.error.hint; }
        })
        .catch(function () { err.textContent = 'memseed did not answer; is the server still running?'; })
        .then(function () {
          inFlight = false;
          if (pending !== null) { var b = pending; pending = null; request(b); }
        });
    }

    // Cuts the card's text by the byte sizes the report gives, as the server does.
    function renderCard(report) {
      var bytes = encoder.encode(report.text);
      var pos = 0;
      function take(n) { var s = decoder.decode(bytes.subarray(pos, pos + n)); pos += n; return s; }
      var card = el('div', 'card');
      card.id = 'card';
      card.setAttribute('aria-live', 'polite');
      var kept = report.kept, k = 0;
      report.sections.forEach(function (s, i) {
        if (i === 0) { card.appendChild(el('p', 'card-title', take(s.bytes).replace(/\s+$/, ''))); return; }
        var itemBytes = 0;
        kept.forEach(function (it) { if (it.section === s.id) itemBytes += it.bytes; });
        take(s.bytes - itemBytes);
        var sec = el('section', 'card-section sec-' + s.id);
        var h = el('h3');
        h.appendChild(el('span', 'label', s.label));
        h.appendChild(document.createTextNode(' '));
        h.appendChild(el('span', 'size', '\u00b7 ' + s.size));
        sec.appendChild(h);
        var entries = el('div', 'entries');
        while (k < kept.length && kept[k].section === s.id) {
          var it = kept[k++];
          var body = take(it.bytes);
          var entry = el('div', 'entry kind-' + it.kind);
          if (it.kind === 'concept' && body.indexOf(it.title) === 0) {
            var a = el('a', null, it.title);
            a.href = '/topics/' + encodeURIComponent(slug) + '/concepts/' + encodeURIComponent(it.id);
            entry.appendChild(a);
            entry.appendChild(document.createTextNode(body.slice(it.title.length)));
          } else {
            entry.textContent = body;
          }
          entries.appendChild(entry);
        }
        sec.appendChild(entries);
        card.appendChild(sec);
      });
      return card;
    }

    function show(report) {
      document.getElementById('total-size').textContent = report.size;
      document.getElementById('total-bytes').textContent = report.size_exact;
      document.getElementById('value-share').textContent = Math.round(report.value_share * 100) + '%';
      document.getElementById('lost-summary').textContent = report.lost.summary;
      var old = document.getElementById('card');
      old.parentNode.replaceChild(renderCard(report), old);
      textArea.value = report.text;
      document.getElementById('copy-status').textContent = '';
      var x = (posOf(report.budget) * 600).toFixed(1);
      var y = (120 - report.value_share * 100).toFixed(1);
      var m = document.getElementById('curve-marker');
      m.setAttribute('x1', x); m.setAttribute('x2', x);
      var d = document.getElementById('curve-dot');
      d.setAttribute('cx', x); d.setAttribute('cy', y);
      range.setAttribute('aria-valuetext', report.size + ', ' + report.size_exact);
      var q = 'budget=' + report.budget;
      document.getElementById('dl-md').href = '/api/topics/' + encodeURIComponent(slug) + '/compress?' + q + '&format=md&download=1';
      document.getElementById('dl-json').href = '/api/topics/' + encodeURIComponent(slug) + '/compress?' + q + '&format=json&download=1';
      document.getElementById('dl-png').href = '/api/topics/' + encodeURIComponent(slug) + '/card.png?' + q;
      history.replaceState(null, '', '/compress?topic=' + encodeURIComponent(slug) + '&' + q);
      document.title = 'Compress ' + report.title + ' to ' + report.size + ' \u2014 memseed';
      page.setAttribute('data-budget', String(report.budget));
      page.setAttribute('data-bytes', String(report.bytes));
    }

    range.addEventListener('input', function () {
      var b = budgetAt(Number(range.value));
      box.value = String(b);
      request(b);
    });
    box.form.addEventListener('submit', function (e) {
      e.preventDefault();
      submitBox();
    });
    function submitBox() {
      var v = box.value.trim();
      if (!v) return;
      fetch('/api/topics/' + encodeURIComponent(slug) + '/compress?budget=' + encodeURIComponent(v))
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
        .then(function (res) {
          if (!res.ok) { err.textContent = res.body.error.message + ' ' + res.body.error.hint; return; }
          err.textContent = '';
          range.value = String(Math.round(posOf(res.body.budget) * 1000));
          show(res.body);
        });
    }
    box.addEventListener('change', submitBox);
    document.getElementById('topic-pick').addEventListener('change', function (e) {
      var b = page.getAttribute('data-budget') || box.value;
      window.location.href = '/compress?topic=' + encodeURIComponent(e.target.value) + '&budget=' + encodeURIComponent(b);
    });
    Array.prototype.forEach.call(document.querySelectorAll('.preset'), function (p) {
      p.addEventListener('click', function (e) {
        e.preventDefault();
        var b = Number(p.getAttribute('data-budget'));
        box.value = String(b);
        range.value = String(Math.round(posOf(b) * 1000));
        request(b);
      });
    });
    document.getElementById('copy-text').addEventListener('click', function () {
      var status = document.getElementById('copy-status');
      var text = textArea.value;
      var done = function () { status.textContent = 'Copied ' + encoder.encode(text).length + ' bytes'; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(); done(); });
      } else { fallbackCopy(); done(); }
    });
    function fallbackCopy() {
      textArea.removeAttribute('aria-hidden');
      textArea.select();
      try { document.execCommand('copy'); } catch (_) { /* ignore */ }
      textArea.setAttribute('aria-hidden', 'true');
    }
  }
})();
