// Reading pages: the interview page's question filter and "open every level", concept
// pages' [ and ] for the previous and next concept, and copy buttons for share links.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    // Interview: filter questions as you type; levels with a match open.
    var filter = document.getElementById('q-filter');
    if (filter) {
      var wrap = filter.closest('.iv-filter');
      if (wrap) wrap.hidden = false;
      var count = document.getElementById('q-filter-count');
      var qs = Array.prototype.slice.call(document.querySelectorAll('.level-group .q'));
      filter.addEventListener('input', function () {
        var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        qs.forEach(function (q) {
          var text = q.textContent.toLowerCase();
          var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
          q.hidden = !hit;
          if (hit) shown++;
        });
        Array.prototype.forEach.call(document.querySelectorAll('.level-group'), function (g) {
          var any = g.querySelector('.q:not([hidden])');
          if (words.length && any) g.open = true;
        });
        count.textContent = shown + (shown === 1 ? ' question' : ' questions');
      });
      var all = document.getElementById('expand-all');
      if (all) all.addEventListener('click', function () {
        Array.prototype.forEach.call(document.querySelectorAll('.level-group'), function (g) { g.open = true; });
      });
    }
    // Copy a share link.
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (b) {
      b.addEventListener('click', function () {
        var input = document.getElementById(b.getAttribute('data-copy'));
        var out = document.getElementById(b.id + '-status');
        var link = input.value;
        var done = function () { if (out) out.textContent = 'Link copied'; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(link).then(done, function () { input.select(); document.execCommand('copy'); done(); });
        } else { input.select(); try { document.execCommand('copy'); } catch (_) { /* ignore */ } done(); }
      });
    });
    // Compare: picking a concept compares at once.
    Array.prototype.forEach.call(document.querySelectorAll('.compare-pick select'), function (s) {
      s.addEventListener('change', function () {
        // A new topic starts from its own first pair.
        if (s.hasAttribute('data-resets')) {
          Array.prototype.forEach.call(s.form.querySelectorAll('select:not([data-resets])'), function (o) { o.disabled = true; });
        }
        s.form.submit();
      });
    });
  });
  // Concept pages: [ and ] for the previous and next concept.
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || (window.memseed && window.memseed.typing(e.target))) return;
    var id = e.key === '[' ? 'prev-concept' : e.key === ']' ? 'next-concept' : null;
    var a = id && document.getElementById(id);
    if (a) { e.preventDefault(); location.href = a.href; }
  });
})();
