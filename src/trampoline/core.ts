/**
 * The generic trampoline core (kernel/bpf/trampoline.c; facts: shared/facts/bpf-arm64.md §4): one
 * `BpfTrampoline` per target key, links per kind, BPF_MAX_TRAMP_LINKS, and a new image on every
 * attach/detach, retired as the kernel retires it (bpf_tramp_image_put, §4.6):
 *
 *   with CALL_ORIG:  patch ip_after_call → `b ip_epilogue` (callers still inside the original skip the
 *                    old image's fexit programs) → grace period (covers the instructions before
 *                    __bpf_tramp_enter) → percpu_ref_kill (drop the owner's reference) → when the count
 *                    reaches zero (the host, or the last __bpf_tramp_exit's release call) → grace period
 *                    (covers the instructions after __bpf_tramp_exit) → free
 *   fentry only:     grace period → free
 *
 * How a trampoline is reached from its target is the target's business (`FentryTarget`, the attach
 * interface the strategies implement): `retarget(old, new)` makes the site call the new image. Here the
 * only built-in target is a BPF program's entry (`progTarget`, via bpf_arch_text_poke).
 */
import type { Kernel } from '../kernel/kernel.js';
import { KernelError } from '../util/errors.js';
import {
  checkModel,
  generateTrampoline,
  TRAMP_KINDS,
  trampFlagsFor,
  type GeneratedTrampoline,
  type TrampFuncModel,
  type TrampKind,
  type TrampLink,
} from './generator.js';
import { bpfArchTextPoke, branchWord, progEntrySite, type BpfProgImage, type PokeRecord } from './poke.js';
import { BPF_TRAMP_IMAGE, trampRuntime, type TrampProg, type TrampRuntime } from './runtime.js';

/** BPF_MAX_TRAMP_LINKS (arm64, x86): all programs of all kinds on one trampoline. */
export const BPF_MAX_TRAMP_LINKS = 38;
/** One page per image (bpf_jit_alloc_exec(PAGE_SIZE) before prog_pack); a larger image is E2BIG. */
export const TRAMP_IMAGE_SIZE = 4096;
const NOP = 0xd503201f;

/**
 * bpf_trampoline_link_prog's rules, shared by every holder of per-kind link lists (the core's trampolines
 * and the `ops` strategy's fprobe): fmod_ret only on error-injectable targets (EINVAL), at most
 * BPF_MAX_TRAMP_LINKS of all kinds together (E2BIG), one link per program (EBUSY); the link goes first in its
 * list (hlist_add_head: most recently attached runs first); `update` installs the new code, and if it throws
 * the link is taken out again so nothing changes.
 */
export function linkInto(
  links: Record<TrampKind, TrampLink[]>,
  link: TrampLink,
  name: string,
  errorInjectable: boolean,
  update: () => void,
): void {
  if (link.kind === 'fmod_ret' && !errorInjectable)
    throw new KernelError(
      'EINVAL',
      `fmod_ret on ${name}: the target is not error-injectable (ALLOW_ERROR_INJECTION); use fexit to observe its return value`,
    );
  const count = TRAMP_KINDS.reduce((n, k) => n + links[k].length, 0);
  if (count >= BPF_MAX_TRAMP_LINKS)
    throw new KernelError(
      'E2BIG',
      `${name} already has ${count} programs attached; BPF_MAX_TRAMP_LINKS is ${BPF_MAX_TRAMP_LINKS}. Detach one first`,
    );
  for (const k of TRAMP_KINDS)
    if (links[k].some((l) => l.prog.progStruct === link.prog.progStruct))
      throw new KernelError('EBUSY', `${link.prog.name} is already attached to ${name} (as ${k})`);
  links[link.kind].unshift(link);
  try {
    update();
  } catch (e) {
    links[link.kind].shift();
    throw e;
  }
}

/** bpf_trampoline_unlink_prog's list side: ENOENT for a link that is not there; on an `update` error it goes back. */
export function unlinkFrom(
  links: Record<TrampKind, TrampLink[]>,
  link: TrampLink,
  name: string,
  update: () => void,
): void {
  const l = links[link.kind];
  const i = l.indexOf(link);
  if (i < 0) throw new KernelError('ENOENT', `${link.prog.name} is not attached to ${name} as ${link.kind}`);
  l.splice(i, 1);
  try {
    update();
  } catch (e) {
    l.splice(i, 0, link);
    throw e;
  }
}

/**
 * The attach interface: "get this trampoline called from this site". A target knows its traced function
 * and how to point its site at an image; the core calls `retarget` on every new image.
 */
export interface FentryTarget {
  /** bpf_trampoline key: (prog id << 32) | btf id for a BPF program; (obj id << 32) | 1 << 31 | btf id else. */
  readonly key: bigint;
  readonly name: string;
  /** The traced function's address (what bpf_get_func_ip returns). */
  readonly funcAddr: bigint;
  readonly model: TrampFuncModel;
  /** ALLOW_ERROR_INJECTION (fmod_ret allowed). */
  readonly errorInjectable: boolean;
  /** Flags the site needs on top of those the links imply (e.g. ORIG_STACK). */
  readonly extraFlags?: number;
  /** Point the site from `oldTramp` (null: not attached) to `newTramp` (null: detach). Atomic: all or nothing. */
  retarget(oldTramp: bigint | null, newTramp: bigint | null): readonly PokeRecord[];
  /**
   * Run `fn` once the last `retarget` is in effect (its writes applied). A target whose retarget completes
   * before returning leaves this out; one whose writes are queued (ftrace in step mode) must provide it, since
   * the old image is retired — and freed after grace periods — from `fn`.
   */
  afterRetarget?(fn: () => void): void;
  /** freplace: make the site jump (`b`) to `newExt` instead (BPF programs only; undefined elsewhere). */
  replace?(oldExt: bigint | null, newExt: bigint | null): readonly PokeRecord[];
}

export type ImageState = 'live' | 'retiring' | 'dying' | 'releasing' | 'freed';

/** struct bpf_tramp_image. */
export interface TrampImage {
  readonly seq: number;
  readonly address: bigint;
  readonly size: number;
  /** The struct bpf_tramp_image in kernel memory (percpu_ref). */
  readonly im: bigint;
  readonly symbol: string;
  readonly gen: GeneratedTrampoline;
  readonly flags: number;
  state: ImageState;
}

/** Events of one trampoline, for strategies and reports. */
export interface TrampEvents {
  /** A new image is live (newImage undefined: the last link went). */
  image?: (newImage: TrampImage | undefined, old: TrampImage | undefined) => void;
}

export class BpfTrampoline {
  readonly links: Record<TrampKind, TrampLink[]> = { fentry: [], fexit: [], fmod_ret: [] };
  image: TrampImage | undefined;
  /** The freplace program replacing the target (tr->extension_prog), exclusive with every other link. */
  extension: TrampProg | undefined;
  /** Every poke made on behalf of this trampoline, in order. */
  readonly pokes: PokeRecord[] = [];
  private readonly listeners: NonNullable<TrampEvents['image']>[] = [];

  constructor(
    readonly registry: Trampolines,
    readonly target: FentryTarget,
    /** v6.0 `blr`-based call of the original (faults under BTI); default the current `ret`. */
    readonly origCall: 'ret' | 'blr' = 'ret',
    /** Up to 12 arguments with stack arguments (v6.16); default 8 register arguments. */
    readonly stackArgs = false,
  ) {}

  get name(): string {
    return `bpf_trampoline_${this.target.key}`;
  }

  /** Total links of every kind. */
  get count(): number {
    return TRAMP_KINDS.reduce((n, k) => n + this.links[k].length, 0);
  }

  onImage(fn: NonNullable<TrampEvents['image']>): void {
    this.listeners.push(fn);
  }

  /** bpf_trampoline_link_prog: add a link and install a new image; on any error nothing changes. */
  link(link: TrampLink): TrampImage {
    const t = this.target;
    if (this.extension)
      throw new KernelError(
        'EBUSY',
        `${t.name} is replaced by ${this.extension.name} (freplace); detach the extension first`,
      );
    linkInto(this.links, link, t.name, t.errorInjectable, () => this.update());
    return this.image!;
  }

  /**
   * freplace (BPF_TRAMP_REPLACE): the target's entry jumps to `ext` instead of calling a trampoline. Only on a
   * BPF program, and only with nothing else attached (EBUSY otherwise, as the kernel).
   */
  replaceWith(ext: TrampProg): void {
    const t = this.target;
    if (!t.replace)
      throw new KernelError('EINVAL', `${t.name} cannot be replaced: freplace targets only BPF programs`);
    if (this.extension || this.count > 0)
      throw new KernelError(
        'EBUSY',
        `${t.name} already has ${this.extension ? `the extension ${this.extension.name}` : `${this.count} tracing programs`} attached`,
      );
    this.pokes.push(...t.replace(null, ext.bpfFunc));
    this.extension = ext;
  }

  /** Detach the freplace program: the entry's `b` becomes a NOP again. */
  unreplace(): void {
    const ext = this.extension;
    if (!ext) throw new KernelError('ENOENT', `${this.target.name} has no extension attached`);
    this.pokes.push(...this.target.replace!(ext.bpfFunc, null));
    this.extension = undefined;
  }

  /** bpf_trampoline_unlink_prog: remove a link, install the next image (or none), retire the old one. */
  unlink(link: TrampLink): void {
    unlinkFrom(this.links, link, this.target.name, () => this.update());
  }

  /** bpf_tramp_image_put of `old`, once the site no longer calls it. */
  private retire(old: TrampImage): void {
    const put = (): void => this.registry.putImage(old);
    if (this.target.afterRetarget) this.target.afterRetarget(put);
    else put();
  }

  /** bpf_trampoline_update. */
  private update(): void {
    const old = this.image;
    if (this.count === 0) {
      if (old) this.pokes.push(...this.target.retarget(old.address, null));
      this.image = undefined;
      if (old) this.retire(old);
      for (const fn of this.listeners) fn(undefined, old);
      return;
    }
    const flags = trampFlagsFor(this.links) | (this.target.extraFlags ?? 0);
    const img = this.registry.newImage(this, flags);
    try {
      this.pokes.push(...this.target.retarget(old?.address ?? null, img.address));
    } catch (e) {
      this.registry.discardImage(img);
      throw e;
    }
    this.image = img;
    if (old) this.retire(old);
    for (const fn of this.listeners) fn(img, old);
  }
}

/** The trampolines of one kernel (trampoline_table) and the images they made. */
export class Trampolines {
  readonly rt: TrampRuntime;
  private readonly table = new Map<bigint, BpfTrampoline>();
  /** Images by their struct bpf_tramp_image address (a freed image's struct is reused by a later one). */
  readonly images = new Map<bigint, TrampImage>();
  private seq = 0;
  private readonly freeIms: bigint[] = [];

  constructor(readonly kernel: Kernel) {
    this.rt = trampRuntime(kernel);
    this.rt.onRelease = (im) => this.release(im);
  }

  /** bpf_trampoline_get: the trampoline of `target.key`, created on first use. */
  get(target: FentryTarget, opts: { origCall?: 'ret' | 'blr'; stackArgs?: boolean } = {}): BpfTrampoline {
    const have = this.table.get(target.key);
    if (have) return have;
    checkModel(target.model, opts.stackArgs);
    const tr = new BpfTrampoline(this, target, opts.origCall, opts.stackArgs);
    this.table.set(target.key, tr);
    return tr;
  }

  all(): BpfTrampoline[] {
    return [...this.table.values()];
  }

  /** Allocate, generate and publish an image (not yet reachable: the caller retargets the site). */
  newImage(tr: BpfTrampoline, flags: number): TrampImage {
    const k = this.kernel;
    const im = this.freeIms.pop() ?? this.rt.allocData(BPF_TRAMP_IMAGE.SIZE);
    const mem = k.machine.memory;
    mem.write64(im + BigInt(BPF_TRAMP_IMAGE.PCREF), 1n, 0); // percpu_ref_init: the owner's reference
    mem.write64(im + BigInt(BPF_TRAMP_IMAGE.DEAD), 0n, 0);
    const address = k.allocExec(TRAMP_IMAGE_SIZE, tr.name);
    let gen: GeneratedTrampoline;
    try {
      gen = generateTrampoline({
        base: address,
        funcAddr: tr.target.funcAddr,
        model: tr.target.model,
        links: tr.links,
        flags,
        im,
        rt: this.rt,
        bti: k.bti,
        origCall: tr.origCall,
        stackArgs: tr.stackArgs,
      });
      if (gen.bytes.length > TRAMP_IMAGE_SIZE)
        throw new KernelError(
          'E2BIG',
          `${tr.name}: the image needs ${gen.bytes.length} bytes, more than one page (${TRAMP_IMAGE_SIZE}); attach fewer programs`,
        );
    } catch (e) {
      k.freeExec(address, TRAMP_IMAGE_SIZE);
      this.freeIms.push(im);
      throw e;
    }
    k.writeText(address, gen.bytes);
    const img: TrampImage = {
      seq: ++this.seq,
      address,
      size: gen.bytes.length,
      im,
      symbol: tr.name,
      gen,
      flags,
      state: 'live',
    };
    // A BPF ksym, listed as [bpf] like JITed programs.
    k.kallsyms.add({ name: tr.name, address, size: BigInt(gen.bytes.length), type: 't', module: 'bpf' });
    this.images.set(im, img);
    return img;
  }

  /** An image that never went live (the site refused it): free at once. */
  discardImage(img: TrampImage): void {
    this.free(img);
  }

  /** bpf_tramp_image_put. */
  putImage(img: TrampImage): void {
    const rcu = this.kernel.rcu;
    if (img.gen.ipAfterCall !== undefined && img.gen.ipEpilogue !== undefined) {
      bpfArchTextPoke(
        this.kernel,
        { ip: img.gen.ipAfterCall, name: `${img.symbol} ip_after_call` },
        'jump',
        null,
        img.gen.ipEpilogue,
      );
      img.state = 'retiring';
      rcu.callRcuTasks(`${img.symbol}#${img.seq}: before __bpf_tramp_enter`, () => this.kill(img));
    } else {
      img.state = 'retiring';
      rcu.callRcuTasks(`${img.symbol}#${img.seq}: fentry-only image`, () => this.free(img));
    }
  }

  /** percpu_ref_kill: drop the owner's reference; release when nobody else holds one. */
  private kill(img: TrampImage): void {
    const mem = this.kernel.machine.memory;
    const ref = img.im + BigInt(BPF_TRAMP_IMAGE.PCREF);
    mem.write64(img.im + BigInt(BPF_TRAMP_IMAGE.DEAD), 1n, 0);
    const left = mem.read64(ref) - 1n;
    mem.write64(ref, left, 0);
    img.state = 'dying';
    if (left === 0n) this.release(img.im);
  }

  /** The percpu_ref release callback: one more grace period, then free. */
  private release(im: bigint): void {
    const img = this.images.get(im);
    if (!img || img.state !== 'dying')
      throw new KernelError('EINVAL', `bpf_tramp_image_release: 0x${im.toString(16)} is not a dying image`);
    img.state = 'releasing';
    this.kernel.rcu.callRcuTasks(`${img.symbol}#${img.seq}: after __bpf_tramp_exit`, () => this.free(img));
  }

  private free(img: TrampImage): void {
    this.kernel.freeExec(img.address, TRAMP_IMAGE_SIZE);
    this.kernel.kallsyms.remove(img.address, img.symbol);
    img.state = 'freed';
    this.freeIms.push(img.im);
  }

  /** The image's reference count (1 = only the owner, while live). */
  refcount(img: TrampImage): bigint {
    return this.kernel.machine.memory.read64(img.im + BigInt(BPF_TRAMP_IMAGE.PCREF));
  }
}

const registries = new WeakMap<Kernel, Trampolines>();

/** The trampoline registry of `kernel`. */
export function trampolines(kernel: Kernel): Trampolines {
  let r = registries.get(kernel);
  if (!r) {
    r = new Trampolines(kernel);
    registries.set(kernel, r);
  }
  return r;
}

/**
 * bpf_trampoline_compute_key (facts §4.1): a BPF-program target is (prog id << 32) | btf id; a kernel or
 * module function is (BTF object id << 32) | 0x80000000 | btf id (vmlinux's BTF object id is 1).
 */
export function trampolineKey(btfId: number, of: { progId: number } | { btfObjId: number }): bigint {
  return 'progId' in of
    ? (BigInt(of.progId) << 32n) | BigInt(btfId)
    : (BigInt(of.btfObjId) << 32n) | 0x8000_0000n | BigInt(btfId);
}

/** A BPF program as a trampoline target (fentry/fexit on a program: the fexit_bpf2bpf shape). */
export interface ProgTargetSpec {
  readonly kernel: Kernel;
  readonly image: BpfProgImage;
  readonly model: TrampFuncModel;
  /** Program id (high half of the key). */
  readonly progId: number;
  /** BTF id of the program's FUNC (low half of the key). */
  readonly btfId: number;
  readonly errorInjectable?: boolean;
}

/** The target of a BPF program's entry: attaches by poking BL (or BL to the PLT) at its poke site. */
export function progTarget(spec: ProgTargetSpec): FentryTarget {
  const rt = trampRuntime(spec.kernel);
  const site = progEntrySite(spec.image, rt.dummyTramp);
  return {
    key: trampolineKey(spec.btfId, { progId: spec.progId }),
    name: spec.image.name,
    funcAddr: spec.image.address,
    model: spec.model,
    errorInjectable: spec.errorInjectable ?? false,
    retarget: (oldTramp, newTramp) => [bpfArchTextPoke(spec.kernel, site, 'call', oldTramp, newTramp)],
    replace: (oldExt, newExt) => [bpfArchTextPoke(spec.kernel, site, 'jump', oldExt, newExt)],
  };
}

/** The word `ip_after_call` holds once the image is retired (`b ip_epilogue`), for checks. */
export function retiredAfterCallWord(img: TrampImage): number {
  return img.gen.ipAfterCall === undefined
    ? NOP
    : branchWord('jump', img.gen.ipAfterCall, img.gen.ipEpilogue!);
}
