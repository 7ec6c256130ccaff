/**
 * Regenerates the golden files (STYLE principle 9): for every `tests/golden/a64/<class>.s`, runs llvm-mc
 * with the reference flags and writes `<class>.golden` with the exact command on its first line. Review
 * the diff before committing; the golden test compares our assembler and printer against these files.
 *
 *   npm run golden
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REFERENCE_MATTR as MATTR } from '../src/cli/corpus-disasm.js';
const dir = join(import.meta.dirname, '..', 'tests', 'golden', 'a64');

for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.s'))
  .sort()) {
  const src = join(dir, name);
  const cmd = [
    'llvm-mc',
    '--triple=aarch64',
    `-mattr=${MATTR}`,
    '--show-encoding',
    `tests/golden/a64/${name}`,
  ];
  const out = execFileSync(cmd[0]!, cmd.slice(1), {
    input: readFileSync(src),
    encoding: 'utf8',
    cwd: join(dir, '..', '..', '..'),
  });
  const body = out
    .split('\n')
    .filter((l) => l.includes('encoding:'))
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .join('\n');
  writeFileSync(join(dir, name.replace(/\.s$/, '.golden')), `# ${cmd.join(' ')}\n${body}\n`);
  console.log(`wrote ${name.replace(/\.s$/, '.golden')}`);
}
