/* handbook-gen reading aids (loaded with defer on every page; no inline script, CSP-safe,
   works from file:// and under any sub-path). Owns:
   - the phone menu: the header's 目录 link becomes a button opening a drawer (<dialog>) with
     the page outline (本页目录) and the chapter navigation; without script the link jumps
     to the navigation at the end of the page;
   - the outline's current entry (IntersectionObserver), and the outline kept open as a
     sticky rail on wide screens;
   - a copy-link button on every article (第N条) and heading, and a permalink (#) on headings;
   - the search words marked on the page a result leads to (?hl=…, written by search.js);
   - the back-to-top link shown once the reader has scrolled a screen. */
(function () {
  'use strict';
  var doc = document, html = doc.documentElement, G = window;
  html.classList.add('js');

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  var WIDE = G.matchMedia ? G.matchMedia('(min-width: 1200px)') : { matches: false };

  // ------------------------------------------------------------ live status line
  var status = null;
  function say(text) {
    if (!status) {
      status = el('p', 'reader-status');
      status.setAttribute('role', 'status');
      doc.body.appendChild(status);
    }
    status.textContent = text;
    clearTimeout(say.t);
    say.t = setTimeout(function () { status.textContent = ''; }, 3000);
  }

  // ------------------------------------------------------------ outline (本页目录)
  var toc = null, io = null;
  var current = null;  // the id the outline marks
  function markOutline(id) {
    current = id;
    doc.querySelectorAll('.toc a[href^="#"]').forEach(function (a) {
      var on = a.getAttribute('href') === '#' + id;
      a.classList.toggle('is-current', on);
      if (on) a.setAttribute('aria-current', 'location'); else a.removeAttribute('aria-current');
      if (on) keepInView(a);
    });
  }
  // scroll the outline itself (never the page) so its current entry stays visible
  function keepInView(a) {
    var box = a.closest('.toc');
    if (!box || box.scrollHeight <= box.clientHeight) return;
    var r = a.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.top < b.top + 8) box.scrollTop -= b.top + 8 - r.top;
    else if (r.bottom > b.bottom - 8) box.scrollTop += r.bottom - b.bottom + 8;
  }
  function initOutline() {
    toc = doc.querySelector('.policy .toc');
    current = null;
    if (io) io.disconnect();
    if (!toc) return;
    var details = toc.querySelector('details');
    if (details && WIDE.matches) details.open = true;
    if (!('IntersectionObserver' in G)) return;
    // each outline entry's section: an article (from its named anchor) or a heading
    var targets = [];
    toc.querySelectorAll('a[href^="#"]').forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute('href').slice(1)), t = doc.getElementById(id);
      if (t) targets.push({ id: id, node: t.closest('.article') || t });
    });
    if (!targets.length) return;
    var seen = new Map(), header = doc.querySelector('.site-header');
    var below = header && getComputedStyle(header).position === 'sticky' ? header.offsetHeight : 0;
    // the band the reader is looking at: below the sticky header, the top third of the screen
    io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { seen.set(e.target, e.isIntersecting); });
      var pick = null;
      for (var i = 0; i < targets.length; i++) {
        if (seen.get(targets[i].node)) { pick = targets[i]; break; }
      }
      if (!pick) {  // between entries (a long article): the last one that began above the band
        for (i = 0; i < targets.length; i++) {
          if (targets[i].node.getBoundingClientRect().top < G.innerHeight / 3) pick = targets[i];
        }
      }
      if (pick && pick.id !== current) markOutline(pick.id);
    }, { rootMargin: -below + 'px 0px -66% 0px' });
    targets.forEach(function (t) { io.observe(t.node); });
  }

  // ------------------------------------------------------------ phone menu (drawer)
  function initMenu() {
    var button = doc.querySelector('.menu-button'), nav = doc.getElementById('site-nav');
    if (!button || !nav || !G.HTMLDialogElement) return;
    var dialog = el('dialog', 'drawer');
    dialog.setAttribute('aria-label', '目录');
    var head = dialog.appendChild(el('div', 'drawer-head'));
    head.appendChild(el('span', 'drawer-title', '目录'));
    var close = head.appendChild(el('button', 'drawer-close', '关闭'));
    close.type = 'button';
    var body = dialog.appendChild(el('div', 'drawer-body'));
    doc.body.appendChild(dialog);
    button.setAttribute('role', 'button');
    button.setAttribute('aria-haspopup', 'dialog');
    button.setAttribute('aria-expanded', 'false');
    function copy(node) {
      var c = node.cloneNode(true);
      c.removeAttribute('id');
      c.querySelectorAll('[id]').forEach(function (x) { x.removeAttribute('id'); });
      c.querySelectorAll('details').forEach(function (d) { d.open = true; });
      return c;
    }
    function open() {
      // built on each opening: the outline's current entry is as the reader left it
      body.textContent = '';
      if (toc) body.appendChild(copy(toc));
      body.appendChild(el('p', 'drawer-section', '章节与制度'));
      body.appendChild(copy(nav));
      dialog.showModal();
      button.setAttribute('aria-expanded', 'true');
      var mark = body.querySelector('a.is-current') || body.querySelector('li[aria-current] > a');
      if (mark) { mark.scrollIntoView({ block: 'center' }); mark.focus(); } else close.focus();
    }
    dialog.addEventListener('close', function () { button.setAttribute('aria-expanded', 'false'); });
    close.addEventListener('click', function () { dialog.close(); });
    button.addEventListener('click', function (e) { e.preventDefault(); open(); });
    button.addEventListener('keydown', function (e) { if (e.key === ' ') { e.preventDefault(); open(); } });
    dialog.addEventListener('click', function (e) {
      if (e.target === dialog) dialog.close();  // the backdrop
      else if (e.target.closest && e.target.closest('a[href]')) dialog.close();  // then follow it
    });
  }

  // ------------------------------------------------------------ permalinks and copy-link
  function absolute(id) {
    var u = new URL(G.location.href);
    u.searchParams.delete('hl');
    u.hash = id;
    return u.href;
  }
  function fallbackCopy(text) {
    var t = el('textarea', 'reader-copy-buffer');
    t.value = text;
    t.setAttribute('readonly', '');
    doc.body.appendChild(t);
    t.select();
    var ok = false;
    try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
    t.remove();
    return ok;
  }
  function copyLink(button, id, name) {
    var url = absolute(id);
    function done() {
      button.classList.add('copied');
      button.textContent = '已复制';
      say('已复制' + name + '的链接');
      setTimeout(function () { button.classList.remove('copied'); button.textContent = '复制链接'; }, 2000);
    }
    function fallback() {
      if (fallbackCopy(url)) done();
      else G.prompt('复制此链接：', url);
    }
    if (G.navigator.clipboard && G.navigator.clipboard.writeText) {
      G.navigator.clipboard.writeText(url).then(done, fallback);
    } else fallback();
  }
  function copyButton(id, name) {
    var b = el('button', 'copy-link', '复制链接');
    b.type = 'button';
    b.setAttribute('aria-label', '复制' + name + '的链接');
    b.setAttribute('data-anchor', id);
    b.addEventListener('click', function () { copyLink(b, id, name); });
    return b;
  }
  function initLinks() {
    var body = doc.querySelector('.policy-body');
    if (!body) return;
    body.querySelectorAll('.article > p > a.article-no').forEach(function (a) {
      var id = decodeURIComponent(a.getAttribute('href').slice(1));
      // first in the article, floated beside its first line: the paragraph's text stays the
      // article's, and `.anchor + p` still finds the paragraph
      a.closest('.article').prepend(copyButton(id, a.textContent));
    });
    body.querySelectorAll('h2[id], h3[id], h4[id], h5[id], h6[id]').forEach(function (h) {
      var name = h.textContent.trim();
      var p = el('a', 'permalink', '#');
      p.href = '#' + encodeURIComponent(h.id);
      p.setAttribute('aria-label', '“' + name + '”的链接');
      h.appendChild(p);
      h.appendChild(copyButton(h.id, '“' + name + '”'));
    });
  }

  // ------------------------------------------------------------ search words on the page
  var HEADING = /^H([1-6])$/;
  // the part of the page a search result pointed at: its article, its heading's section, or
  // (no fragment) the policy body
  function scope() {
    var body = doc.querySelector('.policy-body') || doc.getElementById('main');
    var id = decodeURIComponent(G.location.hash.slice(1)), t = id && doc.getElementById(id);
    if (!t || !body || !body.contains(t)) return body ? [body] : [];
    var art = t.closest('.article');
    if (art) return [art];
    var m = HEADING.exec(t.tagName);
    if (!m) return [t];
    var nodes = [t], n = t.nextElementSibling;
    while (n) {
      var k = HEADING.exec(n.tagName);
      if (k && k[1] <= m[1]) break;
      nodes.push(n);
      n = n.nextElementSibling;
    }
    return nodes;
  }
  function plainParts(text, needles) {
    var low = text.toLowerCase(), rs = [];
    needles.forEach(function (n) {
      var i = 0, j;
      while ((j = low.indexOf(n, i)) >= 0) { rs.push([j, j + n.length]); i = j + n.length; }
    });
    if (!rs.length) return [[text, false]];
    rs.sort(function (a, b) { return a[0] - b[0]; });
    var out = [], p = 0;
    rs.forEach(function (r) {
      if (r[1] <= p) return;
      var a = Math.max(r[0], p);
      if (a > p) out.push([text.slice(p, a), false]);
      out.push([text.slice(a, r[1]), true]);
      p = r[1];
    });
    if (p < text.length) out.push([text.slice(p), false]);
    return out;
  }
  function highlight(words) {
    var S = G.HBSearch;
    var needles = words.map(function (w) { return S ? S.norm(w) : w.toLowerCase(); })
      .filter(function (w) { return w.trim(); });
    if (!needles.length) return;
    // search.js's own matching (Traditional folded to Simplified, 第10条 = 第十条) when loaded
    var parts = S ? function (t) { return S.snippet(t, needles, 0); } : function (t) { return plainParts(t, needles); };
    var count = 0;
    scope().forEach(function (root) {
      var walk = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) {
          var p = n.parentNode;
          return !n.data.trim() || p.closest('mark, button, .permalink, svg, script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      while (walk.nextNode()) nodes.push(walk.currentNode);
      nodes.forEach(function (n) {
        var ps = parts(n.data);
        if (ps.length === 1 && !ps[0][1]) return;
        var f = doc.createDocumentFragment();
        ps.forEach(function (p) {
          if (p[1]) { f.appendChild(el('mark', 'search-hit', p[0])); count++; } else f.appendChild(doc.createTextNode(p[0]));
        });
        n.parentNode.replaceChild(f, n);
      });
    });
    html.setAttribute('data-hl-count', String(count));
    if (count && !G.location.hash) {
      var first = doc.querySelector('mark.search-hit');
      if (first) first.scrollIntoView({ block: 'center' });
    }
  }
  function initHighlight() {
    var q;
    try { q = new URL(G.location.href).searchParams.get('hl'); } catch (e) { q = null; }
    if (!q) return;
    var words = q.split(/\s+/).filter(Boolean);
    var S = G.HBSearch;
    // the Traditional->Simplified table comes with the search engine's first file
    if (S && S.getEngine) S.getEngine().init().then(function () { highlight(words); }, function () { highlight(words); });
    else highlight(words);
  }

  // ------------------------------------------------------------ back to top
  function initTop() {
    var top = doc.querySelector('.back-to-top');
    if (!top) return;
    var shown = null;
    function update() {
      var on = G.scrollY > G.innerHeight;
      if (on !== shown) { shown = on; html.classList.toggle('scrolled', on); }
    }
    G.addEventListener('scroll', update, { passive: true });
    update();
  }

  initLinks();
  initOutline();
  initMenu();
  initHighlight();
  initTop();
  // a wide screen keeps the outline open (also after the window grows)
  if (WIDE.addEventListener) WIDE.addEventListener('change', function () {
    var d = toc && toc.querySelector('details');
    if (d && WIDE.matches) d.open = true;
  });
  // `handbook serve` replaces the content of <main> in place after an edit: equip it again
  var main = doc.getElementById('main');
  if (main && G.MutationObserver) {
    new MutationObserver(function () { initLinks(); initOutline(); }).observe(main, { childList: true });
  }
})();
