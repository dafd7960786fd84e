// Normalisation and query terms of the real client for a list of strings (stdin JSON
// {"t2s": <search/t2s.js data>, "strings": [...]}); one JSON line per string.
'use strict';
const fs = require('fs');
const path = require('path');
require(path.join(__dirname, '..', '..', 'templates', 'static', 'search.js'));
const S = globalThis.HBSearch;
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
S.setT2S(input.t2s);
const out = input.strings.map(s => { const n = S.norm(s); return JSON.stringify({ norm: n, terms: S.queryTerms(n) }); });
process.stdout.write(out.join('\n') + '\n');
