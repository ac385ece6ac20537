/* AccelAtlas explorer, index page: filter, search, sort and choose columns of the server-rendered
   table. Values are never parsed from display text: numbers come from data-v. The state lives in
   the address's hash (q, filters, sort, cols), so a filtered view is a link too. */
(function () {
  'use strict';
  var A = window.accelAtlas;
  var table = document.getElementById('atlas');
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  rows.forEach(function (r, i) { r._order = i; });
  var q = document.getElementById('q');
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.cols input[data-col]'));
  var count = document.getElementById('count');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sort = null;  /* {col, dir} */

  function cellOf(row, col) { return row.querySelector('[data-col="' + CSS.escape(col) + '"]'); }

  function filter() {
    var needle = A.normalise(q.value);
    var shown = 0;
    rows.forEach(function (r) {
      var ok = !needle || r.getAttribute('data-q').indexOf(needle) >= 0;
      selects.forEach(function (s) {
        if (s.value && r.getAttribute('data-' + s.getAttribute('data-filter')) !== s.value) { ok = false; }
      });
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + ' of ' + rows.length + ' accelerators';
  }

  function key(row, col, type) {
    var c = cellOf(row, col);
    if (!c) { return null; }
    if (type === 'num') {
      var v = c.getAttribute('data-v');
      return v === null || v === '' ? null : Number(v);
    }
    var t = c.textContent.trim();
    return t === '' ? null : t.toLocaleLowerCase();
  }

  function applySort() {
    heads.forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
    var ordered = rows.slice();
    if (sort) {
      var th = table.tHead.querySelector('th[data-col="' + CSS.escape(sort.col) + '"]');
      if (!th) { sort = null; }
    }
    if (sort) {
      var type = th.getAttribute('data-type');
      var sign = sort.dir === 'desc' ? -1 : 1;
      th.setAttribute('aria-sort', sort.dir === 'desc' ? 'descending' : 'ascending');
      var keys = new Map(rows.map(function (r) { return [r, key(r, sort.col, type)]; }));
      ordered.sort(function (a, b) {
        var x = keys.get(a), y = keys.get(b);
        if (x === null || y === null) {  /* unknown, not disclosed, not supported: always last */
          return (x === null) - (y === null) || a._order - b._order;
        }
        if (x < y) { return -sign; }
        if (x > y) { return sign; }
        return a._order - b._order;
      });
    }
    ordered.forEach(function (r) { tbody.appendChild(r); });
  }

  function setColumn(col, visible) {
    table.querySelectorAll('[data-col="' + CSS.escape(col) + '"]').forEach(function (c) { c.hidden = !visible; });
  }

  function save() {
    var p = new URLSearchParams();
    if (q.value) { p.set('q', q.value); }
    selects.forEach(function (s) { if (s.value) { p.set(s.getAttribute('data-filter'), s.value); } });
    if (sort) { p.set('sort', sort.col + ':' + sort.dir); }
    var cols = boxes.filter(function (b) { return b.checked !== b.defaultChecked; });
    if (cols.length) {
      p.set('cols', boxes.filter(function (b) { return b.checked; }).map(function (b) {
        return b.getAttribute('data-col');
      }).join(','));
    }
    A.setParams(p);
  }

  function load() {
    var p = A.params();
    q.value = p.get('q') || '';
    selects.forEach(function (s) {
      var v = p.get(s.getAttribute('data-filter')) || '';
      s.value = Array.prototype.some.call(s.options, function (o) { return o.value === v; }) ? v : '';
    });
    var sv = (p.get('sort') || '').split(':');
    sort = sv[0] ? {col: sv[0], dir: sv[1] === 'asc' ? 'asc' : 'desc'} : null;
    if (p.has('cols')) {
      var want = p.get('cols').split(',');
      boxes.forEach(function (b) { b.checked = b.disabled || want.indexOf(b.getAttribute('data-col')) >= 0; });
    }
    boxes.forEach(function (b) { setColumn(b.getAttribute('data-col'), b.checked); });
    filter();
    applySort();
  }

  q.addEventListener('input', function () { filter(); save(); });
  selects.forEach(function (s) { s.addEventListener('change', function () { filter(); save(); }); });
  boxes.forEach(function (b) {
    b.addEventListener('change', function () { setColumn(b.getAttribute('data-col'), b.checked); save(); });
  });
  heads.forEach(function (th) {
    var button = th.querySelector('button');
    if (!button) { return; }
    button.addEventListener('click', function () {
      var col = th.getAttribute('data-col');
      var first = th.getAttribute('data-type') === 'num' ? 'desc' : 'asc';
      var dir = sort && sort.col === col ? (sort.dir === 'desc' ? 'asc' : 'desc') : first;
      sort = {col: col, dir: dir};
      applySort();
      save();
    });
  });
  document.getElementById('reset').addEventListener('click', function () {
    q.value = '';
    selects.forEach(function (s) { s.value = ''; });
    boxes.forEach(function (b) { b.checked = b.defaultChecked; setColumn(b.getAttribute('data-col'), b.checked); });
    sort = null;
    filter();
    applySort();
    save();
  });
  document.getElementById('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  window.addEventListener('hashchange', load);
  load();
})();
