//# allFunctionsCalledOnLoad
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
    var n = 0, i, L = s.length, c, cur = 0, m = 1, k = 0;
    for (i = 0; i < L; i++) if (AV[s.charCodeAt(i)] < 32) n++;
    var out = new Float64Array(n);
    for (i = 0; i < L; i++) {
      c = AV[s.charCodeAt(i)];
      cur += (c & 31) * m;
      if (c < 32) { out[k++] = cur; cur = 0; m = 1; } else m *= 32;
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
  var T2S = new Map(), CACHE = new Map(), VOCAB = null, VOCAB_MAX = 0, VOCAB_FIRST = null;
  // data: [character pairs, "台湾词=大陆词|…"] (search/t2s.js)
  function setT2S(data) {
    var pairs = typeof data === 'string' ? data : data[0];
    T2S = new Map();
    for (var i = 0; i < pairs.length;) {
      var a = pairs.codePointAt(i), al = a > 0xFFFF ? 2 : 1, b = pairs.codePointAt(i + al), bl = b > 0xFFFF ? 2 : 1;
      T2S.set(pairs.substr(i, al), pairs.substr(i + al, bl));
      i += al + bl;
    }
    CACHE = new Map();
    NORM_RE = null;
    VOCAB = null; VOCAB_MAX = 0; VOCAB_FIRST = null;
    if (typeof data !== 'string' && data[1]) {
      VOCAB = new Map(); VOCAB_FIRST = new Set();
      data[1].split('|').forEach(function (kv) {
        var j = kv.indexOf('='), k = kv.slice(0, j);
        VOCAB.set(k, kv.slice(j + 1)); VOCAB_FIRST.add(k[0]);
        if (k.length > VOCAB_MAX) VOCAB_MAX = k.length;
      });
    }
  }
  // Taiwan/Hong Kong vocabulary -> mainland (資訊安全 -> 信息安全), for a second query variant:
  // left to right, the longest word at each position (keys are Han, one code unit each)
  function vocabAlt(qn) {
    if (!VOCAB) return qn;
    var out = '', i = 0, last = 0;
    while (i < qn.length) {
      var hit = 0;
      if (VOCAB_FIRST.has(qn[i])) {
        for (var L = Math.min(VOCAB_MAX, qn.length - i); L >= 2; L--) {
          var v = VOCAB.get(qn.substr(i, L));
          if (v !== undefined) { out += qn.slice(last, i) + v; i += L; last = i; hit = 1; break; }
        }
      }
      if (!hit) i++;
    }
    return last ? out + qn.slice(last) : qn;
  }
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
  // core.numerals.to_chinese: 12 -> 十二, 1165 -> 一千一百六十五, 10015 -> 一万零一十五
  function cnum(n) {
    if (n < 10) return DIG[n];
    if (n < 20) return '十' + (n > 10 ? DIG[n - 10] : '');
    var U = [[1e8, '亿'], [1e4, '万']];
    for (var u = 0; u < 2; u++) {
      if (n < U[u][0]) continue;
      var hi = Math.floor(n / U[u][0]), lo = n % U[u][0], o = cnum(hi) + U[u][1];
      if (!lo) return o;
      var rest = cnum(lo);
      return o + (lo < U[u][0] / 10 ? '零' : '') + (rest[0] === '十' ? '一' + rest : rest);
    }
    var out = '', zero = false, started = false, V = [1000, 100, 10, 1], N = '千百十';
    for (var k = 0; k < 4; k++) {
      var d = Math.floor(n / V[k]);
      n %= V[k];
      if (d) { if (zero && started) out += '零'; out += DIG[d] + (N[k] || ''); started = true; zero = false; }
      else if (started) zero = true;
    }
    return out;
  }
  // (as normalize._NUM_RE: longer numbers only before 条)
  var NUM_RE = /第([0-9]{1,3}(?![0-9])|[0-9]{4,12}(?=条))/g;
  // -> {t: normalised text, m: m[i] = index in s of the source of t[i]; m[t.length] = s.length}
  function normMap(s) {
    // usually every character folds to as many code units and nothing else changes: the offsets
    // are the identity (m: null)
    var same = true;
    var t = s.replace(normRe(), function (ch) { var r = normChar(ch); if (r.length !== ch.length) same = false; return r; });
    if (same && t.indexOf('\t') < 0 && t.indexOf('  ') < 0 && !/第[0-9]/.test(t)) return { t: t, m: null };
    return normMapSlow(s);
  }
  function normMapSlow(s) {
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
  // norm(s) === normMap(s).t, faster: a regular expression finds the characters the fold may
  // change (T->S keys, everything outside a-z 0-9 white space, CJK U+4E00..U+9FFF and a few marks
  // checked to be unchanged), then runs of spaces and article numbers as in normMap
  var NORM_RE = null, SAFE_MARKS = '、。〈〉《》「」『』【】〔〕“”‘’…—·';
  function normRe() {
    if (!NORM_RE) {
      var keys = '', safe = '';
      T2S.forEach(function (v, k) { keys += k; });
      for (var c of SAFE_MARKS) if (normChar(c) === c && !T2S.has(c)) safe += c;
      var esc = function (x) { return x.replace(/[\\\]\^\-]/g, '\\$&'); };
      NORM_RE = new RegExp((keys ? '[' + esc(keys) + ']|' : '') + '[^a-z0-9 \\t\\n\u4e00-\u9fff' + esc(safe) + ']', 'gu');
    }
    return NORM_RE;
  }
  function canonNum(m, d) { return '第' + cnum(parseInt(d, 10)); }
  function norm(s) {
    var t = s.replace(normRe(), normChar);
    if (t.indexOf('\t') >= 0 || t.indexOf('  ') >= 0) t = t.replace(/[ \t]{2,}|\t/g, ' ');
    if (t.indexOf('第') < 0) return t;
    NUM_RE.lastIndex = 0;
    return t.replace(NUM_RE, canonNum);
  }

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
  var ID_DROP = new RegExp('[^0-9a-z' + HAN + ']', 'gu');
  function idKey(s) { return norm(s).replace(ID_DROP, ''); }

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

  // A pinyin catalogue chunk ("shang hai …|alias …" per policy) as each policy's names, split
  // once per page; a name is cut into syllables only when one starts with the query's letter.
  function pyPrepare(cat) {
    return cat.map(function (s) { return s.split('|'); });
  }

  // ----------------------------------------------------------------- engine
  function Engine(loader) {
    this.load = loader; // (kind, n, path) -> Promise<data>
    this.ready = null;
    this.docs = new Map();
    this.hay = new Map();
    this.polHay = new Map();
    this.terms = new Map();
    this.pyNames = [];
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
        for (var p = 0; p < P; p++) ps[p + 1] = ps[p] + pr[p];
        var dc = vlq(M.dc), cs = self.chunkStart = new Int32Array(dc.length + 1);
        for (p = 0; p < dc.length; p++) cs[p + 1] = cs[p] + dc[p];
        var f = vlq(M.fac);
        // fState[p]: lifecycle state ("active", "pending", "overdue", "expired", "retired");
        // fActive[p]: in force (active or overdue)
        self.fChapter = new Int32Array(P); self.fOwner = new Int32Array(P); self.fActive = new Uint8Array(P); self.fState = new Array(P);
        for (p = 0; p < P; p++) {
          self.fChapter[p] = f[3 * p]; self.fOwner[p] = f[3 * p + 1];
          var st = self.fState[p] = M.states[f[3 * p + 2]];
          self.fActive[p] = st === 'active' || st === 'overdue' ? 1 : 0;
        }
        self.L = M.levels;
        return self;
      });
    }
    return this.ready;
  };
  // the policy of a record (records are numbered policy by policy)
  Engine.prototype.pidOf = function (rid) {
    var ps = this.polStart, lo = 0, hi = ps.length - 2;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (ps[mid] <= rid) lo = mid; else hi = mid - 1; }
    return lo;
  };
  // ---- index data (part A: the lean index). A shard is ["term\nterm…", entries]: per term a
  // record part then a policy part, each `df` (0: none) [`first block file, (count, max level)
  // per block` when df > meta.im] `length` and that many characters of encoded postings.
  // A term's entry is found by skipping the entries before it, once: `offs` holds the offsets
  // of the entries skipped so far (a query usually asks one or two terms of a shard).
  Engine.prototype.shard = function (term) {
    var n = crc32(term) & (this.meta.shards - 1), maps = this.shardMaps || (this.shardMaps = new Map()), c = maps.get(n);
    if (!c) {
      c = this.load('s', n, 's/' + n.toString(16) + '.js').then(function (d) {
        return { s: d[1], terms: d[0] ? d[0].split('\x7f') : [], offs: [0] };
      });
      maps.set(n, c);
    }
    return c;
  };
  // -> offset of a term's entry in its shard, or -1 (not in the index)
  function entryAt(sh, term, im, bs) {
    var k = sh.terms.indexOf(term), o = sh.offs, at = { i: o[o.length - 1] };
    for (; k >= o.length; o.push(at.i)) { skipPart(sh.s, at, im, bs); skipPart(sh.s, at, im, bs); }
    return k < 0 ? -1 : o[k];
  }
  function readNum(s, at) {
    var c = AV[s.charCodeAt(at.i++)], v = c & 31, m = 32;
    while (c >= 32) { c = AV[s.charCodeAt(at.i++)]; v += (c & 31) * m; m *= 32; }
    return v;
  }
  function skipPart(s, at, im, bs) {
    var df = readNum(s, at);
    if (!df) return;
    if (df > im) for (var k = 2 * Math.ceil(df / bs) + 1; k > 0; k--) readNum(s, at);
    var len = readNum(s, at);  // (read first: `at.i += readNum(…)` would add to the old at.i)
    at.i += len;
  }
  // -> null (no postings) or {df, list}: list as partData takes it
  function readPart(s, at, im, bs) {
    var df = readNum(s, at);
    if (!df) return null;
    var list = null;
    if (df > im) { list = [readNum(s, at)]; for (var k = 2 * Math.ceil(df / bs); k > 0; k--) list.push(readNum(s, at)); }
    var len = readNum(s, at), text = s.substr(at.i, len);
    at.i += len;
    if (list) list.push(text); else list = text;
    return { df: df, list: list };
  }
  // idf x 100 as the builder's BM25 idf (N: records or policies)
  function idf100(N, df) { return Math.round(Math.log1p((N - df + 0.5) / (df + 0.5)) * 100); }
  // A term's index entry (cached): per part (records, policies) its weight unit, df, inline
  // postings and block descriptor; decoded blocks are cached too.
  Engine.prototype.termData = function (term) {
    var self = this, c = this.terms.get(term);
    if (c) return c;
    c = this.shard(term).then(function (sh) {
      var M = self.meta, off = entryAt(sh, term, M.im, M.bs);
      if (off < 0) return null;
      var at = { i: off }, r = readPart(sh.s, at, M.im, M.bs), p = readPart(sh.s, at, M.im, M.bs);
      var ir = r ? idf100(M.records, r.df) : 0, parts = [self.partData(ir / 100, r ? r.list : 0, r ? r.df : 0, ir)];
      if (p) { var ip = idf100(M.policies, p.df); parts.push(self.partData(M.tb * ip / 100, p.list, p.df, M.tb * ip)); }
      return { term: term, parts: parts };
    });
    this.terms.set(term, c);
    return c;
  };
  Engine.prototype.partData = function (idf, list, df, num) {
    // list: 0, an inline list, or [first block file, count, max level per block..., first block]
    // (the first block travels in the shard; block k >= 1 is file first + k - 1)
    // (a posting's weight w * level is num * level / (100 * levels): num is an integer when the
    // title boost is)
    var d = { w: idf / this.L, num: num, df: df, inline: null, blocks: null, first: null, cache: [] };
    if (typeof list === 'string') d.inline = decodeList(list, df);
    else if (list) { d.blocks = list.slice(0, -1); d.first = list[list.length - 1]; }
    return d;
  };
  // A query's view of a term: what this query has loaded so far (starting from the inline
  // postings), so that results never depend on what earlier queries loaded. A part's postings
  // are a list of decoded lists ({ids, lv}, disjoint); `known` counts them.
  function termView(t) {
    var st = { term: t.term, parts: [] };
    t.parts.forEach(function (d) {
      st.parts.push({ lists: d.inline ? [d.inline] : [], known: d.inline ? d.inline.ids.length : 0, data: d, w: d.w,
        num: d.num, df: d.df, blocks: d.blocks, next: 0, done: !d.blocks });
    });
    return st;
  }
  // load the next impact block of a query's part (no-op when complete)
  // (with `at`, block number `at` of the part, its bookkeeping done by the caller)
  Engine.prototype.more = function (p, at) {
    var given = at !== undefined;
    if (!given && p.done) return Promise.resolve(false);
    var k = given ? at : p.next, b = p.blocks[0] + k - 1, d = p.data;
    if (!given) { p.next++; p.done = p.next * 2 + 1 >= p.blocks.length; }
    var got = d.cache[k] || (d.cache[k] = (k ? this.load('b', b, 'b/' + b + '.js') : Promise.resolve(d.first)).then(function (s) {
      return decodeList(s, p.blocks[1 + 2 * k]);
    }));
    return got.then(function (l) {
      p.lists.push(l);
      p.known += l.ids.length;
      return true;
    });
  };
  function ub(p) { return p.done ? 0 : p.w * p.blocks[1 + 2 * p.next + 1]; }
  // a posting list (groups `level, count, first id, gap, gap, ...` as VLQ) -> {ids, lv}
  function decodeList(s, n) {
    var ids = new Int32Array(n), lv = new Uint8Array(n), k = 0, i = 0, L = s.length, c, v, m;
    while (i < L) {
      c = AV[s.charCodeAt(i++)]; v = c & 31; m = 32;
      while (c >= 32) { c = AV[s.charCodeAt(i++)]; v += (c & 31) * m; m *= 32; }
      var lvl = v;
      c = AV[s.charCodeAt(i++)]; v = c & 31; m = 32;
      while (c >= 32) { c = AV[s.charCodeAt(i++)]; v += (c & 31) * m; m *= 32; }
      var cnt = v, id = -1;
      if (k + cnt > ids.length) {  // more postings than announced: grow
        var n2 = Math.max(k + cnt, 2 * ids.length), i2 = new Int32Array(n2), l2 = new Uint8Array(n2);
        i2.set(ids); l2.set(lv); ids = i2; lv = l2;
      }
      for (var j = 0; j < cnt; j++) {
        c = AV[s.charCodeAt(i++)]; v = c & 31; m = 32;
        while (c >= 32) { c = AV[s.charCodeAt(i++)]; v += (c & 31) * m; m *= 32; }
        id += v + 1;
        ids[k] = id; lv[k++] = lvl;
      }
    }
    return k === ids.length ? { ids: ids, lv: lv } : { ids: ids.subarray(0, k), lv: lv.subarray(0, k) };
  }
  Engine.prototype.doc = function (rid) {
    var cs = this.chunkStart, lo = 0, hi = cs.length - 2;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (cs[mid] <= rid) lo = mid; else hi = mid - 1; }
    var self = this;
    var dp = this.docP || (this.docP = new Map()), got = dp.get(lo);
    if (!got) { got = this.load('d', lo, 'd/' + lo + '.js').then(unpack); dp.set(lo, got); }
    return got.then(function (d) {
      if (!self.docs.has(d[0])) {
        // [first record, heads [policy, page URL, title, id, docNo, alias…], sections,
        // body: URL suffix (or a URL), heading, section index, text per record]
        var heads = {}, sec = d[2], b = d[3];
        d[1].forEach(function (h) { heads[h[0]] = { url: h[1], title: h[2], id: h[3], docNo: h[4], aliases: h.slice(5) }; });
        for (var k = 0; 4 * k < b.length; k++) {
          var rid2 = d[0] + k, pid = self.pidOf(rid2), h = heads[pid], u = b[4 * k];
          self.docs.set(rid2, { rid: rid2, pid: pid, url: !u || u.charAt(0) === '#' ? h.url + u : u, heading: b[4 * k + 1],
            section: sec[b[4 * k + 2]], text: b[4 * k + 3], title: h.title, id: h.id, docNo: h.docNo, aliases: h.aliases });
        }
      }
      return self.docs.get(rid);
    });
  };
  // packed data: unpadded base85 of raw-deflated JSON (index.py _packed)
  var B85 = new Uint8Array(128);
  (ALPH.slice(52, 62) + ALPH.slice(0, 52) + '!#$%&()*+-;<=>?@^_`{|}~').split('').forEach(function (c, i) { B85[c.charCodeAt(0)] = i; });
  function unpack(s) {
    var n = s.length, u = new Uint8Array(n * 4 / 5 | 0), o = 0;
    for (var i = 0; i < n; i += 5) {
      for (var v = 0, j = i; j < i + 5; j++) v = v * 85 + (j < n ? B85[s.charCodeAt(j)] : 84);
      for (var k = 24; k >= 0 && o < u.length; k -= 8) u[o++] = v >>> k;
    }
    return new Response(new Response(u).body.pipeThrough(new DecompressionStream('deflate-raw'))).text().then(JSON.parse);
  }
  // normalised texts of a record (the policy's parts are shared by its records)
  Engine.prototype.haystack = function (d) {
    var h = this.hay.get(d.rid);
    if (!h) {
      var pt = this.polHay.get(d.pid);
      if (!pt) {
        pt = { tOnly: norm(d.title), title: norm([d.title, d.id, d.docNo].concat(d.aliases).join(' ')), id: idKey(d.id), docNo: d.docNo ? idKey(d.docNo) : '' };
        this.polHay.set(d.pid, pt);
      }
      h = { tOnly: pt.tOnly, title: pt.title, head: norm([d.section, d.heading].filter(Boolean).join(' ')), text: norm(d.text), pol: pt };
      h.all = h.title + '\n' + h.head + '\n' + h.text;
      this.hay.set(d.rid, h);
    }
    return h;
  };
  Engine.prototype.pass = function (pid, f) {
    if (!f) return true;
    if (f.chapter != null && f.chapter !== '' && this.meta.chapters[this.fChapter[pid]] !== f.chapter) return false;
    if (f.owner != null && f.owner !== '' && this.meta.owners[this.fOwner[pid]] !== f.owner) return false;
    if (f.status === 'active' && !this.fActive[pid]) return false;
    if (f.status === 'retired' && this.stateRank(pid) !== 0) return false;
    if (f.status === 'pending' && this.stateRank(pid) !== 1) return false;
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
      var cite = parseCite(qn);  // (part B) a citation: the article first
      if (cite) return self.citeSearch(cite, qn, limit, filter, opts.related);
      var letters = /^[a-z' ]+$/.test(qn) ? qn.replace(/[' ]/g, '') : '';
      var lex = self.lexical(qn, limit, filter, opts.related), alt = vocabAlt(qn);
      // the vocabulary variant only when the text as typed leaves room (its results would follow)
      if (alt !== qn) {
        return lex.then(function (r0) {
          if (!r0.partial && r0.more && r0.results.length >= limit && r0.total > r0.results.length) return mergeResults([r0], limit);
          return self.lexical(alt, limit, filter, opts.related).then(function (r1) { return mergeResults([r0, r1], limit); });
        });
      }
      if (letters.length < 2) return lex;
      var jq = letters !== qn ? self.lexical(letters, limit, filter) : Promise.resolve(null);
      return Promise.all([lex, jq, self.pinyin(letters, filter)]).then(function (r) {
        return self.mergePinyin(r[0], r[1], r[2], limit);
      });
    }).then(function (r) { return self.finish(r); }).then(function (r) { return self.forgive(query, opts, r); });  // (part C) fallback
  };

  // (part A) Bigrams of a Han run of 8+ characters that its other bigrams cover (BC, DE of
  // ABCDEF) are not looked up (a shard file each) but checked in the candidates' texts; a query
  // left with no full match runs again with them, so partial matches rank as before.
  function coverTerms(qn, req) {
    var imp = new Set();
    all(HAN_RUN, qn).forEach(function (m) {
      var cs = Array.from(m[0]);
      if (cs.length >= 8) for (var i = 1; i + 2 < cs.length; i += 2) imp.add(cs[i] + cs[i + 1]);
    });
    return { load: req.filter(function (t) { return !imp.has(t); }), implied: req.filter(function (t) { return imp.has(t); }) };
  }
  Engine.prototype.lexical = function (qn, limit, filter, related) {
    var self = this, qt = queryTerms(qn), cover = coverTerms(qn, qt.req);
    return this.match(qn, qt, cover, limit, filter, related).then(function (res) {
      return cover.implied.length && (res.partial || !res.results.length) ? self.match(qn, qt, { load: qt.req, implied: [] }, limit, filter, related) : res;
    });
  };
  Engine.prototype.match = function (qn, qt, cover, limit, filter, related) {
    var self = this, K = limit + 1;
    var segs = qn.split(' '), full = segs.join(''), qid = idKey(qn);
    return Promise.all([this.resolve(cover.load, qt.fb), this.resolve(qt.opt, {})]).then(function (r) {
      var req = r[0], opt = r[1].filter(Boolean);
      var partial = req.some(function (s) { return !s; });
      req = req.filter(Boolean);
      if (!req.length) return { query: qn, results: [], total: 0 };
      var rounds = 0, vs = { perPol: new Map(), seen: new Set(), out: [], rounds: 0, checks: 0, exact: 0, implied: cover.implied };
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
          var sure = Math.min(scored.sure, K);
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
    var list = this.score(req, opt, filter, true).list;
    for (var i = 0; i < list.length && picks.length < 5; i++) {
      var c = list.get(i);
      if (c.hit >= need && c.hit < req.length && !have.has(c.pid)) { have.add(c.pid); picks.push(c); }
    }
    return Promise.all(picks.map(function (c) { return self.doc(c.rid); })).then(function (docs) {
      return group(picks.map(function (c, i) {
        return { rid: c.rid, pid: c.pid, doc: docs[i], phrase: 0, score: c.score, active: self.fActive[c.pid], needles: req.map(function (s) { return s.term; }) };
      }), 5);
    });
  };

  // ties in an arbitrary but fixed order that is not the handbook's (records of one chapter
  // are neighbours, so checking ties by record number would sample one chapter only)
  function spread(rid) { return Math.imul(rid + 1, 2654435761) >>> 0; }

  // Candidates in rank order, ordered lazily: get(i) -> candidate object. `sel` holds the
  // candidates that can be among the best TOP (see score), `all()` every candidate: the best TOP
  // are selected from `sel`, the others sorted only if ever needed (a query usually checks the
  // texts of a few dozen). Each holds arrays p1..p4 (order: descending, lexicographically),
  // cmp (a strict total order on indexes, < 0: a first) and make(index) -> candidate.
  var TOP = 96;
  function setTop(n) { TOP = n; }  // (tests: a small TOP exercises the selection)
  function Ranked(n, sel, all) { this.length = n; this.sel = sel; this.all = all; this.src = null; this.order = null; this.sorted = 0; this.objs = []; }
  Ranked.prototype.get = function (i) {
    if (i >= this.sorted) this.sortTo(i + 1);
    return this.objs[i] || (this.objs[i] = this.src.make(this.order[i]));
  };
  Ranked.prototype.sortTo = function (m) {
    var S = this.sel, n = S.n, x, top = [];
    if (!this.order && m <= TOP && (n > 2 * TOP || n < this.length)) {
      var cmp = S.cmp, p1 = S.p1, p2 = S.p2, p3 = S.p3, p4 = S.p4, w = -1, a, b;
      if (n <= 2 * TOP) w = -2;  // few: sort them all
      for (x = 0; x < n && w > -2; x++) {
        if (w >= 0) {  // not better than the last of a full selection: skip
          a = p1[x]; b = p1[w];
          if (a < b) continue;
          if (a === b) {
            a = p2[x]; b = p2[w];
            if (a < b) continue;
            if (a === b) {
              a = p3[x]; b = p3[w];
              if (a < b || (a === b && p4[x] <= p4[w])) continue;
            }
          }
          top.pop();
        }
        var lo = 0, hi = top.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (cmp(top[mid], x) < 0) lo = mid + 1; else hi = mid; }
        top.splice(lo, 0, x);
        if (top.length === TOP) w = top[TOP - 1];
      }
      if (w === -2) { for (x = 0; x < n; x++) top.push(x); top.sort(cmp); }
      // (when `sel` is not every candidate, only its first TOP are certainly the best TOP)
      this.src = S; this.order = top; this.sorted = Math.min(top.length, TOP);
      return;
    }
    if (n < this.length) S = this.all();  // (its first TOP in order are those selected above)
    for (x = 0; x < S.n; x++) top.push(x);
    top.sort(S.cmp);
    this.src = S; this.order = top; this.sorted = S.n; this.objs = [];
  };

  // candidate records with estimated scores
  Engine.prototype.score = function (req, opt, filter, partial) {
    var self = this, ps = this.polStart, R = this.meta.records, P = this.meta.policies;
    var terms = req.concat(opt), nr = req.length, nt = terms.length, tot = 0, t, l, j, k, c, ids, lv, x, pid;
    terms.forEach(function (s) { s.parts.forEach(function (p) { p.lists.forEach(function (L) { tot += L.ids.length; }); }); });
    // Every loaded record posting as one integer (record, term, level) = (record << TB | term) << 5
    // | level, a policy posting as its first record with term nt (a candidate only); sorted,
    // they come grouped by record, in record order, each record's terms in order. (Small
    // integers: no floating point, which costs in code that runs once.)
    var TB = 1;
    while ((1 << TB) <= nt) TB++;
    var big = R * Math.pow(2, TB + 5) >= 1073741824;  // then in floating point (very large sites)
    var RS = TB + 5, TM = (1 << TB) - 1, RM = Math.pow(2, RS);
    var keys = big ? new Float64Array(tot) : new Int32Array(tot);
    for (t = 0, k = 0; t < nt; t++) {
      var parts = terms[t].parts;
      for (l = 0; l < parts[0].lists.length; l++) {
        ids = parts[0].lists[l].ids; lv = parts[0].lists[l].lv;
        if (big) for (j = 0; j < ids.length; j++) keys[k++] = ids[j] * RM + t * 32 + lv[j];
        else for (j = 0; j < ids.length; j++) keys[k++] = (ids[j] << RS) | (t << 5) | lv[j];
      }
      if (parts[1]) for (l = 0; l < parts[1].lists.length; l++) {
        ids = parts[1].lists[l].ids;
        for (j = 0; j < ids.length; j++) keys[k++] = ps[ids[j]] * RM + nt * 32;
      }
    }
    keys.sort();
    function ridOf(key) { return big ? Math.floor(key / RM) : key >> RS; }
    function termOf(key) { return big ? Math.floor((key % RM) / 32) : (key >> 5) & TM; }
    // per term, its policy postings as policy * 32 + level, sorted (records are numbered policy
    // by policy: candidates in record order have their policies in ascending order)
    var pols = terms.map(function (s) {
      var p = s.parts[1];
      if (!p || !p.lists.length) return null;
      var n = 0; p.lists.forEach(function (L) { n += L.ids.length; });
      var a = new Float64Array(n), m = 0;
      p.lists.forEach(function (L) { for (var j = 0; j < L.ids.length; j++) a[m++] = L.ids[j] * 32 + L.lv[j]; });
      a.sort();
      return { a: a, w: p.w };
    });
    var wr = terms.map(function (s) { return s.parts[0].w; });
    var bounds = req.map(function (s) { return s.parts.reduce(function (a, p) { return a + ub(p); }, 0); });
    // chance that a record not in the loaded blocks of a term still has it
    var odds = req.map(function (s) {
      var p = s.parts[0], known = p.known, N = R;
      if (p.done && s.parts[1]) { p = s.parts[1]; known = p.known; N = P; }
      return p.done ? 0 : Math.min(1, Math.max(0.01, (p.df - known) / Math.max(1, N - known)));
    });
    var oLong = opt.map(function (s) { return s.term.length > 1; });
    // per term, a policy's level in its title postings (0: none); `at`: a walk in policy order
    var at = new Int32Array(nt);
    function polLevel(t, pid) {
      var a = pols[t].a, i = at[t];
      while (i < a.length && a[i] < pid * 32) i++;
      at[t] = i;
      return i < a.length && a[i] < pid * 32 + 32 ? a[i] - pid * 32 : 0;
    }
    var prev = -1, C = 0;
    if (big) { for (k = 0; k < tot; k++) { x = ridOf(keys[k]); if (x !== prev) { C++; prev = x; } } }
    else for (k = 0; k < tot; k++) { x = keys[k] >> RS; if (x !== prev) { C++; prev = x; } }
    // 1. candidates (records): first entry, and the terms they certainly have (a weight > 0) as
    // a bit mask (by term order), counted per mask; -1: filtered out
    var wide = nt > 12, gs = new Int32Array(C + 1), cr = new Int32Array(C), cm = new Int32Array(C);
    var cnt = wide ? null : new Int32Array(1 << nt), masks = [];
    if (!wide) {
      var polT = [], polA = [], polAt = [];
      for (t = 0; t < nt; t++) if (pols[t] && pols[t].w > 0) { polT.push(t); polA.push(pols[t].a); polAt.push(0); }
      var tPos = 0, np = polT.length;  // terms whose record postings weigh (idf > 0)
      for (t = 0; t < nt; t++) if (wr[t] > 0) tPos |= 1 << t;
      for (k = 0, c = 0, pid = 0; k < tot; c++) {
        var rid = big ? ridOf(keys[k]) : keys[k] >> RS, mask = 0;
        while (ps[pid + 1] <= rid) pid++;  // candidates come in record order
        gs[c] = k; cr[c] = rid;
        if (big) { for (; k < tot && ridOf(x = keys[k]) === rid; k++) mask |= 1 << termOf(x); }
        else for (; k < tot && ((x = keys[k]) >> RS) === rid; k++) mask |= 1 << ((x >> 5) & TM);
        mask &= tPos;
        if (filter && !self.pass(pid, filter)) { cm[c] = -1; continue; }
        for (j = 0; j < np; j++) {
          var pa = polA[j], pi = polAt[j], lim = pid * 32;
          while (pi < pa.length && pa[pi] < lim) pi++;
          polAt[j] = pi;
          if (pi < pa.length && pa[pi] < lim + 32) mask |= 1 << polT[j];
        }
        cm[c] = mask;
        if (cnt[mask]++ === 0) masks.push(mask);
      }
    } else {
      for (k = 0, c = 0; k < tot; c++) {
        gs[c] = k; cr[c] = ridOf(keys[k]);
        for (; k < tot && ridOf(keys[k]) === cr[c]; k++);
      }
    }
    gs[C] = tot;
    // 2. what a mask implies: valid (every unknown required term may still be there; partial:
    // some required term is known), terms matched, chance of having every term, optional terms
    var ms = [], n = 0, sure = 0;
    masks.forEach(function (mask) {
      var hit = 0, like = 1, ok = true, oh = 0;
      for (var t = 0; t < nr; t++) {
        if (mask & (1 << t)) hit++;
        else if (bounds[t] > 0) like *= odds[t];
        else if (!partial) ok = false;
      }
      for (t = nr; t < nt; t++) if ((mask & (1 << t)) && oLong[t - nr]) oh++;
      if (partial && !hit) ok = false;
      if (ok) { ms.push({ mask: mask, hit: hit, like: like, oh: oh, n: cnt[mask] }); n += cnt[mask]; if (like === 1) sure += cnt[mask]; }
    });
    // The score in integers: sc = q / (200 * levels), q = 2 * (the known terms' num * level, record
    // and title) + the unknown terms' bound numerators (when every num is an integer, i.e. the
    // title boost is). Scores whose q differ differ by far more than rounding: the candidates
    // of the masks marked 2 whose q is below that of the `want`-th best can be left out. ->
    // that q (qv[c]: each one's q), or -1.
    var qv = null;
    function scoreFloor(need, tie, want) {
      var num = [], pnum = [], t, j;
      for (t = 0; t < nt; t++) {
        num.push(terms[t].parts[0].num);
        pnum.push(terms[t].parts[1] ? terms[t].parts[1].num : 0);
        if (!Number.isInteger(num[t]) || !Number.isInteger(pnum[t])) return -1;
      }
      var bn = req.map(function (s) { return s.parts.reduce(function (a, p) { return a + (p.done ? 0 : p.num * p.blocks[1 + 2 * p.next + 1]); }, 0); });
      var unkn = new Float64Array(1 << nr);  // per required-terms mask: the unknown terms' bounds
      for (var mk = 0; mk < 1 << nr; mk++) for (t = 0; t < nr; t++) if (!(mk & (1 << t)) && bounds[t] > 0) unkn[mk] += bn[t];
      var qs = new Float64Array(tie), i = 0, c, k, x, pid = 0, rmask = (1 << nr) - 1;
      qv = new Float64Array(C);
      for (j = 0; j < np; j++) polAt[j] = 0;
      for (c = 0; c < C; c++) {
        var mask = cm[c];
        if (mask < 0 || need[mask] !== 2) continue;
        var rid = cr[c], q = 0;
        while (ps[pid + 1] <= rid) pid++;
        for (k = gs[c]; k < gs[c + 1]; k++) {
          x = keys[k];
          t = termOf(x);
          if (t < nt && (mask & (1 << t))) q += 2 * num[t] * (x % 32);
        }
        for (j = 0; j < np; j++) {
          var pa = polA[j], pi = polAt[j], lim = pid * 32;
          while (pi < pa.length && pa[pi] < lim) pi++;
          polAt[j] = pi;
          if (pi < pa.length && pa[pi] < lim + 32) q += 2 * pnum[polT[j]] * (pa[pi] - lim);
        }
        q += unkn[mask & rmask];
        qv[c] = q; qs[i++] = q;
      }
      qs.sort();
      return qs[tie - want];
    }
    // AND: words typed side by side found side by side first, then by the chance that the
    // record has every term, then by estimated score; partial: by the number of terms matched
    // first. Only masks ranking at or above the one where TOP candidates are reached can hold
    // the best TOP.
    var pick = null, m = 0;
    if (!wide && n > 2 * TOP) {
      ms.sort(function (a, b) { return partial ? b.hit - a.hit : b.oh - a.oh || b.like - a.like; });
      var got = 0, tie = 0, last;
      for (j = 0; j < ms.length && got < TOP; j++) got += ms[j].n;
      last = ms[j - 1];
      var same = function (v) { return partial ? v.hit === last.hit : v.oh === last.oh && v.like === last.like; };
      // masks ranking above the one where TOP candidates are reached: all their candidates;
      // masks ranking with it: their best by score (below)
      var need = new Uint8Array(1 << nt);
      for (j = 0, got = 0; j < ms.length && !same(ms[j]); j++) { need[ms[j].mask] = 1; got += ms[j].n; }
      for (; j < ms.length && same(ms[j]); j++) { need[ms[j].mask] = 2; tie += ms[j].n; }
      var want = TOP - got, qmin = -1;
      if (tie > 2 * want) qmin = scoreFloor(need, tie, want);
      pick = new Int32Array(got + tie);
      for (c = 0; c < C; c++) {
        x = cm[c];
        if (x >= 0 && (need[x] === 1 || (need[x] === 2 && (qmin < 0 || qv[c] >= qmin)))) pick[m++] = c;
      }
    }
    // 3. scores of candidates (those picked, or all): exactly the sum, term by term, of known
    // weights (record + title), half the bound of unknown ones, then optional ones
    function evaluate(pick, m) {
      var c, t, k, x, y, i, r = new Int32Array(m), p = new Int32Array(m), scs = new Float64Array(m), hits = new Int32Array(m),
        likes = new Float64Array(m), ohs = new Int32Array(m), spr = new Float64Array(m), known = new Uint8Array(m * nr), o = 0;
      at.fill(0);
      var pid = 0;
      for (i = 0; i < m; i++) {
        c = pick ? pick[i] : i;
        var rid = cr[c], k1 = gs[c + 1];
        while (ps[pid + 1] <= rid) pid++;
        k = gs[c];
        var cur = k < k1 ? termOf(keys[k]) : nt + 1;
        var sc = 0, hit = 0, like = 1, oh = 0, ok = true;
        for (t = 0; t < nt && ok; t++) {
          x = 0;
          if (cur === t) { x = wr[t] * (keys[k] % 32); k++; cur = k < k1 ? termOf(keys[k]) : nt + 1; }
          if (pols[t] !== null && (y = pols[t].w * polLevel(t, pid))) x += y;
          if (t < nr) {
            if (x > 0) { sc += x; hit++; known[o * nr + t] = 1; }
            else if (bounds[t] > 0) { sc += bounds[t] * 0.5; like *= odds[t]; }
            else if (!partial) ok = false;
          } else if (x > 0) { sc += x; if (oLong[t - nr]) oh++; }
        }
        if (!ok || (partial && !hit) || (filter && !self.pass(pid, filter))) { for (t = 0; t < nr; t++) known[o * nr + t] = 0; continue; }
        r[o] = rid; p[o] = pid; scs[o] = sc; hits[o] = hit; likes[o] = like; ohs[o] = oh; spr[o] = -spread(rid);
        o++;
      }
      var E = { n: o, like: likes };
      E.make = function (k) {
        var unk = [];
        for (var t = 0; t < nr; t++) if (!known[k * nr + t] && bounds[t] > 0) unk.push(req[t].term);
        return { rid: r[k], pid: p[k], score: scs[k], unk: unk, hit: hits[k], like: likes[k], ohit: ohs[k] };
      };
      if (partial) {
        for (k = 0; k < o; k++) spr[k] = -r[k];
        E.p1 = hits; E.p2 = scs; E.p3 = spr; E.p4 = spr;
        E.cmp = function (a, b) { return hits[b] - hits[a] || scs[b] - scs[a] || r[a] - r[b]; };
      } else {
        E.p1 = ohs; E.p2 = likes; E.p3 = scs; E.p4 = spr;
        E.cmp = function (a, b) { return ohs[b] - ohs[a] || likes[b] - likes[a] || scs[b] - scs[a] || spr[b] - spr[a]; };
      }
      return E;
    }
    var everything = null;
    function all() { return everything || (everything = evaluate(null, C)); }
    if (wide) { all(); n = everything.n; sure = 0; for (j = 0; j < n; j++) if (everything.like[j] === 1) sure++; }
    var sel = pick ? evaluate(pick, m) : all();
    return { list: new Ranked(n, sel, all), total: n, sure: sure };
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
        var c = list.get(i), n = vs.perPol.get(c.pid) || 0;
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
          for (k = 0; k < vs.implied.length; k++) if (h.all.indexOf(vs.implied[k]) < 0) { if (!partial) return; }
          // phrase: 3 = the query occurs as typed (spaces collapsed), 2 = every word occurs
          var ph = h.all.indexOf(qn) >= 0 ? 3 : segs.every(function (s) { return h.all.indexOf(s) >= 0; }) ? 2 : 0;
          // title or alias: equal to, starting with or containing the query (titleTier)
          var tt = ph ? titleTier(h, d, full, segs) : 0;
          var idm = qid && (qid === h.pol.id || qid === h.pol.docNo) ? 1 : 0;
          out.push({ c: c, d: d, phrase: ph, tt: tt, idm: idm, active: self.fActive[c.pid], sr: self.stateRank(c.pid),
            art: c.rid === self.polStart[c.pid] ? 0 : 1 });
        });
        var exact = out.filter(function (x) { return x.phrase === 3; }).length, gain = exact - vs.exact;
        vs.exact = exact;
        var more = batch.length && vs.seen.size < list.length && vs.checks < (exact ? 2 : 6) * K;
        // keep looking while nothing matched, nothing has the whole query, or the last batch
        // still found several with it
        if (more && (!out.length || (!partial && (!exact || (exact < Math.min(K, 10) && gain * 4 >= batch.length))))) return round();
        out.sort(finalOrder);
        return out.map(function (x) {
          return { rid: x.c.rid, pid: x.c.pid, doc: x.d, phrase: x.phrase, score: x.c.score, active: x.active,
            named: x.idm || x.tt > 0, intro: self.polStart[x.c.pid],
            needles: x.phrase ? segs : req.map(function (s) { return s.term; }).concat(vs.implied) };
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
        g = { pid: h.pid, title: h.doc.title, id: h.doc.id, docNo: h.doc.docNo, aliases: h.doc.aliases || [], active: h.active, hits: [] };
        byPid.set(h.pid, g);
        groups.push(g);
        if (h.named) g.hits.push(policyHit(h));  // (part B) a named policy: its page first
      }
      if (g.hits.length && g.hits[0].policy && g.hits[0].url === h.doc.url) return;
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
        self.pyNames[ci] = self.pyNames[ci] || pyPrepare(cat);
        self.pyNames[ci].forEach(function (names, k) {
          var pid = ci * self.meta.pyn + k;
          if (!self.pass(pid, filter)) return;
          var m = null;  // the best of the title and the aliases
          for (var j = 0; j < names.length; j++) {
            var n = names[j];
            if (n[0] !== q[0] && n.indexOf(' ' + q[0]) < 0) continue;  // no syllable to start at
            var x = pyMatch(n.split(' '), q);
            if (x && (!m || x.score > m.score)) m = x;
          }
          // whole: the letters spell a whole name, at least 3 syllables of it in full
          if (m) hits.push({ pid: pid, score: m.score, tier: m.start === 0 ? 2 : 1, whole: m.score >= 6 && m.full >= 3 });
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
        return { pid: h.pid, title: d.title, id: d.id, docNo: d.docNo, active: self.fActive[h.pid], pinyin: true, whole: h.whole,
          hits: [{ rid: d.rid, url: d.url, heading: d.heading, section: d.section, text: d.text, needles: [], phrase: 0 }] };
      }
      function add(g) { if (!seen.has(g.pid) && out.length < limit) { seen.add(g.pid); out.push(g); } }
      top.forEach(function (h, i) { add(pyGroup(h, docs[i])); });
      [joined, lex].forEach(function (r) { if (r) r.results.forEach(add); });
      rest.forEach(function (h, i) { add(pyGroup(h, docs[top.length + i])); });
      return { query: lex.query, results: out, total: Math.max(out.length, lex.total), partial: lex.partial && !py.length, pinyin: py.length > 0 };
    });
  };

  // ------------------------------------------ query understanding (part B: citations, names, ranking)
  // A citation names a policy (title, alias, id, 《…》) and an article (第N条, N条, 第N条之一,
  // 第N条第M款) in either order; it is answered with that article first, then the results of
  // "<policy> 第N条". Names also rank results: a policy named by the query leads its group with
  // a link to its page.
  var CN_VAL = { '〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9 };
  var CN_UNIT = { '十': 10, '百': 100, '千': 1000 };
  // digits or a Chinese numeral -> number (core.numerals.from_chinese, with 万 and 亿); NaN if neither
  function fromCn(s) {
    if (/^[0-9]+$/.test(s)) return parseInt(s, 10);
    var big = 0, sec = 0, cur = 0;
    if (!s) return NaN;
    for (var c of s) {
      if (c in CN_VAL) cur = CN_VAL[c];
      else if (c in CN_UNIT) { sec += (cur || 1) * CN_UNIT[c]; cur = 0; }
      else if (c === '万') { big += (sec + cur) * 1e4; sec = cur = 0; }
      else if (c === '亿') { big = (big + sec + cur) * 1e8; sec = cur = 0; }
      else return NaN;
    }
    return big + sec + cur;
  }
  var NUMC = '[0-9〇零一二三四五六七八九十百千万亿两]+';
  var ART = '(第)?(' + NUMC + ')条(?:之(' + NUMC + '))?(?:第(' + NUMC + ')款)?(?:第(' + NUMC + ')项)?';
  var CITE_REF_FIRST = new RegExp('^(.*?)[\\s的]*' + ART + '$'), CITE_ART_FIRST = new RegExp('^' + ART + '\\s*(.+)$');
  var ART_HEAD = new RegExp('^第(' + NUMC + ')条(?:之(' + NUMC + '))?$');
  var REF_DROP = /[《》〈〉“”"'「」『』\s]/g;
  // normalised query -> {ref, n, sub, para, art: canonical 第N条[之M]} or null. ref may be '' (an
  // article number alone); without 第 the number must follow a policy name (三条 is a count)
  function parseCite(qn) {
    var m = CITE_REF_FIRST.exec(qn), ref, g;
    if (m) { ref = m[1]; g = m.slice(2, 7); }
    else if ((m = CITE_ART_FIRST.exec(qn)) && m[1]) { ref = m[6]; g = m.slice(1, 6); }
    else return null;
    ref = ref.replace(REF_DROP, '');
    var n = fromCn(g[1]), sub = g[2] ? fromCn(g[2]) : 0, para = g[3] ? fromCn(g[3]) : 0;
    if (!(n > 0) || isNaN(sub) || isNaN(para) || (!g[0] && !ref && !/^[0-9]+$/.test(g[1]))) return null;
    return { ref: ref, n: n, sub: sub, para: para, art: '第' + cnum(n) + '条' + (sub ? '之' + cnum(sub) : '') };
  }
  function nameKey(s) { return norm(s).replace(REF_DROP, ''); }
  // how well a group's policy is named by `key` (a query without spaces and quotes): 4 its id or
  // 发文号, 3 its title or an alias, 2 a name starts or ends with it, 1 a name contains it or, with
  // the same last two characters (条例, 办法), its characters in order (中关村条例), 0 not
  function subseq(a, b) { var j = 0; for (var i = 0; i < b.length && j < a.length; i++) if (b[i] === a[j]) j++; return j === a.length; }
  function nameTier(g, key, idk) {
    if (idk && (idk === idKey(g.id) || (g.docNo && idk === idKey(g.docNo)))) return 4;
    var names = [g.title].concat(g.aliases || []).map(nameKey), best = 0;
    names.forEach(function (x) {
      var t = x === key ? 3 : x.indexOf(key) === 0 || x.slice(-key.length) === key ? 2 : x.indexOf(key) >= 0 ? 1 :
        key.length >= 4 && key.slice(-2) === x.slice(-2) && subseq(key, x) ? 1 : 0;
      if (t > best) best = t;
    });
    return key.length >= 2 || best === 3 ? best : 0;
  }
  // title tier of a checked record (final order): 3 the title or an alias is the query, 2 one
  // starts with it, 1 one contains every word
  function titleTier(h, d, full, segs) {
    var names = h.pol.names || (h.pol.names = [h.tOnly].concat((d.aliases || []).map(norm))), t = 0;
    for (var i = 0; i < names.length; i++) {
      var x = names[i];
      t = Math.max(t, x === full ? 3 : x.indexOf(full) === 0 ? 2 : segs.every(function (s) { return x.indexOf(s) >= 0; }) ? 1 : 0);
    }
    return t;
  }
  // in force 2, not yet 1, retired or expired 0
  Engine.prototype.stateRank = function (pid) {
    var s = this.fState ? this.fState[pid] : (this.fActive[pid] ? 'active' : 'retired');
    return s === 'active' || s === 'overdue' ? 2 : s === 'pending' ? 1 : 0;
  };
  // the final order of checked records: exact id, the query as typed, the policy named, in force
  // before pending before retired, articles before the text outside them, terms, score
  function finalOrder(a, b) {
    return b.idm - a.idm || b.phrase - a.phrase || b.tt - a.tt || b.sr - a.sr || b.art - a.art || b.c.hit - a.c.hit ||
      b.c.score - a.c.score || a.c.rid - b.c.rid;
  }
  // a group whose policy the query names leads with its page (the intro record's link), its
  // best articles after it
  function policyHit(h) {
    return { rid: h.intro, url: h.doc.url.split('#')[0], heading: '', section: '', text: h.rid === h.intro ? h.doc.text : '',
      needles: h.needles, phrase: h.phrase, policy: true };
  }
  // the record of article n (之sub) of policy pid, or -1: usually record n after the intro, else
  // by bisection over the headings (article order), else by a scan
  Engine.prototype.articleRid = function (pid, n, sub) {
    var self = this, lo = this.polStart[pid] + 1, hi = this.polStart[pid + 1] - 1, want = n * 1000 + sub;
    function key(d) { var m = ART_HEAD.exec(norm(d.heading)); return m ? fromCn(m[1]) * 1000 + (m[2] ? fromCn(m[2]) : 0) : -1; }
    function scan() {
      var rids = [];
      for (var r = lo; r <= hi; r++) rids.push(r);
      return Promise.all(rids.map(function (r) { return self.doc(r); })).then(function (ds) {
        for (var i = 0; i < ds.length; i++) if (key(ds[i]) === want) return rids[i];
        return -1;
      });
    }
    function bisect(a, b) {
      if (a > b) return Promise.resolve(-1);
      var mid = (a + b) >> 1;
      return self.doc(mid).then(function (d) {
        var k = key(d);
        return k === want ? mid : k < 0 ? scan() : k < want ? bisect(mid + 1, b) : bisect(a, mid - 1);
      });
    }
    var guess = lo + n - 1;
    if (guess > hi) guess = hi;
    if (hi < lo) return Promise.resolve(-1);
    return this.doc(guess).then(function (d) { return key(d) === want ? guess : bisect(lo, hi); });
  };
  // the policy a citation names, {g: the best-named group of a search for the name, tier}, or null
  Engine.prototype.findPolicy = function (ref, filter) {
    var self = this, key = nameKey(ref), idk = idKey(ref);
    if (!key) return Promise.resolve(null);
    return this.lexical(key, 10, filter).then(function (r) {
      var best = null, bt = 0;
      r.results.forEach(function (g) {
        var t = nameTier(g, key, idk);
        if (t > bt || (t && t === bt && self.stateRank(g.pid) > self.stateRank(best.pid))) { best = g; bt = t; }
      });
      return best && { g: best, tier: bt };
    });
  };
  // A citation: the article first, then the results of "<name> 第N条". A policy named only in
  // part (the name is not its title, alias or id), or a name that is no policy's, yields to a
  // record holding the query as typed (a quotation such as 依照《质量管理制度》第十条, 2026年10条).
  Engine.prototype.citeSearch = function (c, qn, limit, filter, related) {
    var self = this, q2 = c.ref ? c.ref + ' ' + c.art : c.art;
    var ord = this.lexical(q2, limit, filter, related);
    if (!c.ref) return ord;
    return Promise.all([this.findPolicy(c.ref, filter), ord]).then(function (r) {
      var found = r[0], res = r[1];
      if (found && found.tier >= 3) return self.citeAnswer(c, found.g, res, limit);
      // no policy of that name, or one named in part: the query as typed if some record has it
      return self.lexical(qn, limit, filter, related).then(function (typed) {
        var verbatim = !typed.partial && typed.results.some(function (g) { return g.hits.some(function (h) { return h.phrase === 3; }); });
        return verbatim ? typed : found ? self.citeAnswer(c, found.g, res, limit) : res;
      });
    });
  };
  // the cited article (or, when the policy has none with that number, the policy's page and a
  // notice) as the first group of `res`
  Engine.prototype.citeAnswer = function (c, pol, res, limit) {
    var self = this;
    return self.articleRid(pol.pid, c.n, c.sub).then(function (rid) {
      return rid < 0 ? null : self.doc(rid);
    }).then(function (d) {
      var g = res.results.filter(function (x) { return x.pid === pol.pid; })[0] || pol, hits;
      if (d) {
        hits = [{ rid: d.rid, url: d.url, heading: d.heading, section: d.section, text: d.text, needles: [c.art], phrase: 3, cite: true, para: c.para }];
      } else {
        res.notice = '《' + pol.title + '》中没有' + c.art + '，以下为该制度及相关结果';
        hits = [policyHit({ intro: self.polStart[pol.pid], doc: { url: (g.hits[0] || pol.hits[0]).url, text: '' }, needles: [], phrase: 0 })];
      }
      // after the article: the group's other matches of the whole citation
      hits = hits.concat(g.hits.filter(function (h) { return h.url !== hits[0].url && !h.policy && h.phrase >= 2; })).slice(0, 3);
      var cg = {};
      for (var k in g) cg[k] = g[k];
      cg.hits = hits; cg.cite = !!d;
      res.results = [cg].concat(res.results.filter(function (x) { return x.pid !== pol.pid; })).slice(0, limit);
      if (d) res.partial = false;
      res.cite = true;
      return res;
    });
  };
  // every group (and related one) carries its policy's state
  Engine.prototype.finish = function (r) {
    var self = this;
    [r.results, r.related || []].forEach(function (gs) {
      gs.forEach(function (g) { g.state = self.fState ? self.fState[g.pid] : (g.active ? 'active' : 'retired'); });
    });
    return r;
  };

  // ------------------------------------------ forgiving matching (part C: homophones, pinyin, questions)
  // When the query as typed finds little (no full match, or fewer than 3 policies), the engine
  // tries variants of it and appends their results, flagged `fuzzy`: the query without question
  // words (怎么, 多久 ...), its words replaced by synonyms (加班费 -> 加班工资), and rewrites into
  // the corpus' best-attested character pairs that read the same (报消 -> 报销, jiaban -> 加班,
  // 报xiao -> 报销). The lexicon (search/f/, lexicon.py) is loaded only then. Options
  // {fuzzy: false} and {synonyms: false} turn the fallback or the synonym table off.
  var FUZZY_NOTICE = '没有完全匹配，以下是相近结果', FUZZY_MORE = '完全匹配的结果较少，以下还有相近结果';
  var QWORDS = /为什么|怎么样|怎么办|怎么|如何|怎样|多长时间|多久|多少钱|多少|是否|能否|可否|能不能|可不可以|是不是|有没有|哪些|哪个|哪里|什么|请问|有几|几天|几个月|几个|几年|几次/g;
  var QTAIL = /[吗呢吧啊呀么?？!！。]+$/;
  // the query without question words; its single leftover characters dropped (算, 要, 赔 ...
  // stay only when nothing else is left)
  function stripQuestion(qn) {
    var s = qn.replace(QTAIL, '').replace(QWORDS, ' ').replace(QTAIL, '');
    return dropSingles(s) || s.trim();
  }
  // the words of a query longer than one character ('' if none)
  function dropSingles(s) {
    return s.split(/\s+/).filter(function (x) { return Array.from(x).length > 1; }).join(' ');
  }
  // the lexicon head: syllables, each character's readings, synonym groups (null: no lexicon)
  Engine.prototype.lexHead = function () {
    var self = this;
    if (!this.lexP) {
      this.lexP = Promise.resolve().then(function () { return self.load('f', 0, 'f/0.js'); }).then(function (h) {
        var reads = new Map(), syn = new Map(), syls = Object.keys(h.py);
        syls.forEach(function (s) { for (var c of h.py[s]) { if (!reads.has(c)) reads.set(c, []); reads.get(c).push(s); } });
        h.syn.forEach(function (g) {
          g = g.map(norm);
          g.forEach(function (w) {
            var alts = syn.get(w) || [];
            g.forEach(function (x) { if (x !== w && alts.indexOf(x) < 0) alts.push(x); });
            syn.set(w, alts);
          });
        });
        return { shards: h.shards, syl: new Set(syls), syls: syls, reads: reads, syn: syn, maxSyn: Math.max.apply(null, Array.from(syn.keys()).map(function (w) { return w.length; }).concat([0])) };
      }, function () { return null; });
    }
    return this.lexP;
  };
  Engine.prototype.lexShard = function (lx, syl) {
    var n = (crc32(syl) & (lx.shards - 1)) + 1;
    return this.load('f', n, 'f/' + n + '.js');
  };
  // synonym variants: each word of the table replaced by its k-th alternative (longest words
  // first, left to right); [] when no word is in the table
  function synonymVariants(q, lx) {
    var out = [], terms = '', known = new Set(), covered = 0;
    for (var k = 0; k < 2; k++) {
      var hit = false, s = q.split(' ').map(function (w) {
        var o = '', i = 0;
        while (i < w.length) {
          var L = Math.min(lx.maxSyn, w.length - i), alts = null;
          for (; L >= 1; L--) if ((alts = lx.syn.get(w.substr(i, L)))) break;
          if (alts) { o += ' ' + alts[Math.min(k, alts.length - 1)] + ' '; known.add(alts[Math.min(k, alts.length - 1)]); covered += k ? 0 : L; i += L; hit = true; }
          else { o += w[i]; i++; }
        }
        return o;
      }).join(' ').trim().split(/\s+/);
      if (hit) out.push(dropSingles(s.join(' ')) || s.join(' '));
      if (hit && !k) terms = s.filter(function (x) { return known.has(x); }).join(' ');
    }
    out = uniq(out);
    // the table's words alone (电动车能上路 -> 电动自行车): a looser variant, when they stand for
    // at least half of the query (not 批准 for 无人机飞行审批)
    out.loose = covered * 2 >= q.replace(/ /g, '').length ? terms : '';
    return out;
  }
  // a query as segments of positions {ch: the Han character typed or '', syl: [syllables],
  // pre: the letters of a last, partial syllable}; letters are cut into syllables (fewest
  // pieces, the last may be a prefix), anything else separates segments
  function positions(q, lx) {
    var segs = [], cur = [];
    function flush() { if (cur.length) segs.push(cur); cur = []; }
    var parts = q.match(/[a-z]+|[\u4e00-\u9fff]|[^a-z\u4e00-\u9fff]+/g) || [];
    parts.forEach(function (p) {
      var cut = /^[a-z]+$/.test(p) ? cutSyllables(p, lx) : null;
      if (/^[\u4e00-\u9fff]$/.test(p)) cur.push({ ch: p, syl: lx.reads.get(p) || [] });
      else if (cut) cut.forEach(function (x) { cur.push(x); });
      else { flush(); segs.push({ lit: p.trim() }); }  // kept as typed
    });
    flush();
    return segs;
  }
  function cutSyllables(p, lx) {
    var n = p.length, best = [[]];
    for (var i = 0; i < n; i++) {
      if (!best[i]) continue;
      for (var j = i + 1; j <= Math.min(n, i + 6); j++) {
        if (lx.syl.has(p.slice(i, j)) && (!best[j] || best[j].length > best[i].length + 1)) best[j] = best[i].concat([p.slice(i, j)]);
      }
    }
    var full = function (a) { return a.map(function (s) { return { ch: '', syl: [s] }; }); };
    if (best[n]) return full(best[n]);
    for (i = n - 1; i >= 0; i--) {
      var pre = p.slice(i);
      if (best[i] && pre.length <= 6) {
        var syl = lx.syls.filter(function (s) { return s.indexOf(pre) === 0; });
        if (syl.length) return full(best[i]).concat([{ ch: '', syl: syl, pre: pre }]);
      }
    }
    return null;
  }
  // the attested bigrams for positions a, b: [[bigram, count], ...]
  function pairCands(a, b, data, att) {
    var out = [], typed = a.ch && b.ch ? a.ch + b.ch : '';
    a.syl.forEach(function (x) {
      var d = data.get(x);
      if (!d || !d[x]) return;
      var row = d[x], ys = b.pre ? Object.keys(row).filter(function (y) { return y.indexOf(b.pre) === 0; }) : b.syl;
      ys.forEach(function (y) {
        var s = row[y], re = /(\D)(\D)(\d+)/g, m;
        if (!s) return;
        while ((m = re.exec(s))) out.push([m[1] + m[2], +m[3]]);
      });
    });
    // the pair as typed, when the index has it (the lexicon keeps only the best few per reading)
    if (typed && att.has(typed) && !out.some(function (c) { return c[0] === typed; })) out.push([typed, att.get(typed)]);
    return out;
  }
  // the best rewrites of a segment into attested bigrams (a beam over positions): a pair scores
  // log(1 + count), keeping a typed character 3, changing one costs 5; a word may end anywhere
  // (cost 1.5), a position left alone keeps its typed character or, for pinyin, is dropped (3)
  function rewrites(seg, data, att) {
    var N = seg.length, BEAM = 12;
    if (N < 2) return [seg[0].ch];
    // a state: the text so far, the character a word may continue from ('' when the next
    // position starts afresh), whether the text ends with typed characters kept alone (kept
    // neighbours stay one word: 带教 in 入职带教 is not cut into 带 教)
    var states = [{ s: '', last: '', kept: false, sc: 0 }];
    function bon(c, i) { return !seg[i].ch ? 0 : c === seg[i].ch ? 3 : -5; }
    for (var i = 0; i + 1 < N; i++) {
      var cand = pairCands(seg[i], seg[i + 1], data, att), next = new Map();
      var put = function (st) { var k = st.s + '|' + st.last + st.kept, o = next.get(k); if (!o || o.sc < st.sc) next.set(k, st); };
      states.forEach(function (st) {
        cand.forEach(function (c) {
          var b = c[0], w = Math.log(1 + c[1]);
          if (st.last) { if (b[0] === st.last) put({ s: st.s + b[1], last: b[1], kept: false, sc: st.sc + w + bon(b[1], i + 1) }); }
          else put({ s: st.s + ' ' + b, last: b[1], kept: false, sc: st.sc + w + bon(b[0], i) + bon(b[1], i + 1) });
        });
        if (st.last) put({ s: st.s, last: '', kept: false, sc: st.sc - 1.5 });
        else put({ s: st.s + (st.kept ? '' : ' ') + seg[i].ch, last: '', kept: !!seg[i].ch, sc: st.sc - 1.5 - (seg[i].ch ? 0 : 3) });
      });
      states = Array.from(next.values()).sort(function (x, y) { return y.sc - x.sc || (x.s < y.s ? -1 : 1); }).slice(0, BEAM);
    }
    // (the best, and those close to it: a rewrite much less attested is noise; when the best
    // keeps every typed character, only other cuts of it, no other characters)
    var texts = states.filter(function (st) { return st.sc >= states[0].sc - 2.5; }).map(function (st) {
      return (st.last ? st.s : st.s + (st.kept ? '' : ' ') + seg[N - 1].ch).trim().replace(/\s+/g, ' ');
    }), typed = seg.map(function (p) { return p.ch; }).join('');
    function kept(t) { return t.replace(/ /g, '') === typed; }
    if (typed.length === N && texts.length && kept(texts[0])) texts = texts.filter(kept);
    return uniq(texts.filter(Boolean));
  }
  // rewrites of a query (up to `max`, best first), the shards it needs loaded
  Engine.prototype.rewrite = function (q, lx, max) {
    var self = this, segs = positions(q, lx), need = new Set();
    segs.forEach(function (seg) { if (Array.isArray(seg)) seg.slice(0, -1).forEach(function (p) { p.syl.forEach(function (s) { need.add(s); }); }); });
    var syls = Array.from(need), typed = [];
    segs.forEach(function (seg) { for (var i = 0; Array.isArray(seg) && i + 1 < seg.length; i++) if (seg[i].ch && seg[i + 1].ch) typed.push(seg[i].ch + seg[i + 1].ch); });
    typed = uniq(typed);
    var loads = syls.map(function (s) { return self.lexShard(lx, s); }).concat(typed.map(function (t) {
      return Promise.resolve().then(function () { return self.termData(t); }).catch(function () { return null; });
    }));
    return Promise.all(loads).then(function (ds) {
      var data = new Map(), att = new Map();
      syls.forEach(function (s, i) { data.set(s, ds[i]); });
      typed.forEach(function (t, i) { var e = ds[syls.length + i]; if (e) att.set(t, Math.max(1, e.parts[0].df)); });
      var per = segs.map(function (seg) { return Array.isArray(seg) ? rewrites(seg, data, att) : [seg.lit]; }), out = [];
      for (var k = 0; k < max; k++) out.push(dropSingles(per.map(function (r) { return r[Math.min(k, r.length - 1)] || ''; }).join(' ')));
      return uniq(out.filter(Boolean));
    });
  };
  // the variants to try after the query as typed found little, in order
  // (same meaning first: the words as typed, read right (homophones, pinyin); then other words)
  Engine.prototype.variants = function (qn, opts) {
    var self = this, q = stripQuestion(qn), out = [q], loose = '';
    return this.lexHead().then(function (lx) {
      if (!lx) return out;
      return self.rewrite(q, lx, 3).then(function (rw) {
        out = out.concat(rw);
        var best = rw.filter(function (v) { return v !== q; })[0], sv = opts.synonyms !== false ? synonymVariants(best || q, lx) : [];
        out = out.concat(sv);
        if (sv.loose) loose = sv.loose;
        return out;
      });
    }).then(function (vs) {
      vs = uniq(vs).filter(function (v) { return v && v !== qn && v !== loose; }).slice(0, 6);
      if (loose && loose !== qn) vs.push(loose);
      vs.loose = loose;
      return vs;
    });
  };
  // the fallback: the results as typed, then those of the variants (flagged `fuzzy`)
  Engine.prototype.forgive = function (query, opts, r) {
    var self = this, limit = opts.limit || 20, full = r.partial ? [] : r.results;
    var qn = norm(query).trim().replace(/\s+/g, ' ');
    // (a title whose pinyin merely contains the letters is no reason not to try the words)
    var strong = full.filter(function (g) { return !g.pinyin; }).length;
    if (opts.fuzzy === false || r.cite || strong >= 3 || Array.from(qn.replace(/ /g, '')).length < 2) return r;
    // (part A: the lexicon is 15-150 KB) nor for no slip: 4+ characters found as typed, letters
    // spelling a whole name (3+ syllables in full)
    if (full.some(function (g) { return g.pinyin ? g.whole : Array.from(qn.replace(/ /g, '')).length >= 4 && g.hits.some(function (h) { return h.phrase === 3; }); })) return r;
    return this.variants(qn, opts).then(function (vs) {
      var seen = new Set(full.map(function (g) { return g.pid; })), add = [], used = [], late = [];
      var sub = { limit: limit, filter: opts.filter, fuzzy: false, synonyms: false };
      function next(i) {
        // (enough once a variant has given 3 policies: each variant costs a query)
        if (i >= vs.length || full.length + add.length >= (used.length ? Math.min(3, limit) : limit)) return null;
        // (the table's words alone only when nothing closer was found; ranked after partial matches)
        var loose = vs[i] === vs.loose;
        if (loose && add.length) return null;
        return self.search(vs[i], sub).then(function (x) {
          if (!x.partial && x.results.length) {
            used.push(vs[i]);
            x.results.forEach(function (g) { if (!seen.has(g.pid)) { seen.add(g.pid); g.fuzzy = true; (loose ? late : add).push(g); } });
          }
          return next(i + 1);
        });
      }
      return Promise.resolve(next(0)).then(function () {
        if (!add.length && !late.length) return r;
        var rest = r.partial ? r.results.filter(function (g) { return late.indexOf(g) < 0 && !add.some(function (a) { return a.pid === g.pid; }); }) : [];
        late = late.filter(function (g) { return !rest.some(function (x) { return x.pid === g.pid; }); });
        var out = {}, k;
        for (k in r) out[k] = r[k];
        out.results = full.concat(add, rest, late).slice(0, limit);
        out.total = Math.max(r.total || 0, out.results.length);
        out.partial = false;
        out.fuzzy = true;
        out.variants = used;
        out.notice = full.length ? FUZZY_MORE : FUZZY_NOTICE;
        return out;
      });
    }).catch(function (e) { if (G.console) console.error(e); return r; });
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
      var M = nm.m, a = M ? M[r[0]] : r[0], b = r[1] < nm.t.length ? (M ? M[r[1]] : r[1]) : text.length;
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
  var API = { Engine: Engine, norm: norm, normMap: normMap, queryTerms: queryTerms, crc32: crc32, vlq: vlq, vocabAlt: vocabAlt, setTop: setTop,
    setT2S: setT2S, pyMatch: pyMatch, snippet: snippet, idKey: idKey };
  G.HBSearch = API;
  if (typeof document === 'undefined') return;

  // ------------------------------------------------------- browser loading
  var doc = document, html = doc.documentElement;
  var ROOT = html.getAttribute('data-root') || '';
  var BASE = ROOT + 'search/';
  var got = {}, waiting = {}, queue = [], pending = {};
  API.loaded = [];
  G.__hbs = function (kind, n, data) {
    var k = kind + n, s = doc.currentScript, w = waiting[k];
    got[k] = data;
    if (s) { delete pending[s.src]; s.remove(); }
    delete waiting[k];
    if (w) w.forEach(function (x) { x[0](data); });
  };
  function fail(src, why) {
    var f = pending[src], w = f && waiting[f[0]];
    delete pending[src];
    if (f) delete waiting[f[0]];
    if (w) w.forEach(function (x) { x[1](new Error(why + f[1])); });
  }
  // one listener each (not one per file): a file that cannot be loaded, and one that loads but
  // fails to run (e.g. a server's HTML page for a missing file)
  doc.addEventListener('error', function (e) {
    var s = e.target;
    if (s && s.tagName === 'SCRIPT' && pending[s.src]) { s.remove(); fail(s.src, 'cannot load '); }
  }, true);
  G.addEventListener('error', function (e) { if (e.filename && pending[e.filename]) fail(e.filename, 'index file did not register: '); });
  // the files asked for together are inserted together
  function flush() {
    var f = doc.createDocumentFragment();
    queue.forEach(function (s) { f.appendChild(s); });
    queue = [];
    doc.head.appendChild(f);
  }
  var engine = null;
  function scriptLoader(kind, n, path) {
    var k = kind + n;
    if (k in got) return Promise.resolve(got[k]);
    return new Promise(function (res, rej) {
      if (waiting[k]) { waiting[k].push([res, rej]); return; }
      waiting[k] = [[res, rej]];
      var s = doc.createElement('script');
      s.src = BASE + path + (engine && engine.ver && kind !== 'm' ? '?v=' + engine.ver : '');
      pending[s.src] = [k, path];
      API.loaded.push(path);
      if (!queue.length) Promise.resolve().then(flush);
      queue.push(s);
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
    if (hit.policy) return '';
    return [hit.section && hit.heading !== hit.section ? hit.section : '', hit.heading].filter(Boolean).join(' · ');
  }
  // a policy's state on the build date, shown on every result
  var STATE_LABEL = { active: '现行', overdue: '复审逾期', pending: '尚未生效', expired: '已失效', retired: '已废止' };
  function stateBadge(g) {
    var s = g.state || (g.active ? 'active' : 'retired');
    return el('span', 'hb-badge hb-state hb-st-' + s + (s === 'retired' ? ' hb-retired' : ''), STATE_LABEL[s] || s);
  }
  function hitLink(g, hit, cls, max) {
    var a = el('a', cls);
    a.href = ROOT + hit.url;
    a.setAttribute('data-title', g.title);
    if (hit.needles && hit.needles.length) a.setAttribute('data-hl', hit.needles.join(' '));
    var head = el('span', 'hb-hit-head');
    marked(head.appendChild(el('span', 'hb-hit-title')), snippet('《' + g.title + '》', hit.needles, 0));
    var lab = label(hit);
    if (lab) marked(head.appendChild(el('span', 'hb-hit-label')), snippet(lab, hit.needles, 0));
    head.appendChild(stateBadge(g));
    if (hit.cite) { a.classList.add('hb-cite'); a.setAttribute('data-cite', 'true'); }
    a.appendChild(head);
    if (hit.text) marked(a.appendChild(el('span', 'hb-snippet')), snippet(hit.text, hit.needles, max));
    return a;
  }

  // the page a result leads to marks the words that matched (static/reader.js reads ?hl=);
  // the parameter is added when a result is followed, so results keep their plain hrefs
  function hlHref(a) {
    var hl = a.getAttribute('data-hl'), href = a.href, i = href.indexOf('#');
    if (!hl) return href;
    var path = i < 0 ? href : href.slice(0, i), frag = i < 0 ? '' : href.slice(i);
    return path + (path.indexOf('?') < 0 ? '?' : '&') + 'hl=' + encodeURIComponent(hl) + frag;
  }
  doc.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-hl]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    G.location.href = hlHref(a);
  });

  // header box with instant results: an ARIA 1.2 combobox (focus stays in the input)
  function initBox() {
    var input = doc.getElementById('hb-q'), dd = doc.getElementById('hb-dd'), list = doc.getElementById('hb-dd-list');
    if (!input || !list) return;
    var live = doc.getElementById('hb-dd-status'), form = input.form, timer = 0, seq = 0, sel = -1;
    function items() { return list.querySelectorAll('[role=option]'); }
    function open(on) { dd.hidden = !on; input.setAttribute('aria-expanded', on); }
    function close() { open(false); mark(-1); }
    function mark(i) {
      var it = items();
      sel = i < 0 ? -1 : i % it.length;
      it.forEach(function (a, k) { a.classList.toggle('hb-sel', k === sel); a.setAttribute('aria-selected', k === sel); });
      if (sel < 0) return input.removeAttribute('aria-activedescendant');
      input.setAttribute('aria-activedescendant', it[sel].id);
      it[sel].scrollIntoView({ block: 'nearest' });
    }
    function resultsUrl(q) { return ROOT + 'search.html?q=' + encodeURIComponent(q); }
    function show(msgs, n) {
      dd.textContent = '';
      msgs.concat(list).forEach(function (m) { dd.appendChild(m); });
      items().forEach(function (a, k) { a.id = 'hb-opt-' + k; a.setAttribute('role', 'option'); a.tabIndex = -1; });
      open(true);
      mark(-1);
      live.textContent = n ? n + ' 项结果，按上下方向键选择' : msgs[0].textContent;
    }
    function run() {
      var q = input.value, my = ++seq;
      if (!q.trim()) { close(); return; }
      getEngine().search(q, { limit: 6 }).then(function (r) {
        if (my !== seq) return;
        var msgs = [];
        if (!r.results.length) msgs.push(el('p', 'hb-dd-empty', '没有找到与“' + q.trim() + '”相关的条款'));
        if (r.fuzzy) msgs.push(el('p', 'hb-dd-empty hb-dd-notice', r.notice));  // (part C)
        list.textContent = '';
        r.results.forEach(function (g) {
          g.hits.slice(0, 1).forEach(function (h) { list.appendChild(hitLink(g, h, 'hb-dd-item', 60)).setAttribute('role', 'option'); });
        });
        var all = list.appendChild(el('a', 'hb-dd-all', '查看全部结果 →'));
        all.href = resultsUrl(q.trim());
        all.setAttribute('role', 'option');
        show(msgs, r.results.length);
      }).catch(function (e) {
        if (my !== seq) return;
        list.textContent = '';
        show([el('p', 'hb-dd-empty', '搜索索引加载失败')]);
        G.console && console.error(e);
      });
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 90); });
    input.addEventListener('focus', function () { getEngine().init().catch(function () {}); if (input.value.trim() && items().length) open(true); });
    input.addEventListener('keydown', function (e) {
      var n = items().length, k = e.key;
      if ((k === 'ArrowDown' || k === 'ArrowUp') && n) {
        e.preventDefault();
        open(true);
        mark(k === 'ArrowDown' ? sel + 1 : (sel < 0 ? n : sel) - 1 + n);
      } else if (k === 'Escape' || k === 'Tab') close();
      else if (k === 'Enter' && sel >= 0) { e.preventDefault(); G.location.href = hlHref(items()[sel]); }
    });
    if (form) form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (input.value.trim()) G.location.href = resultsUrl(input.value.trim());
    });
    doc.addEventListener('click', function (e) { if (!form || !form.contains(e.target)) close(); });
  }

  // `/` focuses the page's search box: the results page's own, else the header's
  function initSlash() {
    var box = doc.getElementById('hb-page-q') || doc.getElementById('hb-q');
    if (box) doc.addEventListener('keydown', function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && tag !== 'INPUT' && tag !== 'TEXTAREA' && tag !== 'SELECT' && !(t && t.isContentEditable)) {
        e.preventDefault();
        box.focus();
        box.select();
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
      // (part E) ?fuzzy=0 / ?synonyms=0 turn the fallback / synonym table off, to measure them
      getEngine().search(q, { limit: state.limit, filter: f, related: true, fuzzy: params.get('fuzzy') !== '0', synonyms: params.get('synonyms') !== '0' }).then(function (r) {
        if (my !== seq) return;
        box.textContent = '';
        doc.title = q + ' - ' + baseTitle;
        if (!r.results.length) status.textContent = '没有找到与“' + q + '”相关的条款。可尝试更短的关键词、制度编号或拼音首字母。';
        else status.textContent = (r.notice ? r.notice + '。' : '') + (r.partial ? '没有完全匹配的结果，以下为部分匹配：' : '') + '找到 ' + r.results.length + (r.total > r.results.length ? '+' : '') + ' 项制度';
        r.results.forEach(function (g) {
          var gone = g.state ? g.state === 'retired' || g.state === 'expired' : !g.active;
          var sec = el('section', 'hb-group' + (gone ? ' hb-group-retired' : '') + (g.cite ? ' hb-group-cite' : '') + (g.fuzzy ? ' hb-group-fuzzy' : ''));
          sec.setAttribute('data-state', g.state || '');
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
        box.setAttribute('data-fuzzy', r.fuzzy ? 'true' : 'false');
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

  function start() { initBox(); initPage(); initSlash(); }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start); else start();
})(typeof window !== 'undefined' ? window : globalThis);
