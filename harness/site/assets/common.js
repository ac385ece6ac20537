/* AccelAtlas explorer, shared: tooltips for values and the name normalisation of searches.
   Data reaches the page only through textContent and validated http(s) hrefs, never innerHTML. */
(function () {
  'use strict';
  var el = document.getElementById('tips');
  var data = el ? JSON.parse(el.textContent) : {t: [], s: []};
  var tips = data.t;
  var sources = data.s;  /* [title, url, tier, date read] */
  var box = document.getElementById('tip');
  var anchor = null;
  var hideTimer = null;
  var muted = null;

  function safeUrl(u) {
    return typeof u === 'string' && /^https?:\/\/[^\s<>"'`\\]+$/i.test(u) ? u : null;
  }
  function add(parent, tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== null && text !== undefined) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    parent.appendChild(e);
    return e;
  }
  function fill(rec) {
    box.replaceChildren();
    add(box, 'strong', rec.h);
    add(box, 'div', [rec.state].concat(rec.tier ? ['tier: ' + rec.tier] : []).join(' · '));
    (rec.marks || []).forEach(function (m) { add(box, 'div', m, 'm'); });
    if (rec.from) { add(box, 'div', rec.from); }
    (rec.src || []).forEach(function (line) {  /* [source number, locator, tier] */
      var s = sources[line[0]] || [];
      var d = add(box, 'div', null, 'src');
      var url = safeUrl(s[1]);
      if (url) {
        var a = add(d, 'a', s[0] || url);
        a.href = url;
        a.rel = 'noopener noreferrer';
      } else {
        add(d, 'span', s[0] || 'source');
      }
      var bits = [];
      if (line[2]) { bits.push(line[2]); }
      if (line[1]) { bits.push('at: ' + line[1]); }
      if (s[3]) { bits.push('read ' + s[3]); }
      if (bits.length) { add(d, 'div', bits.join(' · '), 'small'); }
    });
    if (rec.note) { add(box, 'div', rec.note, 'note'); }
  }
  function show(target) {
    var rec = tips[Number(target.getAttribute('data-tip'))];
    if (!box || !rec) { return; }
    clearTimeout(hideTimer);
    if (anchor && anchor !== target) { anchor.removeAttribute('aria-describedby'); }
    anchor = target;
    fill(rec);
    box.hidden = false;
    target.setAttribute('aria-describedby', 'tip');
    var r = target.getBoundingClientRect();
    var width = box.offsetWidth;
    var left = Math.max(4, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    box.style.left = left + 'px';
    box.style.top = (r.bottom + window.scrollY + 4) + 'px';
  }
  function hide() {
    if (!box) { return; }
    box.hidden = true;
    if (anchor) { anchor.removeAttribute('aria-describedby'); }
    anchor = null;
  }
  function later() { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 350); }

  document.addEventListener('mouseover', function (e) {
    var t = e.target.closest ? e.target.closest('[data-tip]') : null;
    if (t) { show(t); } else if (box && !box.contains(e.target)) { later(); }
  });
  document.addEventListener('focusin', function (e) {
    var t = e.target.closest ? e.target.closest('[data-tip]') : null;
    if (t && t === muted) { muted = null; return; }  /* focus given back by Escape: stay closed */
    muted = null;
    if (t) { show(t); } else if (box && !box.contains(e.target)) { hide(); }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && box && !box.hidden) {
      var back = anchor;
      if (back && box.contains(document.activeElement)) { muted = back; back.focus(); }
      hide();
    } else if (e.key === 'Enter' && e.target.hasAttribute && e.target.hasAttribute('data-tip')) {
      show(e.target);  /* Enter on a value: move into its tooltip, to reach the source link */
      var first = box.querySelector('a');
      if (first) { e.preventDefault(); first.focus(); }
    }
  });
  if (box) { box.addEventListener('mouseenter', function () { clearTimeout(hideTimer); }); }

  window.accelAtlas = {
    /* an element with text (never HTML) appended to parent */
    add: add,
    /* the rule of harness.resolve.normalise: NFKC, case-folded, no spaces, hyphens, underscores, slashes, dots */
    normalise: function (s) {
      return String(s || '').normalize('NFKC').toLowerCase().replace(/[\s\-_/.·|]+/g, '');
    },
    params: function () { return new URLSearchParams(window.location.hash.replace(/^#/, '')); },
    setParams: function (p) {
      var h = p.toString();
      if (h === window.location.hash.replace(/^#/, '')) { return; }
      try {
        window.history.replaceState(null, '', h ? '#' + h : window.location.pathname + window.location.search);
      } catch (err) {  /* a browser that refuses replaceState here: a new history entry will do */
        window.location.hash = h;
      }
    }
  };
})();
