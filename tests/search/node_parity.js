// Normalisation (norm and normMap) and query terms of the real client for a list of strings (stdin JSON
// {"t2s": <search/t2s.js data>, "strings": [...]}); one JSON line per string.
'use strict';
const fs = require('fs');
const path = require('path');
require(path.join(__dirname, '..', '..', 'templates', 'static', 'search.js'));
const S = globalThis.HBSearch;
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
S.setT2S(input.t2s);
const out = input.strings.map(s => {
  const n = S.norm(s), nm = S.normMap(s);
  // the offset map: null (identity, same length) or one source offset per character + the end
  const mapOk = nm.m === null ? nm.t.length === s.length
    : nm.m.length === nm.t.length + 1 && nm.m[nm.m.length - 1] === s.length;
  return JSON.stringify({ norm: n, map: nm.t, mapOk: mapOk, identity: nm.m === null, terms: S.queryTerms(n) });
});
process.stdout.write(out.join('\n') + '\n');
