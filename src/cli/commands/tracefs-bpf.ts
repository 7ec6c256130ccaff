/**
 * The BPF commands of `tramp64 tracefs` (tracefs.ts): `attach OBJ [PROG…]`, `detach [PROG…]` and
 * `globals [OBJ…]` on the session's strategy kernel. They use what `tramp64 attach` / `test-run` use
 * (src/trampoline/strategies/testrun.ts attachObject / readGlobals): load, verify against the test kernel's
 * BTF, JIT, then link every program through the strategy's FunctionAttachment.
 *
 * Objects stay loaded for the session once attached (a skeleton that is still open): `detach` destroys
 * links, `globals` still reads the maps, `attach OBJ` links the detached programs again. Only the programs
 * chosen at the first attach of an object are loaded (libbpf's autoload off for the others), and only one
 * object with maps fits a kernel (the model maps them at fixed addresses: src/trampoline/bpf.ts). Bad input
 * throws before anything changes; a link the verifier or the strategy refuses is an outcome with its errno.
 */
import { basename, resolve } from 'node:path';
import type { LoadedObject } from '../../trampoline/bpf.js';
import type { TrampLink } from '../../trampoline/generator.js';
import { attachObject, readGlobals, type ProgramAttach } from '../../trampoline/strategies/testrun.js';
import type { TracingKernel } from '../../trampoline/strategies/types.js';
import { KernelError, Tramp64Error } from '../../util/errors.js';
import { readBpfObject } from './attach.js';

/** The BPF side of a shell session. */
export interface BpfShell {
  /** The strategy's kernel. */
  readonly tracing: TracingKernel;
  /** BPF objects loaded by `attach`, in load order. */
  readonly objects: ShellObject[];
  /** Links made so far (orders `detach`). */
  linksMade: number;
}

/** A program of a loaded object, with the link `attach` / `detach` make and destroy. */
export interface ShellProgram {
  /** `OBJ:PROG`, the name `detach` accepts when PROG alone is ambiguous. */
  readonly qualified: string;
  readonly name: string;
  readonly kind: string;
  readonly target: string;
  readonly link: TrampLink;
  attached: boolean;
  /** When it was last attached (the session's attach count), so `detach` undoes the newest first. */
  seq: number;
}

/** A BPF object loaded into the session's kernel. */
export interface ShellObject {
  /** The file name without `.bpf.o` / `.o`, as bpftool gen skeleton names it. */
  readonly name: string;
  readonly file: string;
  /** Every program of the file (the loaded ones are `programs`). */
  readonly all: readonly string[];
  readonly loaded: LoadedObject;
  readonly programs: ShellProgram[];
}

/** The name of a BPF object file: its base name without `.bpf.o` / `.o`. */
function objectName(file: string): string {
  return basename(file).replace(/(\.bpf)?\.o$/, '');
}

/** `fentry   fentry_test:test1    -> bpf_fentry_test1         attached` (the layout of `tramp64 attach`). */
function progLine(kind: string, qualified: string, target: string, state: string): string {
  return `${kind.padEnd(8)} ${qualified.padEnd(20)} -> ${target.padEnd(24)} ${state}\n`;
}

/** `ENOTSUPP: why` for a program the verifier or the strategy refused. */
function refusal(p: ProgramAttach): string {
  const o = p.outcome;
  if (o.state === 'attached') return '';
  return o.message.startsWith(`${o.errno}: `) ? o.message : `${o.errno}: ${o.message}`;
}

export interface Printed {
  out: string;
  /** One line per failure, without the newline. */
  errs: string[];
}

/**
 * `attach OBJ [PROG…]`. The first attach of an object loads it (the programs named, or all) and attaches
 * what it loaded; a later one links programs of that object that are not attached. Bad input (no such file,
 * program or object slot) throws before anything is loaded; a program the verifier or the strategy refuses
 * is an outcome, printed with its errno, and leaves the others attached.
 */
export function attachCommand(s: BpfShell, args: readonly string[]): Printed {
  const [file, ...wanted] = args;
  if (file === undefined) throw new Tramp64Error('EINVAL', 'usage: attach OBJ [PROG...]');
  const name = objectName(file);
  const have = s.objects.find((o) => o.name === name);
  if (have) return relink(s, have, file, wanted);
  const obj = readBpfObject(file);
  if (obj.programs.length === 0)
    throw new KernelError(
      'EINVAL',
      `'${file}' has no fentry/, fexit/ or fmod_ret/ program to attach${obj.unsupported.length ? ` (unsupported sections: ${obj.unsupported.map((u) => u.section).join(', ')})` : ''}`,
    );
  const all = obj.programs.map((p) => p.name);
  const missing = wanted.filter((w) => !all.includes(w));
  if (missing.length > 0)
    throw new KernelError(
      'ENOENT',
      `${name} has no program ${missing.join(', ')}; its programs are ${all.join(', ')}`,
    );
  const mapped = s.objects.find((o) => o.loaded.obj.maps.length > 0);
  if (obj.maps.length > 0 && mapped)
    throw new KernelError(
      'EBUSY',
      `${name} has maps and ${mapped.name} already holds the kernel's map addresses (the model maps one object's maps per kernel); start another tramp64 tracefs for ${file}`,
    );
  const chosen =
    wanted.length > 0 ? { ...obj, programs: obj.programs.filter((p) => wanted.includes(p.name)) } : obj;
  const att = attachObject(s.tracing, chosen);
  const printed: Printed = { out: '', errs: [] };
  const programs: ShellProgram[] = [];
  for (const p of att.programs) {
    const qualified = `${name}:${p.name}`;
    if (p.outcome.state === 'attached') printed.out += progLine(p.kind, qualified, p.target, 'attached');
    else printed.errs.push(`attach: ${qualified} (${p.section}): ${refusal(p)}`);
    if (p.outcome.state === 'rejected' || !att.loaded) continue;
    // A refused link changed nothing, so a new link of the loaded program is as good as the one tried.
    const lp = att.loaded.programs.find((x) => x.prog.name === p.name)!;
    const link = p.link ?? { prog: lp.tramp, kind: p.kind, cookie: 0n };
    programs.push({
      qualified,
      name: p.name,
      kind: p.kind,
      target: p.target,
      link,
      attached: p.link !== undefined,
      seq: p.link !== undefined ? ++s.linksMade : 0,
    });
  }
  if (att.loaded) s.objects.push({ name, file, all, loaded: att.loaded, programs });
  return printed;
}

/** `attach OBJ [PROG…]` for an object already loaded: link its detached programs again. */
function relink(s: BpfShell, o: ShellObject, file: string, wanted: readonly string[]): Printed {
  if (resolve(file) !== resolve(o.file))
    throw new KernelError('EBUSY', `an object named ${o.name} is already loaded from ${o.file}`);
  for (const w of wanted) {
    if (!o.all.includes(w))
      throw new KernelError('ENOENT', `${o.name} has no program ${w}; its programs are ${o.all.join(', ')}`);
    if (!o.programs.some((p) => p.name === w))
      throw new KernelError(
        'ENOENT',
        `${o.name}:${w} is not loaded: the first attach of ${o.name} loaded ${o.programs.map((p) => p.name).join(', ') || 'nothing'}, and an object is loaded once per session`,
      );
  }
  const todo = o.programs.filter((p) => (wanted.length > 0 ? wanted.includes(p.name) : !p.attached));
  const busy = todo.filter((p) => p.attached);
  if (busy.length > 0)
    throw new KernelError('EBUSY', `${busy.map((p) => p.qualified).join(', ')} already attached`);
  if (todo.length === 0) throw new KernelError('EBUSY', `every loaded program of ${o.name} is attached`);
  const printed: Printed = { out: '', errs: [] };
  for (const p of todo) {
    try {
      s.tracing.strategy.attachment(s.tracing, p.target).link(p.link);
      p.attached = true;
      p.seq = ++s.linksMade;
      printed.out += progLine(p.kind, p.qualified, p.target, 'attached');
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      printed.errs.push(`attach: ${p.qualified} (${p.kind}/${p.target}): ${e.message}`);
    }
  }
  return printed;
}

/**
 * `detach [PROG…]`: every attached program (last attached first), or those named (`PROG` or `OBJ:PROG`).
 * Every name is resolved before any link is destroyed, so a bad one changes nothing.
 */
export function detachCommand(s: BpfShell, args: readonly string[]): Printed {
  const loaded = s.objects.flatMap((o) => o.programs);
  const attached = loaded.filter((p) => p.attached);
  const attachedText = attached.map((p) => p.qualified).join(', ') || 'none';
  let todo: ShellProgram[];
  if (args.length === 0) {
    if (attached.length === 0) throw new KernelError('ENOENT', 'no BPF program is attached');
    todo = [...attached].sort((a, b) => b.seq - a.seq);
  } else {
    todo = [];
    for (const a of args) {
      const found = loaded.filter((p) => p.qualified === a || p.name === a);
      if (found.length === 0)
        throw new KernelError('ENOENT', `no BPF program ${a} is loaded; attached: ${attachedText}`);
      if (found.length > 1)
        throw new KernelError(
          'EINVAL',
          `${a} is ambiguous: ${found.map((p) => p.qualified).join(', ')}; name one as OBJ:PROG`,
        );
      const p = found[0]!;
      if (!p.attached)
        throw new KernelError('ENOENT', `${p.qualified} is not attached; attached: ${attachedText}`);
      if (!todo.includes(p)) todo.push(p);
    }
  }
  let out = '';
  for (const p of todo) {
    s.tracing.strategy.attachment(s.tracing, p.target).unlink(p.link);
    p.attached = false;
    out += progLine(p.kind, p.qualified, p.target, 'detached');
  }
  return { out, errs: [] };
}

/** `globals [OBJ…]`: each object's globals as `tramp64 test-run` prints them. */
export function globalsCommand(s: BpfShell, args: readonly string[]): string {
  if (s.objects.length === 0)
    throw new KernelError('ENOENT', 'no BPF object is loaded; attach one first (attach OBJ)');
  const unknown = args.filter((a) => !s.objects.some((o) => o.name === a));
  if (unknown.length > 0)
    throw new KernelError(
      'ENOENT',
      `no BPF object ${unknown.join(', ')} is loaded; loaded: ${s.objects.map((o) => o.name).join(', ')}`,
    );
  let out = '';
  for (const o of s.objects) {
    if (args.length > 0 && !args.includes(o.name)) continue;
    out += `${o.name} (${o.file}):\n`;
    const gs = readGlobals(s.tracing, o.loaded);
    for (const g of gs) {
      // Addresses (bpf_get_func_ip results) read better in hex.
      const big = g.value !== undefined && g.value >= 1n << 32n;
      out += `  ${g.section.padEnd(8)} ${g.name} = ${g.text}${big ? ` (0x${g.value!.toString(16)})` : ''}\n`;
    }
    if (gs.length === 0) out += '  (none)\n';
  }
  return out;
}
