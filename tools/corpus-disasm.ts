/**
 * `npm run corpus:disasm [-- --series 6.1|6.12] [--limit N]`: our disassembly vs llvm-objdump over a whole
 * Debian module corpus, with the match table by mnemonic (worst first).
 */
import { ensureCorpus, type Series } from '../src/cli/corpus.js';
import { compareCorpus } from '../src/cli/corpus-disasm.js';

const args = process.argv.slice(2);
const series = (args[args.indexOf('--series') + 1] ?? '6.1') as Series;
const limit = args.includes('--limit') ? Number(args[args.indexOf('--limit') + 1]) : Infinity;
const corpus = await ensureCorpus(args.includes('--series') ? series : '6.1');
const files = corpus.modules.slice(0, limit);
const t0 = performance.now();
const rep = compareCorpus(files, {
  onProgress: (n) => process.stderr.write(`\r${n}/${files.length} modules`),
});
process.stderr.write('\n');
const pct = (a: number, b: number): string => `${((100 * a) / Math.max(b, 1)).toFixed(3)} %`;
console.log(
  `corpus ${corpus.series} ${corpus.version}: ${rep.files} modules, ${rep.words} instruction words`,
);
console.log(
  `all words:            ${rep.match}/${rep.words} = ${pct(rep.match, rep.words)} (text without <sym>: ${pct(rep.matchText, rep.words)})`,
);
console.log(
  `integer/ldst/br/sys:  ${rep.integerMatch}/${rep.integerWords} = ${pct(rep.integerMatch, rep.integerWords)}`,
);
const rows = [...rep.byMnemonic].sort(
  (a, b) => a[1].match / a[1].total - b[1].match / b[1].total || b[1].total - a[1].total,
);
console.log(`${rep.byMnemonic.size} mnemonics; the 30 worst:`);
for (const [mn, r] of rows.slice(0, 30))
  console.log(
    `  ${mn.padEnd(12)} ${String(r.match).padStart(9)}/${String(r.total).padEnd(9)} ${pct(r.match, r.total)}`,
  );
for (const e of rep.examples.slice(0, 15)) console.log(`  e.g. ${e}`);
console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
