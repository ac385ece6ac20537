/* AccelAtlas explorer, plots page: a search that highlights the matching parts in every figure.
   Each part's SVG elements carry the id part<i>_<what> (harness.views.plots); matching is the
   name rule of the rest of the site (harness.resolve.normalise, substring). */
(function () {
  'use strict';
  var A = window.accelAtlas;
  var parts = JSON.parse(document.getElementById('parts').textContent);
  var input = document.getElementById('plot-q');
  var out = document.getElementById('plot-hits');
  var svgs = Array.prototype.slice.call(document.querySelectorAll('.plot svg'));

  function apply() {
    var needle = A.normalise(input.value);
    var hits = needle ? parts.filter(function (p) { return p.q.indexOf(needle) >= 0; }) : [];
    svgs.forEach(function (svg) {
      svg.querySelectorAll('.hit').forEach(function (e) { e.classList.remove('hit'); });
      svg.classList.toggle('dimmed', needle.length > 0);
      hits.forEach(function (p) {
        svg.querySelectorAll('[id^="part' + p.i + '_"]').forEach(function (e) { e.classList.add('hit'); });
      });
    });
    out.replaceChildren();
    var params = new URLSearchParams();
    if (input.value) { params.set('q', input.value); }
    A.setParams(params);
    if (!needle) { return; }
    out.appendChild(document.createTextNode(hits.length ? 'Highlighted: ' : 'No accelerator matches.'));
    hits.forEach(function (p, k) {
      if (k) { out.appendChild(document.createTextNode(', ')); }
      var a = document.createElement('a');
      a.href = 'sku/' + p.slug + '.html';
      a.textContent = p.name;
      out.appendChild(a);
    });
  }
  input.addEventListener('input', apply);
  input.form.addEventListener('submit', function (e) { e.preventDefault(); });
  input.value = A.params().get('q') || '';
  apply();
})();
