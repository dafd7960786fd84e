// Runs the real search client (templates/static/search.js) in node against a
// built index directory. Input (stdin): {"site": dir, "cold": bool, "top": n (optional), "queries": [{"q", "limit", "filter"}]}.
// Output (stdout): one JSON line per query with ranked groups/hits and the index files loaded.
'use strict';
const fs = require('fs');
const path = require('path');
require(path.join(__dirname, '..', '..', 'templates', 'static', 'search.js'));
const S = globalThis.HBSearch;
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
if (input.top) S.setTop(input.top);  // candidates selected per query (small: exercises the selection)
const base = path.join(input.site, 'search');
const cache = new Map();
function readData(p) {
  let d = cache.get(p);
  if (d === undefined) {
    const s = fs.readFileSync(path.join(base, p), 'utf8');
    const a = s.indexOf(',', s.indexOf(',') + 1);
    d = JSON.parse(s.slice(a + 1, s.lastIndexOf(')')));
    cache.set(p, d);
  }
  return d;
}
function makeEngine(files) {
  return new S.Engine((kind, n, p) => { files.push(p); return Promise.resolve(readData(p)); });
}
(async () => {
  let shared = null, sharedFiles = [];
  const out = [];
  for (const q of input.queries) {
    let files = [], eng;
    if (input.cold || !shared) { eng = makeEngine(files); await eng.init(); files.length = 0; if (!input.cold) { shared = eng; sharedFiles = files; } }
    else { eng = shared; sharedFiles.length = 0; files = sharedFiles; }
    const t0 = process.hrtime.bigint();
    const r = await eng.search(q.q, Object.assign({ limit: q.limit || 10, filter: q.filter || null }, q.opts || {}));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    out.push(JSON.stringify({
      q: q.q, ms, partial: !!r.partial, fuzzy: !!r.fuzzy, total: r.total, files: Array.from(new Set(files)),
      results: r.results.map(g => ({ pid: g.pid, id: g.id, title: g.title, active: g.active, pinyin: !!g.pinyin,
        state: g.state, cite: !!g.cite,
        hits: g.hits.map(h => ({ url: h.url, heading: h.heading, phrase: h.phrase, cite: !!h.cite, policy: !!h.policy })) })),
      notice: r.notice || '',
    }));
  }
  process.stdout.write(out.join('\n') + '\n');
})().catch(e => { console.error(e.stack || e); process.exit(1); });
