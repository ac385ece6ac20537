/* AccelAtlas explorer, compare page. Every cell text, row label and ratio was produced by
   harness.views.table.Comparison (the code of `accel compare`) when the site was built; this
   script only picks the chosen columns and rows, loads the baseline's ratio file, and lists the
   markers and sources the shown cells use. The selection is kept in the hash: ids, baseline, preset. */
(function () {
  'use strict';
  var A = window.accelAtlas;
  var D = JSON.parse(document.getElementById('cmp-data').textContent);
  var MAX = 8;
  var byId = {};
  D.skus.forEach(function (s, i) { byId[s.id] = i; });
  var fieldInfo = {};
  D.fields.forEach(function (f) { fieldInfo[f.f] = f; });
  var ratios = {};   /* baseline id -> {label, rows} */
  var pending = {};
  var state = {ids: [], baseline: '', preset: 'overview'};
  var el = function (id) { return document.getElementById(id); };

  window.accelAtlasRatios = function (doc) {
    ratios[doc.baseline] = doc;
    delete pending[doc.baseline];
    render();
  };

  function loadRatios(b) {
    if (ratios[b] || pending[b]) { return; }
    pending[b] = true;
    var s = document.createElement('script');
    s.src = 'compare/ratios/' + D.skus[byId[b]].slug + '.js';
    s.onerror = function () { delete pending[b]; el('cmp-status').textContent = 'could not load the ratios for ' + b; };
    document.head.appendChild(s);
  }

  var add = A.add;

  function fromHash() {
    var p = A.params();
    var ids = (p.get('ids') || '').split(',').filter(function (x) { return x in byId; });
    ids = ids.filter(function (x, i) { return ids.indexOf(x) === i; });
    var b = p.get('baseline') || '';
    b = b in byId ? b : '';
    if (b && ids.indexOf(b) < 0) { ids.unshift(b); }  /* as accel compare: the baseline comes first */
    state.ids = ids.slice(0, MAX);
    state.baseline = state.ids.indexOf(b) >= 0 ? b : '';
    var preset = p.get('preset') || 'overview';
    state.preset = preset in D.presets ? preset : 'overview';
  }

  function toHash() {
    var p = new URLSearchParams();
    if (state.ids.length) { p.set('ids', state.ids.join(',')); }
    if (state.baseline) { p.set('baseline', state.baseline); }
    if (state.preset !== 'overview') { p.set('preset', state.preset); }
    A.setParams(p);
    el('share').href = 'compare.html' + (p.toString() ? '#' + p.toString() : '');
    var cmd = ['accel compare'].concat(state.ids);
    if (state.baseline) { cmd.push('--baseline', state.baseline); }
    if (state.preset !== 'overview') { cmd.push('--preset', state.preset); }
    el('cmd').textContent = state.ids.length ? cmd.join(' ') : '';
  }

  function controls() {
    var chosen = el('chosen');
    chosen.replaceChildren();
    state.ids.forEach(function (id) {
      var li = add(chosen, 'li');
      add(li, 'span', D.skus[byId[id]].name + (id === state.baseline ? ' (baseline)' : ''));
      var rm = add(li, 'button', '×');
      rm.type = 'button';
      rm.setAttribute('aria-label', 'Remove ' + D.skus[byId[id]].name);
      rm.addEventListener('click', function () {
        state.ids = state.ids.filter(function (x) { return x !== id; });
        if (state.baseline === id) { state.baseline = ''; }
        update();
      });
    });
    var base = el('baseline');
    base.replaceChildren();
    add(base, 'option', 'none').value = '';
    state.ids.forEach(function (id) { add(base, 'option', D.skus[byId[id]].name).value = id; });
    base.value = state.baseline;
    el('preset').value = state.preset;
    el('add').disabled = state.ids.length >= MAX;
  }

  function render() {
    var t = el('cmp');
    t.replaceChildren();
    el('cmp-legend').replaceChildren();
    el('cmp-notes').replaceChildren();
    el('cmp-sources').replaceChildren();
    var status = el('cmp-status');
    if (state.ids.length < 2) {
      status.textContent = state.ids.length ? 'Add at least one more accelerator (2 to 8).' :
        'Choose 2 to 8 accelerators to compare.';
      if (!state.ids.length) { return; }
    } else {
      status.textContent = state.ids.length + ' accelerators' + (state.baseline ? ', ratios to ' +
        D.skus[byId[state.baseline]].name : '') + '.';
    }
    var ratio = null;
    if (state.baseline) {
      ratio = ratios[state.baseline];
      if (!ratio) { loadRatios(state.baseline); status.textContent = 'Loading the ratios…'; return; }
    }
    var cols = state.ids.map(function (id) { return byId[id]; });
    var head = add(add(t, 'thead'), 'tr');
    add(head, 'th', 'field').scope = 'col';
    cols.forEach(function (k) { add(head, 'th', D.skus[k].name).scope = 'col'; });
    var body = add(t, 'tbody');
    var texts = [];
    var cited = [];
    D.presets[state.preset].forEach(function (f) {
      var cells = D.cells[f];
      var tr = add(body, 'tr');
      tr.setAttribute('data-field', f);
      add(tr, 'th', fieldInfo[f].label).scope = 'row';
      cols.forEach(function (k) {
        var c = cells[k];
        var td = add(tr, 'td');
        var span = add(td, 'span', c[4] ? c[0].slice(0, c[0].length - c[4]) : c[0], 'c');
        if (c[4]) { add(span, 'span', c[0].slice(c[0].length - c[4]), 'mk'); }
        span.setAttribute('data-tip', c[3]);
        texts.push(c[0]);
        c[1].forEach(function (s) { if (cited.indexOf(s) < 0) { cited.push(s); } });
      });
      /* Comparison.is_numeric: a unit, or a number in one of the chosen columns */
      var numeric = fieldInfo[f].unit || cols.some(function (k) { return cells[k][2] === 1; });
      if (ratio && numeric && ratio.rows[f]) {
        var rr = add(body, 'tr', null, 'ratio');
        add(rr, 'th', ratio.label).scope = 'row';
        cols.forEach(function (k) { add(rr, 'td', ratio.rows[f][k]); });
      }
    });
    /* the legend of the markers the shown cells use (Comparison.used_markers) */
    var all = texts.join(' ');
    var words = all.split(/\s+/);
    D.legend.forEach(function (m) {
      if (words.indexOf(m[0]) >= 0 || (m[0].length === 1 && all.indexOf(m[0]) >= 0)) {
        var li = add(el('cmp-legend'), 'li');
        add(li, 'b', m[0]);
        li.appendChild(document.createTextNode(' ' + m[1]));
      }
    });
    (D.notes[state.preset] || []).forEach(function (n) { add(el('cmp-notes'), 'p', n, 'small'); });
    cited.forEach(function (s) {
      var src = D.sources[s];
      var li = add(el('cmp-sources'), 'li');
      if (src[2]) {
        var a = add(li, 'a', src[0]);
        a.href = src[2];
        a.rel = 'noopener noreferrer';
      } else {
        add(li, 'span', src[0]);
      }
      li.appendChild(document.createTextNode(' (' + src[1] + ')'));
    });
  }

  function update() { controls(); toHash(); render(); }

  el('add').addEventListener('click', function () {
    var id = el('add-sku').value;
    if (id in byId && state.ids.indexOf(id) < 0 && state.ids.length < MAX) { state.ids.push(id); }
    update();
  });
  el('baseline').addEventListener('change', function (e) { state.baseline = e.target.value; update(); });
  el('preset').addEventListener('change', function (e) { state.preset = e.target.value; update(); });
  el('picker').addEventListener('submit', function (e) { e.preventDefault(); });
  window.addEventListener('hashchange', function () { fromHash(); controls(); toHash(); render(); });
  fromHash();
  update();
})();
