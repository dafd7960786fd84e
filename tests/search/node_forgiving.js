// Runs the real search client against a built index directory with engine options, for the
// forgiving-matching tests. Input (stdin): {"site": dir, "queries": [{"q", "limit", "opts"}]}.
// Output: one JSON line per query: flags, variants tried, groups and the index files loaded.
'use strict';
const fs = require('fs');
const path = require('path');
require(path.join(__dirname, '..', '..', 'templates', 'static', 'search.js'));
const S = globalThis.HBSearch;
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const base = path.join(input.site, 'search');
function readData(p) {
  const s = fs.readFileSync(path.join(base, p), 'utf8');
  const a = s.indexOf(',', s.indexOf(',') + 1);
  return JSON.parse(s.slice(a + 1, s.lastIndexOf(')')));
}
(async () => {
  const out = [];
  for (const q of input.queries) {
    const files = [];
    const eng = new S.Engine((kind, n, p) => {
      files.push(p);
      try { return Promise.resolve(readData(p)); } catch (e) { return Promise.reject(e); }
    });
    const r = await eng.search(q.q, Object.assign({ limit: q.limit || 10 }, q.opts || {}));
    out.push(JSON.stringify({
      q: q.q, partial: !!r.partial, fuzzy: !!r.fuzzy, notice: r.notice || '', variants: r.variants || [],
      files, results: r.results.map(g => ({ id: g.id, title: g.title, fuzzy: !!g.fuzzy, urls: g.hits.map(h => h.url) })),
    }));
  }
  process.stdout.write(out.join('\n') + '\n');
})().catch(e => { console.error(e.stack || e); process.exit(1); });
