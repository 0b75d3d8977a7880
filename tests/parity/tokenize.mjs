// Runs strings through plugins/gongkai_core/tokenizer.js for the parity test.
// Usage: node tests/parity/tokenize.mjs '["政府信息公开", ...]'  → JSON list of results on stdout.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tok = require("../../plugins/gongkai_core/tokenizer.js");

const cases = JSON.parse(process.argv[2]);
const out = cases.map((s) => ({
  normalize: tok.normalize(s),
  tokenize: tok.tokenize(s),
  query_terms: tok.queryTerms(s),
  hashes: tok.tokenize(s).map((t) => tok.hash32(t)),
  unigrams: tok.tokenize(s).map((t) => tok.isUnigram(t)),
}));
process.stdout.write(JSON.stringify(out));
