// Study: Space or Enter shows the answer, 1-4 rate it and Ctrl+Z undoes the last rating,
// but only when focus is on the page or the card itself: on a link, a button, a box or the
// answer's own toggle, keys do their usual job. The done screen reloads itself when the
// next card falls due.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var note = document.getElementById('anchor-note');
    if (note) {
      // The word is explained the first time; after that the note stays out of the way.
      try {
        if (localStorage.getItem('memseed-anchor-note') === 'seen') note.hidden = true;
        else localStorage.setItem('memseed-anchor-note', 'seen');
      } catch (_) { /* storage off: keep showing it */ }
    }
    var done = document.getElementById('done');
    if (done && done.dataset.nextIn) {
      var secs = Number(done.dataset.nextIn);
      if (secs > 0 && secs < 3600) setTimeout(function () { location.reload(); }, (secs + 1) * 1000);
    }
    var reveal = document.getElementById('reveal');
    var flash = document.getElementById('flash');
    var controls = 'a, button, input, select, textarea, summary, [contenteditable], [tabindex]:not([tabindex="-1"])';
    function free(target) {
      return target === document.body || target === document.documentElement ||
        (!!flash && flash.contains(target) && !target.closest(controls));
    }
    // Ctrl+Z (Cmd+Z) undoes the last rating, under the same rule as the study keys: focus
    // on the page, the card or a rating button; in a box or on a control it does its own job.
    var undo = document.getElementById('undo-form');
    var undoing = false;
    document.addEventListener('keydown', function (e) {
      if (!undo || undoing || e.defaultPrevented || e.altKey || e.shiftKey) return;
      if (!(e.ctrlKey || e.metaKey) || (e.key !== 'z' && e.key !== 'Z')) return;
      var t = e.target;
      if (!free(t) && !(t.closest && t.closest('.rate'))) return;
      e.preventDefault();
      undoing = true; // one press, one undo
      undo.requestSubmit();
    });
    if (!reveal || !flash) return;
    document.addEventListener('keydown', function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      if ((e.key === ' ' || e.key === 'Enter') && !reveal.open && free(t)) {
        e.preventDefault();
        reveal.open = true;
        var good = reveal.querySelector('button[data-key="3"]');
        if (good) good.focus({ preventScroll: true });
      } else if (reveal.open && /^[1-4]$/.test(e.key) && (free(t) || (t.closest && t.closest('.rate')))) {
        var b = reveal.querySelector('button[data-key="' + e.key + '"]');
        if (b) { e.preventDefault(); b.click(); }
      }
    });
  });
})();
