// Runs strings through plugins/gongkai_core/tokenizer.js for the parity test.
// Usage: node tests/parity/tokenize.mjs '[["政府信息公开", "信息"], ...]'
// (each case a text and a query) → JSON list of results on stdout.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tok = require("../../plugins/gongkai_core/tokenizer.js");

const cases = JSON.parse(process.argv[2]);
const out = cases.map(([s, q]) => ({
  normalize: tok.normalize(s),
  tokenize: tok.tokenize(s),
  collapse: tok.collapse(s),
  query_words: tok.queryWords(s),
  query_terms: tok.queryTerms(s),
  needs_check: tok.needsCheck(tok.queryWords(s)),
  hashes: tok.tokenize(s).map((t) => tok.hash32(t)),
  families: tok.tokenize(s).map((t) => tok.familyOf(t)),
  matches: tok.matches(tok.queryWords(q), [s]),
  candidate: tok.queryTerms(q).every((t) => tok.tokenize(s).includes(t)),
}));
process.stdout.write(JSON.stringify(out));
