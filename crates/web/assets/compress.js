// Compression Mode: the live budget slider (a step is 1/12 octave, about 6%), the box, the
// presets with their pressed state, the share card's theme with its preview, copy and
// share. The server renders the card: each move asks /api/topics/{slug}/view, which sends
// it as HTML, so the page and the server draw it the same way.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var page = document.getElementById('compress');
    if (!page) return;
    var slug = page.getAttribute('data-slug');
    var min = Number(page.getAttribute('data-min'));
    var max = Number(page.getAttribute('data-max'));
    var steps = Number(page.getAttribute('data-steps'));
    var range = document.getElementById('budget-range');
    var box = document.getElementById('budget-box');
    var err = document.getElementById('budget-error');
    var status = document.getElementById('cm-status');
    var textArea = document.getElementById('card-text');
    var preview = document.getElementById('png-preview');
    var encoder = new TextEncoder();
    var inFlight = false, pending = null, previewTimer = null, last = null;
    var api = '/api/topics/' + encodeURIComponent(slug);

    function budgetAt(pos) { return Math.round(min * Math.pow(max / min, pos / steps)); }
    function posOf(budget) {
      var b = Math.min(Math.max(budget, min), max);
      return Math.round(Math.log(b / min) / Math.log(max / min) * steps);
    }
    var forMe = document.getElementById('for-me');
    function mine() { return forMe && forMe.checked ? '&for_me=1' : ''; }
    function theme() {
      var light = document.getElementById('png-light');
      return light && light.checked ? 'light' : 'dark';
    }

    function fail(message) {
      err.textContent = message;
      box.setAttribute('aria-invalid', 'true');
    }
    function ok() {
      err.textContent = '';
      box.removeAttribute('aria-invalid');
    }

    // One request at a time; while one is out, only the latest budget waits.
    function request(budget, fromBox) {
      if (inFlight) { pending = { budget: budget, fromBox: fromBox }; return; }
      inFlight = true;
      fetch(api + '/view?theme=' + theme() + '&budget=' + encodeURIComponent(budget) + mine())
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
        .then(function (res) {
          if (!res.ok) { fail(res.body.error.message); return; }
          ok();
          if (fromBox) range.value = String(posOf(res.body.budget));
          show(res.body);
        })
        .catch(function () { fail('memseed did not answer: is the server still running?'); })
        .then(function () {
          inFlight = false;
          if (pending !== null) { var p = pending; pending = null; request(p.budget, p.fromBox); }
        });
    }

    function pngUrl(budget) { return api + '/card.png?budget=' + budget + '&theme=' + theme() + mine(); }

    function show(v) {
      last = v;
      document.getElementById('total-size').textContent = v.size;
      document.getElementById('total-bytes').textContent = v.size_exact;
      document.getElementById('value-share').textContent = v.share;
      document.getElementById('lost-summary').textContent = v.lost;
      var tpl = document.createElement('template');
      tpl.innerHTML = v.card_html; // rendered by the server: pack prose escaped
      var fresh = tpl.content.querySelector('.card');
      var old = document.getElementById('card');
      if (fresh && old) old.parentNode.replaceChild(fresh, old);
      textArea.value = v.text;
      document.getElementById('copy-status').textContent = '';
      var x = (Math.log(Math.min(Math.max(v.budget, min), max) / min) / Math.log(max / min) * 600).toFixed(1);
      var y = (120 - v.value_share * 100).toFixed(1);
      var m = document.getElementById('curve-marker');
      m.setAttribute('x1', x); m.setAttribute('x2', x);
      var d = document.getElementById('curve-dot');
      d.setAttribute('cx', x); d.setAttribute('cy', y);
      range.setAttribute('aria-valuetext', v.size + ', ' + v.size_exact);
      document.getElementById('dl-md').href = v.links.md;
      document.getElementById('dl-json').href = v.links.json;
      document.getElementById('dl-anki').href = v.links.anki;
      document.getElementById('study-these').href = v.links.study;
      document.getElementById('reconstruct-these').href = v.links.reconstruct;
      document.getElementById('theme-budget').value = String(v.budget);
      setPng(v.budget, false);
      Array.prototype.forEach.call(document.querySelectorAll('.preset'), function (p) {
        p.setAttribute('aria-pressed', Number(p.getAttribute('data-budget')) === v.budget ? 'true' : 'false');
      });
      status.textContent = v.status;
      if (forMe) {
        document.getElementById('for-me-note').textContent = v.for_me_note || '';
      }
      history.replaceState(null, '', '/compress?topic=' + encodeURIComponent(slug) + '&budget=' + v.budget +
        (theme() === 'light' ? '&theme=light' : '') + mine());
      document.title = 'Compress ' + v.title + ' to ' + v.size + ' \u2014 memseed';
      page.setAttribute('data-budget', String(v.budget));
      page.setAttribute('data-bytes', String(v.bytes));
    }

    // The download link follows at once; the preview (a drawn PNG) once the slider rests.
    function setPng(budget, now) {
      var url = pngUrl(budget);
      document.getElementById('dl-png').href = url;
      document.getElementById('png-link').href = url;
      clearTimeout(previewTimer);
      var apply = function () {
        if (preview.getAttribute('src') !== url) {
          preview.src = url;
          preview.alt = 'The share card: ' + (last ? last.title + ' at ' + last.size : '') + ', ' + theme() + ' theme';
        }
      };
      if (now) apply(); else previewTimer = setTimeout(apply, 450);
    }

    range.addEventListener('input', function () {
      var b = budgetAt(Number(range.value));
      box.value = String(b);
      request(b, false);
    });
    box.form.addEventListener('submit', function (e) {
      e.preventDefault();
      var sub = e.submitter;
      if (sub && sub.classList.contains('preset')) return;
      var v = box.value.trim();
      if (!v) { fail('Type a budget. Try 2257 or 6KB.'); return; }
      request(v, true);
    });
    box.addEventListener('change', function () { var v = box.value.trim(); if (v) request(v, true); });
    document.getElementById('topic-pick').addEventListener('change', function (e) {
      var b = page.getAttribute('data-budget') || box.value;
      window.location.href = '/compress?topic=' + encodeURIComponent(e.target.value) + '&budget=' + encodeURIComponent(b) + mine();
    });
    Array.prototype.forEach.call(document.querySelectorAll('.preset'), function (p) {
      p.addEventListener('click', function (e) {
        e.preventDefault();
        var b = Number(p.getAttribute('data-budget'));
        box.value = String(b);
        range.value = String(posOf(b));
        request(b, false);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('input[name=theme]'), function (r) {
      r.addEventListener('change', function () {
        page.setAttribute('data-theme', theme());
        setPng(Number(page.getAttribute('data-budget')), true);
        history.replaceState(null, '', '/compress?topic=' + encodeURIComponent(slug) + '&budget=' +
          page.getAttribute('data-budget') + (theme() === 'light' ? '&theme=light' : '') + mine());
      });
    });
    // "For me": the same budget, the person's card (the server says when there is no history).
    if (forMe) {
      forMe.addEventListener('change', function () {
        var hidden = document.getElementById('theme-for-me');
        if (forMe.checked && !hidden) {
          hidden = document.createElement('input');
          hidden.type = 'hidden'; hidden.name = 'for_me'; hidden.value = '1'; hidden.id = 'theme-for-me';
          document.getElementById('theme-budget').after(hidden);
        } else if (!forMe.checked && hidden) { hidden.remove(); }
        request(Number(page.getAttribute('data-budget')), false);
      });
    }

    document.getElementById('copy-text').addEventListener('click', function () {
      var out = document.getElementById('copy-status');
      var text = textArea.value;
      copy(text, function () { out.textContent = 'Copied ' + encoder.encode(text).length + ' bytes'; });
    });
    // The text lives in a hidden textarea (drawing a big one costs a frame); the fallback
    // copies from a temporary one.
    function copy(text, done) {
      var fallback = function () {
        var t = document.createElement('textarea');
        t.value = text; t.setAttribute('readonly', ''); t.className = 'sr-only';
        document.body.appendChild(t); t.select();
        try { document.execCommand('copy'); } catch (_) { /* ignore */ }
        document.body.removeChild(t);
        done();
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else { fallback(); }
    }

    // Share: the image itself where the browser can share files, else the link; where
    // there is no Web Share API, copy the link.
    document.getElementById('share-card').addEventListener('click', function () {
      var out = document.getElementById('share-status');
      var link = location.href;
      var title = document.title;
      if (navigator.share) {
        fetch(pngUrl(Number(page.getAttribute('data-budget'))))
          .then(function (r) { return r.blob(); })
          .then(function (blob) {
            var file = new File([blob], 'memseed-' + slug + '.png', { type: 'image/png' });
            var data = navigator.canShare && navigator.canShare({ files: [file] }) ?
              { files: [file], title: title, url: link } : { title: title, url: link };
            return navigator.share(data);
          })
          .then(function () { out.textContent = 'Shared'; }, function () { out.textContent = ''; });
      } else {
        copy(link, function () { out.textContent = 'Link copied: ' + link; });
      }
    });
  });
})();
