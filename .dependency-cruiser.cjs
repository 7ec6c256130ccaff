// Layering of SPEC.md: util → a64 → machine → elf → kernel → ftrace, bpf → trampoline → scenario → cli, web.
// A lower layer never imports an upper one; only cli/ touches the file system or processes.
const order = ['util', 'a64', 'machine', 'elf', 'kernel', 'bpf', 'ftrace', 'trampoline', 'scenario', 'cli'];
const forbidden = [];
order.forEach((layer, i) => {
  const upper = order.slice(i + 1);
  if (upper.length === 0) return;
  forbidden.push({
    name: `${layer}-not-above`,
    comment: `src/${layer} must not import from layers above it (${upper.join(', ')})`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: `^src/(${upper.join('|')})/` },
  });
});
forbidden.push({
  name: 'pure-core',
  comment: 'only src/cli may touch files, processes or the network',
  severity: 'error',
  from: { path: '^src/(?!cli/)' },
  to: {
    path: '^(fs|node:fs|child_process|node:child_process|net|node:net|http|node:http|fs/promises|node:fs/promises)$',
  },
});
module.exports = {
  forbidden,
  options: { tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } },
};
