/* handbook-gen offline search client (no dependencies; renders with DOM text APIs only).
 * Loads index files written by handbook_gen.search (search/*.js, each calling
 * __hbs(kind, n, data)) with <script> tags, so it works over HTTP and file://.
 * Normalisation and query terms mirror src/handbook_gen/search/{normalize,tokens}.py.
 * Design and index format: docs/search.md. */
(function (G) {
  'use strict';

  // ---------------------------------------------------------------- encoding
  var ALPH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var AV = new Int8Array(128);
  for (var i = 0; i < 64; i++) AV[ALPH.charCodeAt(i)] = i;

  function vlq(s) {
    var out = [], cur = 0, sh = 0;
    for (var i = 0; i < s.length; i++) {
      var c = AV[s.charCodeAt(i)];
      cur += (c & 31) * Math.pow(2, sh);
      if (c < 32) { out.push(cur); cur = 0; sh = 0; } else sh += 5;
    }
    return out;
  }

  var CRC = (function () {
    var t = new Int32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c;
    }
    return t;
  })();
  var ENC = new TextEncoder();
  function crc32(str) {
    var b = ENC.encode(str), c = -1;
    for (var i = 0; i < b.length; i++) c = CRC[(c ^ b[i]) & 255] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  }

  // ----------------------------------------------------------- normalisation
  var T2S = new Map(), CACHE = new Map(), VOCAB = null, VOCAB_RE = null;
  // data: [character pairs, "台湾词=大陆词|…"] (search/t2s.js)
  function setT2S(data) {
    var pairs = typeof data === 'string' ? data : data[0];
    var a = Array.from(pairs);
    T2S = new Map();
    for (var i = 0; i + 1 < a.length; i += 2) T2S.set(a[i], a[i + 1]);
    CACHE = new Map();
    VOCAB = null; VOCAB_RE = null;
    if (typeof data !== 'string' && data[1]) {
      VOCAB = new Map();
      data[1].split('|').forEach(function (kv) { var j = kv.indexOf('='); VOCAB.set(kv.slice(0, j), kv.slice(j + 1)); });
      var keys = Array.from(VOCAB.keys()).sort(function (x, y) { return y.length - x.length || (x < y ? -1 : 1); });
      VOCAB_RE = new RegExp(keys.join('|'), 'g');
    }
  }
  // Taiwan/Hong Kong vocabulary -> mainland (資訊安全 -> 信息安全), for a second query variant
  function vocabAlt(qn) { return VOCAB_RE ? qn.replace(VOCAB_RE, function (m) { return VOCAB.get(m); }) : qn; }
  function normChar(ch) {
    var r = CACHE.get(ch);
    if (r === undefined) {
      var x = ch.normalize('NFKC').toLowerCase();
      r = '';
      for (var y of x) r += T2S.get(y) || y;
      CACHE.set(ch, r);
    }
    return r;
  }
  var DIG = '零一二三四五六七八九';
  function cnum(n) {
    if (n < 10) return DIG[n];
    if (n < 20) return '十' + (n > 10 ? DIG[n - 10] : '');
    if (n < 100) return DIG[Math.floor(n / 10)] + '十' + (n % 10 ? DIG[n % 10] : '');
    var h = Math.floor(n / 100), r = n % 100, o = DIG[h] + '百';
    if (!r) return o;
    if (r < 10) return o + '零' + DIG[r];
    return o + DIG[Math.floor(r / 10)] + '十' + (r % 10 ? DIG[r % 10] : '');
  }
  var NUM_RE = /第([0-9]{1,3})(?![0-9])/g;
  // -> {t: normalised text, m: m[i] = index in s of the source of t[i]; m[t.length] = s.length}
  function normMap(s) {
    var t = '', m = [], i = 0;
    for (var ch of s) {
      var r = normChar(ch);
      for (var k = 0; k < r.length; k++) {
        var c = r[k];
        if (c === ' ' || c === '\t') { if (t[t.length - 1] === ' ') continue; c = ' '; }  // runs of spaces: one
        m.push(i);
        t += c;
      }
      i += ch.length;
    }
    m.push(s.length);
    if (t.indexOf('第') < 0) return { t: t, m: m };
    var t2 = '', m2 = [], last = 0, mt;
    NUM_RE.lastIndex = 0;
    while ((mt = NUM_RE.exec(t))) {
      var a = mt.index + 1, b = a + mt[1].length, rep = cnum(parseInt(mt[1], 10));
      t2 += t.slice(last, a);
      for (var j = last; j < a; j++) m2.push(m[j]);
      t2 += rep;
      for (j = 0; j < rep.length; j++) m2.push(m[a]);
      last = b;
    }
    t2 += t.slice(last);
    for (j = last; j <= t.length; j++) m2.push(m[j]);
    return { t: t2, m: m2 };
  }
  function norm(s) { return normMap(s).t; }

  // ------------------------------------------------------------------ terms
  var HAN = '\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}';
  var HAN_RUN = new RegExp('[' + HAN + ']+', 'gu');
  var HAN_1 = new RegExp('^[' + HAN + ']$', 'u');
  var RUN = /[0-9a-z]+/g, COMPOUND = /[0-9a-z]+(?:[-_./][0-9a-z]+)+/g, PARTS = /[a-z]+|[0-9]+/g;
  function isHan(c) { return c !== undefined && HAN_1.test(c); }
  var SPACE = ' \t\n\r\f\v\x85\u1680\u180e\u2028\u2029\u205f\ufeff';
  function isPunct(c) {
    var o = c.codePointAt(0);
    return !(isHan(c) || /[0-9a-z]/.test(c) || SPACE.indexOf(c) >= 0 || o < 0x20 || (o >= 0x7f && o <= 0x9f));
  }
  function charBefore(q, a) { var c = q.codePointAt(a - 1); if (a >= 2 && c >= 0xDC00 && c <= 0xDFFF) return q.slice(a - 2, a); return q[a - 1]; }
  function charAt(q, b) { var c = q.codePointAt(b); return c === undefined ? undefined : String.fromCodePoint(c); }
  function all(re, s) { re.lastIndex = 0; var o = [], m; while ((m = re.exec(s))) o.push(m); return o; }

  // mirrors tokens.query_terms: {req, opt, fb}
  function queryTerms(q) {
    var req = [], opt = [], fb = {}, coveredRun = {}, coveredHan = {}, comp = [];
    all(RUN, q).forEach(function (m) {
      var a = m.index, b = a + m[0].length, after = charAt(q, b), before = a > 0 ? charBefore(q, a) : undefined;
      if (isHan(after)) { req.push(m[0] + after); coveredRun[a] = 1; coveredHan[b] = 1; }
      if (isHan(before)) { req.push(before + m[0]); coveredRun[a] = 1; coveredHan[a - before.length] = 1; }
    });
    all(COMPOUND, q).forEach(function (m) {
      var runs = m[0].match(RUN), j = runs.join('');
      req.push(j); fb[j] = runs; comp.push([m.index, m.index + m[0].length]);
    });
    all(RUN, q).forEach(function (m) {
      var a = m.index;
      if (coveredRun[a] || comp.some(function (c) { return c[0] <= a && a < c[1]; })) return;
      req.push(m[0]);
      var parts = m[0].match(PARTS);
      if (parts.length > 1) fb[m[0]] = parts;
    });
    // a Han character touching punctuation: the pair is a term (录。 。评 则》)
    // and Han, one or two punctuation marks, Han is one term (录。评, 实。《会) implying those pairs
    // (a span with a space is optional: it only ranks words typed side by side first)
    var cps = Array.from(q), off = 0, covered = {}, pt = [], popt = [];
    function gap(c) { return c === ' ' || isPunct(c); }
    for (var i = 0; i + 2 < cps.length; i++) {
      var c0 = cps[i], c1 = cps[i + 1], c2 = cps[i + 2];
      if (isHan(c0) && gap(c1)) {
        var w = isHan(c2) ? 3 : (i + 3 < cps.length && gap(c2) && isHan(cps[i + 3])) ? 4 : 0;
        if (w) {
          var span = cps.slice(i, i + w).join('');
          if (span.indexOf(' ') >= 0) popt.push(span);
          else { pt.push([i, span]); for (var j = i; j < i + w - 1; j++) covered[j] = 1; }
        }
      }
      if (c1 === ' ' && ((isHan(c0) && isPunct(c2)) || (isPunct(c0) && isHan(c2)))) popt.push(c0 + c1 + c2);
    }
    for (i = 0; i + 1 < cps.length; i++) {
      var a = cps[i], b = cps[i + 1];
      if ((isHan(a) && isPunct(b)) || (isPunct(a) && isHan(b))) {
        coveredHan[isHan(a) ? off : off + a.length] = 1;
        if (!covered[i]) pt.push([i, a + b]);
      }
      off += a.length;
    }
    pt.sort(function (x, y) { return x[0] - y[0] || (x[1] < y[1] ? -1 : 1); });
    pt.forEach(function (x) { req.push(x[1]); });
    var singles = [];
    all(HAN_RUN, q).forEach(function (m) {
      var cs = Array.from(m[0]);
      if (cs.length >= 2) { for (var i = 0; i + 1 < cs.length; i++) req.push(cs[i] + cs[i + 1]); }
      else if (!coveredHan[m.index]) singles.push(m[0]);
    });
    if (req.length) opt = singles; else req = singles;
    opt = opt.concat(popt);
    req = uniq(req);
    return { req: req, opt: uniq(opt).filter(function (t) { return req.indexOf(t) < 0; }), fb: fb };
  }
  function uniq(a) { var s = new Set(), o = []; a.forEach(function (x) { if (!s.has(x)) { s.add(x); o.push(x); } }); return o; }
  function idKey(s) { return norm(s).replace(new RegExp('[^0-9a-z' + HAN + ']', 'gu'), ''); }

  // ------------------------------------------------------------ pinyin match
  // syl: array of syllables; q: letters. Returns {start, n, full} of the best
  // match beginning at a syllable boundary, or null. Each syllable is typed in
  // full, as its initial (zh/ch/sh may be two letters), or - for the last one -
  // as any prefix.
  function pyMatch(syl, q) {
    var best = null;
    for (var s = 0; s < syl.length; s++) {
      if (syl[s][0] !== q[0]) continue;
      var memo = {};
      var r = (function go(j, p) {
        if (p === q.length) return { n: j - s, full: 0 };
        if (j === syl.length) return null;
        var key = j * 1000 + p;
        if (key in memo) return memo[key];
        var y = syl[j], rest = q.length - p, res = null, x;
        function take(r2, f) { if (r2 && (!res || r2.n > res.n || (r2.n === res.n && r2.full + f > res.full))) res = { n: r2.n, full: r2.full + f }; }
        if (q.startsWith(y, p)) take(go(j + 1, p + y.length), 1);
        if (rest < y.length && y.startsWith(q.slice(p))) take({ n: j + 1 - s, full: 0 }, 0.5);
        if (/^[a-z]/.test(y)) {
          if (q[p] === y[0]) take(go(j + 1, p + 1), 0);
          if (/^[zcs]h/.test(y) && q.startsWith(y.slice(0, 2), p)) take(go(j + 1, p + 2), 0);
        }
        memo[key] = res;
        return res;
      })(s, 0);
      if (r) {
        var sc = (s === 0 ? 4 : 0) + (s + r.n === syl.length ? 2 : 0) + r.n / syl.length + r.full * 0.01;
        if (!best || sc > best.score) best = { start: s, n: r.n, full: r.full, score: sc };
      }
    }
    return best;
  }

  // ----------------------------------------------------------------- engine
  function Engine(loader) {
    this.load = loader; // (kind, n, path) -> Promise<data>
    this.ready = null;
    this.docs = new Map();
    this.hay = new Map();
    this.terms = new Map();
  }
  Engine.prototype.init = function () {
    var self = this;
    if (!this.ready) {
      this.ready = Promise.all([this.load('m', 0, 'meta.js'), this.load('t', 0, 't2s.js')]).then(function (r) {
        var M = self.meta = r[0];
        setT2S(r[1]);
        self.ver = M.ver;
        var pr = vlq(M.pr), P = M.policies, R = M.records;
        var ps = self.polStart = new Int32Array(P + 1);
        var rp = self.ridPol = new Int32Array(R);
        for (var p = 0; p < P; p++) { ps[p + 1] = ps[p] + pr[p]; rp.fill(p, ps[p], ps[p + 1]); }
        var dc = vlq(M.dc), cs = [0];
        dc.forEach(function (n) { cs.push(cs[cs.length - 1] + n); });
        self.chunkStart = cs;
        var f = vlq(M.fac);
        self.fChapter = new Int32Array(P); self.fOwner = new Int32Array(P); self.fActive = new Uint8Array(P);
        for (p = 0; p < P; p++) { self.fChapter[p] = f[3 * p]; self.fOwner[p] = f[3 * p + 1]; self.fActive[p] = f[3 * p + 2]; }
        self.L = M.levels;
        return self;
      });
    }
    return this.ready;
  };
  Engine.prototype.shard = function (term) {
    var n = crc32(term) & (this.meta.shards - 1);
    return this.load('s', n, 's/' + n.toString(16) + '.js');
  };
  // A term's index entry (cached): per part (records, policies) its weight unit, df, inline
  // postings and block descriptor; decoded blocks are cached too.
  Engine.prototype.termData = function (term) {
    var self = this, c = this.terms.get(term);
    if (c) return c;
    c = this.shard(term).then(function (sh) {
      var e = sh && Object.prototype.hasOwnProperty.call(sh, term) ? sh[term] : null;
      if (!e) return null;
      var parts = [self.partData(e[1] / 100, e[2], e[0])];
      if (e.length > 3) parts.push(self.partData(self.meta.tb * e[4] / 100, e[5], e[3]));
      return { term: term, parts: parts };
    });
    this.terms.set(term, c);
    return c;
  };
  Engine.prototype.partData = function (idf, list, df) {
    var d = { w: idf / this.L, df: df, inline: new Map(), blocks: null, cache: [] };
    if (typeof list === 'string') decodeInto(list, d.w, d.inline);
    else if (list) d.blocks = list;
    return d;
  };
  // A query's view of a term: what this query has loaded so far (starting from the inline
  // postings), so that results never depend on what earlier queries happened to load.
  function termView(t) {
    var st = { term: t.term, rec: null, pol: new Map(), parts: [] };
    t.parts.forEach(function (d, i) {
      var map = new Map(d.inline);
      if (i === 0) st.rec = map; else st.pol = map;
      st.parts.push({ map: map, data: d, w: d.w, df: d.df, blocks: d.blocks, next: 0, done: !d.blocks });
    });
    return st;
  }
  // load the next impact block of a query's part (no-op when complete)
  // (with `at`, block number `at` of the part, its bookkeeping done by the caller)
  Engine.prototype.more = function (p, at) {
    var given = at !== undefined;
    if (!given && p.done) return Promise.resolve(false);
    var k = given ? at : p.next, b = p.blocks[0] + k, d = p.data;
    if (!given) { p.next++; p.done = p.next * 2 + 1 >= p.blocks.length; }
    var got = d.cache[k] || (d.cache[k] = this.load('b', b, 'b/' + b + '.js').then(function (s) {
      var m = new Map();
      decodeInto(s, d.w, m);
      return m;
    }));
    return got.then(function (m) {
      m.forEach(function (w, id) { if (!p.map.has(id)) p.map.set(id, w); });
      return true;
    });
  };
  function ub(p) { return p.done ? 0 : p.w * p.blocks[1 + 2 * p.next + 1]; }
  function decodeInto(s, w, map) {
    var v = vlq(s), i = 0;
    while (i < v.length) {
      var lvl = v[i++], cnt = v[i++], id = 0, ww = w * lvl;
      for (var k = 0; k < cnt; k++) { id = k ? id + v[i++] + 1 : v[i++]; if (!map.has(id)) map.set(id, ww); }
    }
  }
  Engine.prototype.doc = function (rid) {
    var cs = this.chunkStart, lo = 0, hi = cs.length - 2;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (cs[mid] <= rid) lo = mid; else hi = mid - 1; }
    var self = this;
    return this.load('d', lo, 'd/' + lo + '.js').then(function (d) {
      if (!self.docs.has(d[0])) {
        var heads = {};
        d[1].forEach(function (h) { heads[h[0]] = { title: h[1], id: h[2], docNo: h[3] }; });
        d[2].forEach(function (r, k) {
          var rid2 = d[0] + k, pid = self.ridPol[rid2], h = heads[pid];
          self.docs.set(rid2, { rid: rid2, pid: pid, url: r[0], heading: r[1], section: r[2], text: r[3], title: h.title, id: h.id, docNo: h.docNo });
        });
      }
      return self.docs.get(rid);
    });
  };
  Engine.prototype.haystack = function (d) {
    var h = this.hay.get(d.rid);
    if (!h) {
      h = { tOnly: norm(d.title), title: norm(d.title + ' ' + d.id + ' ' + d.docNo), head: norm([d.section, d.heading].filter(Boolean).join(' ')), text: norm(d.text) };
      h.all = h.title + '\n' + h.head + '\n' + h.text;
      h.flat = h.all.replace(/[ \t\u3000]+/g, ' ');
      this.hay.set(d.rid, h);
    }
    return h;
  };
  Engine.prototype.pass = function (pid, f) {
    if (!f) return true;
    if (f.chapter != null && f.chapter !== '' && this.meta.chapters[this.fChapter[pid]] !== f.chapter) return false;
    if (f.owner != null && f.owner !== '' && this.meta.owners[this.fOwner[pid]] !== f.owner) return false;
    if (f.status === 'active' && !this.fActive[pid]) return false;
    if (f.status === 'retired' && this.fActive[pid]) return false;
    return true;
  };

  // resolve query terms to states, replacing unknown compound terms by their parts
  Engine.prototype.resolve = function (terms, fb) {
    var self = this;
    return Promise.all(terms.map(function (t) { return self.termData(t); })).then(function (sts) {
      var out = [], retry = [];
      sts.forEach(function (s, i) {
        if (s) out.push(termView(s));
        else if (fb[terms[i]]) retry = retry.concat(fb[terms[i]]);
        else out.push(null);
      });
      if (!retry.length) return out;
      return self.resolve(uniq(retry), {}).then(function (more) { return out.concat(more); });
    });
  };

  /* search(query, {limit, filter}) -> Promise<{query, results:[group], total, partial, pinyin}>
   * group: {pid, title, id, docNo, active, chapter, owner, hits:[hit]}
   * hit: {rid, url, heading, section, text, needles} */
  Engine.prototype.search = function (query, opts) {
    var self = this;
    opts = opts || {};
    var limit = opts.limit || 20, filter = opts.filter || null;
    return this.init().then(function () {
      var qn = norm(query).trim().replace(/\s+/g, ' ');
      if (!qn) return { query: query, results: [], total: 0 };
      var letters = /^[a-z' ]+$/.test(qn) ? qn.replace(/[' ]/g, '') : '';
      var lex = self.lexical(qn, limit, filter, opts.related), alt = vocabAlt(qn);
      if (alt !== qn) return Promise.all([lex, self.lexical(alt, limit, filter, opts.related)]).then(function (r) { return mergeResults(r, limit); });
      if (letters.length < 2) return lex;
      var jq = letters !== qn ? self.lexical(letters, limit, filter) : Promise.resolve(null);
      return Promise.all([lex, jq, self.pinyin(letters, filter)]).then(function (r) {
        return self.mergePinyin(r[0], r[1], r[2], limit);
      });
    });
  };

  Engine.prototype.lexical = function (qn, limit, filter, related) {
    var self = this, qt = queryTerms(qn), K = limit + 1;
    var segs = qn.split(' '), full = segs.join(''), qid = idKey(qn);
    return Promise.all([this.resolve(qt.req, qt.fb), this.resolve(qt.opt, {})]).then(function (r) {
      var req = r[0], opt = r[1].filter(Boolean);
      var partial = req.some(function (s) { return !s; });
      req = req.filter(Boolean);
      if (!req.length) return { query: qn, results: [], total: 0 };
      var rounds = 0, vs = { perPol: new Map(), seen: new Set(), out: [], rounds: 0, checks: 0, exact: 0 };
      function complete() { return req.some(function (s) { return s.parts.every(function (p) { return p.done; }); }); }
      function start() {
        // A fully known term bounds the candidates (the others are checked in the text). If
        // none is, complete the rarest term when that takes a few blocks, else load the best
        // block of every long list first.
        if (complete()) return step();
        var rare = null;
        req.forEach(function (s) { if (!rare || left(s) < left(rare)) rare = s; });
        if (left(rare) <= 4) return loadAll(rare).then(step);
        var loads = [];
        req.forEach(function (s) { s.parts.forEach(function (p) { if (!p.done && !p.next) loads.push(self.more(p)); }); });
        return Promise.all(loads).then(step);
      }
      // blocks still to load for a term
      function left(s) { return s.parts.reduce(function (a, p) { return a + (p.done ? 0 : (p.blocks.length - 1) / 2 - p.next); }, 0); }
      function loadAll(s) {
        var loads = [];
        s.parts.forEach(function (p) { while (!p.done) { loads.push(self.more(p, p.next)); p.next++; p.done = p.next * 2 + 1 >= p.blocks.length; } });
        extra += loads.length;
        return Promise.all(loads);
      }
      var extra = 0;
      function step() {
        var pending = req.some(function (s) { return s.parts.some(function (p) { return !p.done; }); });
        var scored = self.score(req, opt, filter, partial);
        if (!scored.list.length && !pending && !partial) { partial = true; scored = self.score(req, opt, filter, true); }
        // Too few candidates certainly have every term and too many are uncertain for the
        // text checks: first complete the incomplete term with the fewest blocks (bounded).
        if (!partial && complete() && scored.list.length > 2 * K) {
          var sure = 0;
          for (var i = 0; i < scored.list.length && sure < K; i++) if (scored.list[i].like === 1) sure++;
          var next = null;
          req.forEach(function (s) { if (left(s) && (!next || left(s) < left(next))) next = s; });
          if (sure < K && next && extra + left(next) <= 12) return loadAll(next).then(step);
        }
        return self.verify(scored.list, K, req, partial, segs, full, qid, qn, vs).then(function (ver) {
          var exact = ver.filter(function (x) { return x.phrase === 3; }).length;
          // Every true match is already a candidate when one required term is fully loaded;
          // otherwise load the next impact block of the rarest term (bounded).
          if (pending && !complete() && rounds < 3 && (ver.length < limit || (exact === 0 && segs.length === 1))) {
            rounds++;
            var best = null;
            req.forEach(function (s) { s.parts.forEach(function (p) { if (!p.done && (!best || p.df < best.df)) best = p; }); });
            return self.more(best).then(step);
          }
          // no record has every term: the best partial matches, flagged
          if (!ver.length && !partial) { partial = true; return step(); }
          var res = { query: qn, results: group(ver, limit), total: scored.total, more: scored.total > ver.length, partial: partial, terms: qt };
          if (!related || partial || res.results.length >= 3 || req.length < 2) return res;
          return self.related(req, opt, filter, res).then(function (rel) { res.related = rel; return res; });
        });
      }
      return start();
    });
  };

  // policies matching at least half of the query terms, besides the results (shown apart)
  Engine.prototype.related = function (req, opt, filter, res) {
    var self = this, have = new Set(res.results.map(function (g) { return g.pid; })), need = Math.ceil(req.length / 2), picks = [];
    this.score(req, opt, filter, true).list.forEach(function (c) {
      if (c.hit >= need && c.hit < req.length && !have.has(c.pid) && picks.length < 5) { have.add(c.pid); picks.push(c); }
    });
    return Promise.all(picks.map(function (c) { return self.doc(c.rid); })).then(function (docs) {
      return group(picks.map(function (c, i) {
        return { rid: c.rid, pid: c.pid, doc: docs[i], phrase: 0, score: c.score, active: self.fActive[c.pid], needles: req.map(function (s) { return s.term; }) };
      }), 5);
    });
  };

  // ties in an arbitrary but fixed order that is not the handbook's (records of one chapter
  // are neighbours, so checking ties by record number would sample one chapter only)
  function spread(rid) { return Math.imul(rid + 1, 2654435761) >>> 0; }

  // candidate records with estimated scores
  Engine.prototype.score = function (req, opt, filter, partial) {
    var self = this, cand = new Set(), ps = this.polStart, rp = this.ridPol;
    req.concat(opt).forEach(function (s) {
      s.rec.forEach(function (w, rid) { cand.add(rid); });
      s.pol.forEach(function (w, pid) { cand.add(ps[pid]); });
    });
    var list = [], bounds = req.map(function (s) { return s.parts.reduce(function (a, p) { return a + ub(p); }, 0); });
    // chance that a record not in the loaded blocks of a term still has it
    var R = this.meta.records, P = this.meta.policies;
    var odds = req.map(function (s) {
      var p = s.parts[0], known = p.map.size, N = R;
      if (p.done && s.parts[1]) { p = s.parts[1]; known = p.map.size; N = P; }
      return p.done ? 0 : Math.min(1, Math.max(0.01, (p.df - known) / Math.max(1, N - known)));
    });
    cand.forEach(function (rid) {
      var pid = rp[rid];
      if (!self.pass(pid, filter)) return;
      var sc = 0, unk = [], hit = 0, like = 1;
      for (var i = 0; i < req.length; i++) {
        var s = req[i], w = (s.rec.get(rid) || 0) + (s.pol.get(pid) || 0);
        if (w > 0) { sc += w; hit++; }
        else if (bounds[i] > 0) { unk.push(s.term); sc += bounds[i] * 0.5; like *= odds[i]; }
        else if (!partial) return;
      }
      var ohit = 0;
      for (i = 0; i < opt.length; i++) {
        var ow = (opt[i].rec.get(rid) || 0) + (opt[i].pol.get(pid) || 0);
        if (ow > 0) { sc += ow; if (opt[i].term.length > 1) ohit++; }
      }
      if (partial && !hit) return;
      list.push({ rid: rid, pid: pid, score: sc, unk: unk, hit: hit, like: like, ohit: ohit });
    });
    // AND: words typed side by side found side by side first, then by the chance that the
    // record has every term, then by estimated score;
    // partial: by the number of terms matched first
    list.sort(partial ? function (a, b) { return b.hit - a.hit || b.score - a.score || a.rid - b.rid; }
      : function (a, b) { return b.ohit - a.ohit || b.like - a.like || b.score - a.score || spread(a.rid) - spread(b.rid); });
    return { list: list, total: list.length };
  };

  // load texts of the best candidates, check unverified terms, rank by exactness
  // Load texts of the best unchecked candidates, check their unverified terms and rank by
  // exactness. `vs` carries what was checked across the calls of one query; the number of
  // texts checked is bounded (2K, or 6K while none has the whole query): each file costs time.
  Engine.prototype.verify = function (list, K, req, partial, segs, full, qid, qn, vs) {
    var self = this, out = vs.out;
    function round() {
      // next K candidates; in the query's first batch at most 3 per policy (a result group
      // shows 3 hits), later ones (looking for the whole query) in score order
      var batch = [];
      for (var i = 0; i < list.length && batch.length < K; i++) {
        var c = list[i], n = vs.perPol.get(c.pid) || 0;
        if (vs.seen.has(c.rid) || (!vs.rounds && n >= 3)) continue;
        vs.perPol.set(c.pid, n + 1);
        vs.seen.add(c.rid);
        batch.push(c);
      }
      vs.rounds++;
      vs.checks += batch.length;
      return Promise.all(batch.map(function (c) { return self.doc(c.rid); })).then(function (docs) {
        batch.forEach(function (c, i) {
          var d = docs[i], h = self.haystack(d);
          for (var k = 0; k < c.unk.length; k++) if (h.all.indexOf(c.unk[k]) < 0) { if (!partial) return; }
          // phrase: 3 = the query occurs as typed (spaces collapsed), 2 = every word occurs
          var ph = h.flat.indexOf(qn) >= 0 ? 3 : segs.every(function (s) { return h.all.indexOf(s) >= 0; }) ? 2 : 0;
          // title: equal to, starting with or containing the query
          var tt = 0;
          if (ph) {
            if (h.tOnly === full) tt = 3;
            else if (h.tOnly.indexOf(full) === 0) tt = 2;
            else if (segs.every(function (s) { return h.tOnly.indexOf(s) >= 0; })) tt = 1;
          }
          var idm = qid && (qid === idKey(d.id) || (d.docNo && qid === idKey(d.docNo))) ? 1 : 0;
          out.push({ c: c, d: d, phrase: ph, tt: tt, idm: idm, active: self.fActive[c.pid] });
        });
        var exact = out.filter(function (x) { return x.phrase === 3; }).length, gain = exact - vs.exact;
        vs.exact = exact;
        var more = batch.length && vs.seen.size < list.length && vs.checks < (exact ? 2 : 6) * K;
        // keep looking while nothing matched, nothing has the whole query, or the last batch
        // still found several with it
        if (more && (!out.length || (!partial && (!exact || (exact < Math.min(K, 10) && gain * 4 >= batch.length))))) return round();
        out.sort(function (a, b) {
          return b.idm - a.idm || b.phrase - a.phrase || b.tt - a.tt || b.active - a.active || b.c.hit - a.c.hit ||
            b.c.score - a.c.score || a.c.rid - b.c.rid;
        });
        return out.map(function (x) {
          return { rid: x.c.rid, pid: x.c.pid, doc: x.d, phrase: x.phrase, score: x.c.score, active: x.active,
            needles: x.phrase ? segs : req.map(function (s) { return s.term; }) };
        });
      });
    }
    return round();
  };

  // results of several query variants: the first (the text as typed) unless it only has partial
  // matches, then the others' new groups
  function mergeResults(rs, limit) {
    rs = rs.filter(function (r) { return r.results.length; });
    rs.sort(function (a, b) { return (a.partial ? 1 : 0) - (b.partial ? 1 : 0); });
    if (!rs.length) return { results: [], total: 0 };
    var seen = new Set(), out = [];
    rs.forEach(function (r) { r.results.forEach(function (g) { if (!seen.has(g.pid) && out.length < limit) { seen.add(g.pid); out.push(g); } }); });
    return { query: rs[0].query, results: out, total: Math.max.apply(null, rs.map(function (r) { return r.total; })), more: rs.some(function (r) { return r.more; }), partial: rs[0].partial, related: rs[0].related };
  }

  function group(hits, limit) {
    var groups = [], byPid = new Map();
    hits.forEach(function (h) {
      var g = byPid.get(h.pid);
      if (!g) {
        g = { pid: h.pid, title: h.doc.title, id: h.doc.id, docNo: h.doc.docNo, active: h.active, hits: [] };
        byPid.set(h.pid, g);
        groups.push(g);
      }
      if (g.hits.length < 3 && (!g.hits.length || h.phrase >= g.hits[0].phrase)) g.hits.push({ rid: h.rid, url: h.doc.url, heading: h.doc.heading, section: h.doc.section, text: h.doc.text, needles: h.needles, phrase: h.phrase });
    });
    return groups.slice(0, limit);
  }

  Engine.prototype.pinyin = function (q, filter) {
    var self = this, loads = [];
    for (var i = 0; i < this.meta.py; i++) loads.push(this.load('p', i, 'p/' + i + '.js'));
    return Promise.all(loads).then(function (chunks) {
      var hits = [];
      chunks.forEach(function (cat, ci) {
        cat.forEach(function (s, k) {
          var pid = ci * self.meta.pyn + k;
          if (!self.pass(pid, filter)) return;
          var m = pyMatch(s.split(' '), q);
          if (m) hits.push({ pid: pid, score: m.score, tier: m.start === 0 ? 2 : 1 });
        });
      });
      hits.sort(function (a, b) { return b.tier - a.tier || b.score - a.score || self.fActive[b.pid] - self.fActive[a.pid] || a.pid - b.pid; });
      return hits;
    });
  };

  Engine.prototype.mergePinyin = function (lex, joined, py, limit) {
    var self = this, seen = new Set(), out = [];
    var top = py.filter(function (h) { return h.tier === 2; }).slice(0, limit);
    var rest = py.filter(function (h) { return h.tier !== 2; }).slice(0, limit);
    return Promise.all(top.concat(rest).map(function (h) { return self.doc(self.polStart[h.pid]); })).then(function (docs) {
      function pyGroup(h, d) {
        return { pid: h.pid, title: d.title, id: d.id, docNo: d.docNo, active: self.fActive[h.pid], pinyin: true,
          hits: [{ rid: d.rid, url: d.url, heading: d.heading, section: d.section, text: d.text, needles: [], phrase: 0 }] };
      }
      function add(g) { if (!seen.has(g.pid) && out.length < limit) { seen.add(g.pid); out.push(g); } }
      top.forEach(function (h, i) { add(pyGroup(h, docs[i])); });
      [joined, lex].forEach(function (r) { if (r) r.results.forEach(add); });
      rest.forEach(function (h, i) { add(pyGroup(h, docs[top.length + i])); });
      return { query: lex.query, results: out, total: Math.max(out.length, lex.total), partial: lex.partial && !py.length, pinyin: py.length > 0 };
    });
  };

  // --------------------------------------------------------------- snippets
  // -> [[text, marked], ...] around the first match of any needle
  function snippet(text, needles, max) {
    var nm = normMap(text), rs = [];
    (needles || []).forEach(function (n) {
      if (!n) return;
      var i = 0, j;
      while (rs.length < 64 && (j = nm.t.indexOf(n, i)) >= 0) { rs.push([j, j + n.length]); i = j + n.length; }
    });
    if (max && text.length <= max) max = 0;
    if (!rs.length) return [[max ? Array.from(text).slice(0, max).join('') + '…' : text, false]];
    rs.sort(function (a, b) { return a[0] - b[0]; });
    var mr = [];
    rs.forEach(function (r) {
      var a = nm.m[r[0]], b = r[1] < nm.t.length ? nm.m[r[1]] : text.length;
      if (b <= a) b = a + 1;
      var l = mr[mr.length - 1];
      if (l && a <= l[1]) l[1] = Math.max(l[1], b); else mr.push([a, b]);
    });
    var start = 0, end = text.length;
    if (max) {
      start = Math.max(0, mr[0][0] - Math.floor(max / 4));
      end = Math.min(text.length, start + max);
      if (end - start < max) start = Math.max(0, end - max);
      if (/[\uDC00-\uDFFF]/.test(text[start] || '')) start++;
    }
    var out = [], p = start;
    if (start > 0) out.push(['…', false]);
    mr.forEach(function (r) {
      if (r[1] <= p || r[0] >= end) return;
      var a = Math.max(r[0], p), b = Math.min(r[1], end);
      if (a > p) out.push([text.slice(p, a), false]);
      out.push([text.slice(a, b), true]);
      p = b;
    });
    if (p < end) out.push([text.slice(p, end), false]);
    if (end < text.length) out.push(['…', false]);
    return out;
  }

  // ------------------------------------------------------------------ API
  var API = { Engine: Engine, norm: norm, normMap: normMap, queryTerms: queryTerms, crc32: crc32, vlq: vlq,
    setT2S: setT2S, pyMatch: pyMatch, snippet: snippet, idKey: idKey };
  G.HBSearch = API;
  if (typeof document === 'undefined') return;

  // ------------------------------------------------------- browser loading
  var doc = document, html = doc.documentElement;
  var ROOT = html.getAttribute('data-root') || '';
  var BASE = ROOT + 'search/';
  var got = {}, waiting = {};
  API.loaded = [];
  G.__hbs = function (kind, n, data) {
    var k = kind + n;
    got[k] = data;
    (waiting[k] || []).forEach(function (w) { w[0](data); });
    delete waiting[k];
  };
  var engine = null;
  function scriptLoader(kind, n, path) {
    var k = kind + n;
    if (k in got) return Promise.resolve(got[k]);
    return new Promise(function (res, rej) {
      if (waiting[k]) { waiting[k].push([res, rej]); return; }
      waiting[k] = [[res, rej]];
      var s = doc.createElement('script');
      s.src = BASE + path + (engine && engine.ver && kind !== 'm' ? '?v=' + engine.ver : '');
      s.async = true;
      API.loaded.push(path);
      s.onload = function () { s.remove(); if (waiting[k]) { var w = waiting[k]; delete waiting[k]; w.forEach(function (x) { x[1](new Error('index file did not register: ' + path)); }); } };
      s.onerror = function () { s.remove(); var w = waiting[k] || []; delete waiting[k]; w.forEach(function (x) { x[1](new Error('cannot load ' + path)); }); };
      doc.head.appendChild(s);
    });
  }
  function getEngine() {
    if (!engine) { engine = new Engine(scriptLoader); API.engine = engine; }
    return engine;
  }
  API.getEngine = getEngine;

  // ------------------------------------------------------------ rendering
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function marked(parent, parts) {
    parts.forEach(function (p) { parent.appendChild(p[1] ? el('mark', null, p[0]) : doc.createTextNode(p[0])); });
    return parent;
  }
  function label(hit) {
    return [hit.section && hit.heading !== hit.section ? hit.section : '', hit.heading].filter(Boolean).join(' · ');
  }
  function hitLink(g, hit, cls, max) {
    var a = el('a', cls);
    a.href = ROOT + hit.url;
    a.setAttribute('data-title', g.title);
    var head = el('span', 'hb-hit-head');
    marked(head.appendChild(el('span', 'hb-hit-title')), snippet('《' + g.title + '》', hit.needles, 0));
    var lab = label(hit);
    if (lab) marked(head.appendChild(el('span', 'hb-hit-label')), snippet(lab, hit.needles, 0));
    if (!g.active) head.appendChild(el('span', 'hb-badge hb-retired', '已废止'));
    a.appendChild(head);
    if (hit.text) marked(a.appendChild(el('span', 'hb-snippet')), snippet(hit.text, hit.needles, max));
    return a;
  }

  // header box with instant results
  function initBox() {
    var input = doc.getElementById('hb-q'), dd = doc.getElementById('hb-dd');
    if (!input || !dd) return;
    var form = input.form, timer = 0, seq = 0, sel = -1;
    function items() { return dd.querySelectorAll('a'); }
    function close() { dd.hidden = true; input.setAttribute('aria-expanded', 'false'); sel = -1; }
    function mark(i) {
      var it = items();
      if (!it.length) return;
      sel = (i + it.length) % it.length;
      it.forEach(function (a, k) { a.classList.toggle('hb-sel', k === sel); a.setAttribute('aria-selected', k === sel ? 'true' : 'false'); });
      it[sel].scrollIntoView({ block: 'nearest' });
    }
    function resultsUrl(q) { return ROOT + 'search.html?q=' + encodeURIComponent(q); }
    function run() {
      var q = input.value, my = ++seq;
      if (!q.trim()) { close(); return; }
      getEngine().search(q, { limit: 6 }).then(function (r) {
        if (my !== seq) return;
        dd.textContent = '';
        if (!r.results.length) dd.appendChild(el('div', 'hb-dd-empty', '没有找到与“' + q.trim() + '”相关的条款'));
        r.results.forEach(function (g) {
          g.hits.slice(0, 1).forEach(function (h) { var a = hitLink(g, h, 'hb-dd-item', 60); a.setAttribute('role', 'option'); dd.appendChild(a); });
        });
        var all = el('a', 'hb-dd-all', '查看全部结果 →');
        all.href = resultsUrl(q.trim());
        dd.appendChild(all);
        dd.hidden = false;
        input.setAttribute('aria-expanded', 'true');
        sel = -1;
      }).catch(function (e) { if (my === seq) { dd.textContent = ''; dd.appendChild(el('div', 'hb-dd-empty', '搜索索引加载失败')); dd.hidden = false; G.console && console.error(e); } });
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 90); });
    input.addEventListener('focus', function () { getEngine().init().catch(function () {}); if (input.value.trim() && dd.childNodes.length) { dd.hidden = false; } });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); mark(sel + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); mark(sel - 1); }
      else if (e.key === 'Escape') { close(); }
      else if (e.key === 'Enter' && sel >= 0 && items()[sel]) { e.preventDefault(); G.location.href = items()[sel].href; }
    });
    if (form) form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (input.value.trim()) G.location.href = resultsUrl(input.value.trim());
    });
    doc.addEventListener('click', function (e) { if (!form || !form.contains(e.target)) close(); });
    doc.addEventListener('keydown', function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT' && !(t && t.isContentEditable)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
  }

  // full results page
  function initPage() {
    var box = doc.getElementById('search-results');
    if (!box) return;
    var form = doc.getElementById('hb-search-form'), status = doc.getElementById('search-status');
    var related = doc.getElementById('search-related') || el('div');
    var qIn = doc.getElementById('hb-page-q'), fc = doc.getElementById('hb-f-chapter'), fo = doc.getElementById('hb-f-owner'), fs = doc.getElementById('hb-f-status');
    var params = new URLSearchParams(G.location.search);
    var state = { q: params.get('q') || '', chapter: params.get('chapter') || '', owner: params.get('owner') || '', status: params.get('status') || '', limit: 10 };
    if (qIn) qIn.value = state.q;
    var head = doc.getElementById('hb-q');
    if (head && !head.value) head.value = state.q;
    function options(sel, values, cur) {
      if (!sel) return;
      values.forEach(function (v) { var o = el('option', null, v); o.value = v; sel.appendChild(o); });
      sel.value = cur;
    }
    function sync() {
      var u = new URLSearchParams();
      ['q', 'chapter', 'owner', 'status'].forEach(function (k) { if (state[k]) u.set(k, state[k]); });
      try { G.history.replaceState(null, '', '?' + u.toString()); } catch (e) { /* file:// in some browsers */ }
    }
    var seq = 0, baseTitle = doc.title;
    function run() {
      var my = ++seq;
      box.setAttribute('data-state', 'loading');
      var q = state.q.trim();
      if (!q) { box.textContent = ''; status.textContent = '请输入要搜索的词语、条款或制度编号。'; box.setAttribute('data-state', 'done'); return; }
      status.textContent = '正在搜索…';
      var f = { chapter: state.chapter, owner: state.owner, status: state.status };
      getEngine().search(q, { limit: state.limit, filter: f, related: true }).then(function (r) {
        if (my !== seq) return;
        box.textContent = '';
        doc.title = q + ' - ' + baseTitle;
        if (!r.results.length) status.textContent = '没有找到与“' + q + '”相关的条款。可尝试更短的关键词、制度编号或拼音首字母。';
        else status.textContent = (r.partial ? '没有完全匹配的结果，以下为部分匹配：' : '') + '找到 ' + r.results.length + (r.total > r.results.length ? '+' : '') + ' 项制度';
        r.results.forEach(function (g) {
          var sec = el('section', 'hb-group' + (g.active ? '' : ' hb-group-retired'));
          g.hits.forEach(function (h, i) { sec.appendChild(hitLink(g, h, i ? 'hb-hit hb-sub' : 'hb-hit', 160)); });
          box.appendChild(sec);
        });
        related.textContent = '';
        if (r.related && r.related.length) {
          related.appendChild(el('h2', 'hb-related-title', '部分匹配的相关条款'));
          r.related.forEach(function (g) { related.appendChild(hitLink(g, g.hits[0], 'hb-hit hb-related', 120)); });
        }
        if (r.results.length >= state.limit || r.more) {
          var more = el('button', 'hb-more', '显示更多结果');
          more.type = 'button';
          more.addEventListener('click', function () { state.limit += 10; run(); });
          box.appendChild(more);
        }
        box.setAttribute('data-partial', r.partial ? 'true' : 'false');
        box.setAttribute('data-state', 'done');
      }).catch(function (e) {
        if (my !== seq) return;
        status.textContent = '搜索索引加载失败：' + e.message;
        box.setAttribute('data-state', 'done');
      });
    }
    getEngine().init().then(function (E) {
      options(fc, E.meta.chapters, state.chapter);
      options(fo, E.meta.owners, state.owner);
      if (fs) fs.value = state.status;
    }).catch(function () {});
    if (form) {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        state.q = qIn ? qIn.value : state.q;
        state.limit = 10;
        sync();
        run();
      });
      [fc, fo, fs].forEach(function (s) {
        if (s) s.addEventListener('change', function () { state.chapter = fc ? fc.value : ''; state.owner = fo ? fo.value : ''; state.status = fs ? fs.value : ''; state.limit = 10; sync(); run(); });
      });
    }
    run();
  }

  function start() { initBox(); initPage(); }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start); else start();
})(typeof window !== 'undefined' ? window : globalThis);
