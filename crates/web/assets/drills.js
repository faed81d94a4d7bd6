// Quiz and reconstruct: Space or Enter shows the answer; then Y or N grades a quiz answer
// and 1-4 rate a reconstructed concept. Only when focus is on the page or the card itself:
// on a link, a button, a box or a toggle, keys do their usual job (as on /study).
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var card = document.getElementById('drill-card');
    if (!card) return;
    var controls = 'a, button, input, select, textarea, summary, [contenteditable], [tabindex]:not([tabindex="-1"])';
    function free(target) {
      return target === document.body || target === document.documentElement ||
        (card.contains(target) && !target.closest(controls));
    }
    var grade = document.getElementById('grade-form');
    if (grade) {
      // One answer per question: a double click does not post it twice.
      var sent = false;
      grade.addEventListener('submit', function (e) {
        if (sent) e.preventDefault();
        sent = true;
      });
      var first = grade.querySelector('button[data-key="y"], button[data-key="3"]');
      if (first) first.focus({ preventScroll: true });
    }
    document.addEventListener('keydown', function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      var reveal = document.getElementById('show-answer');
      if (reveal && (e.key === ' ' || e.key === 'Enter') && free(t)) {
        e.preventDefault();
        reveal.click();
        return;
      }
      if (!grade || !(free(t) || (t.closest && t.closest('#grade-form')))) return;
      var k = e.key.toLowerCase();
      var b = /^[yn1-4]$/.test(k) && grade.querySelector('button[data-key="' + k + '"]');
      if (b) { e.preventDefault(); b.click(); }
    });
  });
})();
