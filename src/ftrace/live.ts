/**
 * ftrace on the emulated kernel: the pure core (update.ts) made real. `attachFtrace(kernel, …)` assembles
 * the ftrace_caller family member and its routines into the kernel image (arch/entry.ts), puts
 * ftrace_nop_ops / ftrace_list_ops / function_trace_op / ftrace_ops_list in image data, runs
 * ftrace_init_nop on every call site (`mov x9, x30` + the nop-ops literal, a loader-time write), and returns
 * an `FtraceKernel` whose register / unregister / setFilter / registerDirect / unregisterDirect / modifyDirect
 * have FtraceCore's signatures.
 *
 * Every update becomes a queue of single steps, in the order the kernel performs them (facts §4.4, §7):
 *
 *   register      ops written to memory → linked at the head of ftrace_ops_list → ['global': ftrace_call →
 *                 ftrace_ops_list_func, IPI] → per site: literal, then NOP/BL → ['global': function_trace_op,
 *                 IPI, grace period, ftrace_call → the final function]
 *   unregister    unlinked → sites → global function → (DYNAMIC) freed after a grace period (poisoned);
 *                 a static ops' cleared fields are written after a grace period
 *   set filter    new in-memory hash published → sites → old hash freed after a grace period
 *   direct calls  direct_functions republished (before the sites when it grew, after when it shrank), the
 *                 old copy freed after a grace period; modify goes through a temporary STUB ops
 *
 * In 'sync' mode the queue drains as it fills (a grace period completes at once when every CPU is idle). In
 * 'step' mode nothing happens until `step()` — typically called by a control CPU's A64 loop through
 * `hvc #HOSTCALL_FTRACE_STEP`, so other CPUs run between any two writes under the seeded scheduler.
 *
 * Checks: `verify()` compares emulated memory with the state machine (site words, literals, `mov x9, x30`,
 * the ops list, ops fields and hashes, direct_functions, ftrace_call); `reports` collects protocol
 * violations seen after each step. Mutation switches (tests only) break the protocol so the harness can
 * prove it notices: write the BL before the literal, skip the cache maintenance, free without a grace period.
 */
import { Asm } from '../a64/asm.js';
import type { Cpu } from '../machine/cpu.js';
import { MOV_X9_LR, NOP, ftraceInitNop, type CallSite } from '../kernel/callsites.js';
import type { Kernel } from '../kernel/kernel.js';
import { reachableByBl } from '../kernel/layout.js';
import { retargetFtracePlt, type Module } from '../kernel/module.js';
import { KernelError } from '../util/errors.js';
import { FTRACE_OPS, HOSTCALL_FTRACE_STEP, MEM_DIRECT_HASH, type FrameKind } from './arch/abi.js';
import { buildFtraceText, type CallerConfig, type CallerDispatch, type FtraceText } from './arch/entry.js';
import type { FtraceHash } from './hash.js';
import { Slab, readMemHash, readOpsImage, writeMemHash, writeOpsImage, type OpsImage } from './memory.js';
import { FtraceOps, OPS_FL, makeListOps, makeNopOps } from './ops.js';
import {
  StepQueue,
  gpStep,
  ipiStep,
  rcuStep,
  writeStep,
  type FtraceMutations,
  type FtraceStep,
} from './steps.js';
import { DynFtrace, recordsFromCallSites } from './records.js';
import { FtraceCore, type DirectSitePolicy, type SiteState, type UpdateKind } from './update.js';

export interface AttachFtraceOptions extends CallerConfig {
  /** Call sites of the kernel image (e.g. a test kernel's `callSites`). */
  readonly sites?: readonly CallSite[];
  /** Loaded modules whose call sites become records (DISABLED while a module is 'coming'). */
  readonly modules?: readonly Module[];
  /** 'sync' (default): updates apply at once; 'step': queued for `step()`. */
  readonly mode?: 'sync' | 'step';
  readonly mutations?: FtraceMutations;
  /** How direct trampolines are reached from their sites (the attach strategies; default 'bl-or-caller'). */
  readonly directSites?: DirectSitePolicy;
}

export interface NewOpsOptions {
  readonly name: string;
  /** Address of the A64 callback (ops->func); 0 for a direct ops before registerDirect. */
  readonly func?: bigint;
  readonly funcName?: string;
  /** OPS_FL bits; DYNAMIC puts the ops in the slab (freed after a grace period on unregister). */
  readonly flags?: number;
}

interface OpsMem {
  addr: bigint;
  /** Slab-allocated (DYNAMIC). */
  dynamic: boolean;
  filter: { hash: FtraceHash; addr: bigint; size: number; version: string };
  notrace: { hash: FtraceHash; addr: bigint; size: number; version: string };
}

const hashVersion = (h: FtraceHash): string => h.values().join(',');

export class FtraceKernel {
  readonly core: FtraceCore;
  readonly text: FtraceText;
  readonly frame: FrameKind;
  readonly dispatch: CallerDispatch;
  readonly nopOps: FtraceOps;
  readonly listOps: FtraceOps;
  /** Address of `function_trace_op` and `ftrace_ops_list` in image data. */
  readonly functionTraceOp: bigint;
  readonly opsListHead: bigint;
  /**
   * `direct_functions` in image data: a pointer to the published ip → trampoline hash (MEM_DIRECT_HASH).
   * arm64's ftrace_caller reads ops->direct_call instead; the hash is what ftrace_find_rec_direct() and the
   * tracefs `direct-->` lines read, replaced as a whole and the old copy freed after a grace period.
   */
  readonly directFunctionsPtr: bigint;
  private directPublished: { addr: bigint; version: string; ips: Set<bigint> } = {
    addr: 0n,
    version: '',
    ips: new Set(),
  };
  mode: 'sync' | 'step';
  mutations: FtraceMutations;
  /** Sites patched (text words written), for statistics. */
  sitesPatched = 0;

  /**
   * Protocol violations seen right after a step (ftrace_bug-style self checks): a CALL_OPS site whose final
   * BL is already in memory while its literal is not yet the final ops. Empty when the kernel's order holds.
   */
  readonly reports: string[] = [];
  /**
   * For a control CPU looping on `hvc #HOSTCALL_FTRACE_STEP`: called when the queue is empty; it may start the
   * next update (which fills the queue) and returns whether there is more to do (false ends the loop).
   */
  controlScript: (() => boolean) | undefined;

  private collecting: FtraceStep[] | undefined;
  private readonly steps: StepQueue;
  private readonly slab: Slab;
  private readonly mem = new Map<FtraceOps, OpsMem>();
  /** The in-memory ftrace_ops_list, head first (mirrors the A64-visible list). */
  private readonly memList: FtraceOps[] = [];
  private readonly modules = new Map<string, Module>();
  /** What `bl` at ftrace_call targets and what function_trace_op holds ('global' dispatch). */
  private callTarget: bigint;
  private traceOp: bigint;
  private readonly tmpOps: FtraceOps;

  constructor(
    readonly kernel: Kernel,
    opts: AttachFtraceOptions,
  ) {
    this.frame = opts.frame;
    this.dispatch = opts.dispatch;
    this.mode = opts.mode ?? 'sync';
    this.mutations = opts.mutations ?? {};
    this.steps = new StepQueue(kernel);
    this.slab = new Slab(kernel, 'ftrace kmalloc');
    const data = kernel.imageAlloc(0x100, 'data', 64).address;
    this.functionTraceOp = data;
    this.opsListHead = data + 8n;
    this.directFunctionsPtr = data + 16n;
    const textRegion = kernel.imageAlloc(4096, 'text', 4096);
    this.text = buildFtraceText(textRegion.address, opts, {
      functionTraceOp: this.functionTraceOp,
      opsList: this.opsListHead,
    });
    if (this.text.bytes.length > textRegion.size)
      throw new Error(`ftrace text is ${this.text.bytes.length} bytes; the region holds ${textRegion.size}`);
    kernel.writeText(textRegion.address, this.text.bytes);
    for (const s of this.text.symbols) kernel.kallsyms.add({ ...s, type: 'T' });
    kernel.kallsyms.add({ name: 'function_trace_op', address: data, size: 8n, type: 'd' });
    kernel.kallsyms.add({ name: 'ftrace_ops_list', address: data + 8n, size: 8n, type: 'd' });
    kernel.kallsyms.add({ name: 'direct_functions', address: data + 16n, size: 8n, type: 'd' });

    this.nopOps = makeNopOps(this.staticOpsAddr('ftrace_nop_ops'));
    this.nopOps.func = this.text.nopFunc;
    this.listOps = makeListOps(this.staticOpsAddr('ftrace_list_ops'));
    this.listOps.func = this.text.listFunc;
    this.tmpOps = new FtraceOps({
      name: 'ftrace_direct_tmp_ops',
      funcName: 'ftrace_stub',
      func: this.text.stub,
      flags: OPS_FL.STUB,
      address: this.staticOpsAddr('ftrace_direct_tmp_ops'),
    });
    for (const o of [this.nopOps, this.listOps]) writeOpsImage(kernel, o.address, this.imageOf(o, 0n, 0n));
    this.callTarget = this.text.stub;
    this.traceOp = this.listOps.address;
    kernel.machine.memory.write64(this.functionTraceOp, this.traceOp);

    const sites = opts.sites ?? [];
    this.checkLayouts(sites, 'vmlinux');
    this.core = new FtraceCore({
      records: [],
      ftraceCaller: this.text.caller,
      reachable: reachableByBl,
      modulePlt: (m) => this.modules.get(m)?.ftracePlts.find((p) => p.region === 'text')?.address,
      nopOps: this.nopOps,
      listOps: this.listOps,
      callDirectFuncs: this.text.callDirectFuncs,
      // The 'regs' family is the seed era's DYNAMIC_FTRACE_WITH_REGS (full pt_regs for every callback).
      withRegs: this.frame === 'regs',
      ...(opts.directSites !== undefined ? { directSites: opts.directSites } : {}),
      onPatch: (rec, from, to, kind) => this.onPatch(rec, from, to, kind),
    });
    this.addRecords(recordsFromCallSites(sites));
    const live: string[] = [];
    for (const m of opts.modules ?? []) {
      this.addModule(m, { enable: false });
      if (m.state === 'live') live.push(m.name);
    }
    if (live.length > 0) this.enableModules(live);
    if (!kernel.machine.hostCalls.has(HOSTCALL_FTRACE_STEP))
      kernel.machine.registerHostCall(HOSTCALL_FTRACE_STEP, {
        name: 'ftrace_step',
        cycles: 20,
        fn: (cpu: Cpu) => {
          this.kernel.patcher.cpu = cpu.id;
          if (this.steps.size === 0 && !(this.controlScript?.() ?? false)) {
            cpu.setX(0, 0n);
            return;
          }
          this.step();
          cpu.setX(0, 1n);
        },
      });
  }

  // ------------------------------------------------------------------ addresses and records

  /** The caller every traced site reaches (ftrace_caller or ftrace_regs_caller): FTRACE_ADDR. */
  get callerAddress(): bigint {
    return this.text.caller;
  }

  get records(): readonly DynFtrace[] {
    return this.core.records;
  }

  /** Bytes of ftrace's slab objects in use (DYNAMIC ops, hashes, direct_functions), for accounting. */
  get slabBytes(): number {
    return this.slab.liveBytes;
  }

  private staticOpsAddr(name: string): bigint {
    const addr = this.kernel.imageAlloc(FTRACE_OPS.SIZE, 'data', 64).address;
    this.kernel.kallsyms.add({ name, address: addr, size: BigInt(FTRACE_OPS.SIZE), type: 'd' });
    return addr;
  }

  private checkLayouts(sites: readonly CallSite[], who: string): void {
    if (this.dispatch !== 'callops') return;
    const bad = sites.find((s) => s.layout !== '=4,2');
    if (bad)
      throw new KernelError(
        'EINVAL',
        `ftrace: ${who}: ${bad.func.name} has a '${bad.layout}' call site; CALL_OPS dispatch needs '=4,2' sites (use dispatch 'global')`,
      );
  }

  /** ftrace_init_nop on each record (loader time: no CPU runs the code yet), then hand them to the core. */
  private addRecords(recs: DynFtrace[]): void {
    this.core.addRecords(recs);
    // `mov x9, x30` is not a CMODX-safe change: it is written before the code can run (boot, or a module
    // that is still coming), which the I-cache model is told as it is for stop_machine.
    const ic = this.kernel.machine.icache;
    const saved = ic.quiesced;
    ic.quiesced = true;
    try {
      for (const r of recs) ftraceInitNop(this.kernel, r.site, { ops: this.nopOps.address });
    } finally {
      ic.quiesced = saved;
    }
  }

  /**
   * A module's call sites become records: DISABLED while it is 'coming' (call `enableModule` after
   * markLive), enabled at once when it is live. Its ftrace PLT is pointed at the caller.
   */
  addModule(mod: Module, opts: { enable?: boolean } = {}): void {
    if (this.modules.has(mod.name))
      throw new KernelError('EEXIST', `ftrace: module ${mod.name} already added`);
    this.checkLayouts(mod.callSites, mod.name);
    if (mod.ftracePlts.some((p) => p.target !== this.text.caller))
      retargetFtracePlt(this.kernel, mod, this.text.caller);
    this.modules.set(mod.name, mod);
    this.addRecords(recordsFromCallSites(mod.callSites, { disabled: true }));
    if (mod.state === 'live' && (opts.enable ?? true)) this.enableModule(mod.name);
  }

  /** ftrace_module_enable: the module is live; ops that cover its functions start tracing them. */
  enableModule(name: string): void {
    this.enableModules([name]);
  }

  /** ftrace_module_enable for several modules at once (one pass over the records). */
  enableModules(names: readonly string[]): void {
    for (const name of names)
      if (!this.modules.has(name)) throw new KernelError('ENOENT', `ftrace: module ${name} was not added`);
    this.transact(
      () => this.core.enableModules(names),
      () => [],
      () => [],
    );
  }

  // ------------------------------------------------------------------ ops objects

  /**
   * An ftrace_ops whose memory copy the A64 side reads: static ops in image data, DYNAMIC ops in the
   * slab. The copy is kept in sync by every API call.
   */
  newOps(o: NewOpsOptions): FtraceOps {
    const ops = new FtraceOps({
      name: o.name,
      funcName: o.funcName ?? `${o.name}_func`,
      func: o.func ?? 0n,
      flags: o.flags ?? 0,
    });
    this.ensureMem(ops);
    return ops;
  }

  private ensureMem(ops: FtraceOps): OpsMem {
    let m = this.mem.get(ops);
    if (m) return m;
    // Only an ops whose memory we allocate from the slab is ever freed.
    const fromSlab = ops.address === 0n && ops.has(OPS_FL.DYNAMIC);
    let addr = ops.address;
    if (addr === 0n) {
      addr = fromSlab ? this.slab.alloc(FTRACE_OPS.SIZE) : this.staticOpsAddr(ops.name);
      ops.address = addr;
    }
    m = {
      addr,
      dynamic: fromSlab,
      filter: { hash: ops.filterHash, addr: 0n, size: 0, version: '' },
      notrace: { hash: ops.notraceHash, addr: 0n, size: 0, version: '' },
    };
    this.mem.set(ops, m);
    this.syncHashes(ops, m);
    writeOpsImage(this.kernel, addr, this.imageOf(ops, m.filter.addr, m.notrace.addr));
    return m;
  }

  private imageOf(ops: FtraceOps, filter: bigint, notrace: bigint): OpsImage {
    return {
      func: ops.func,
      flags: ops.flags,
      filterHash: filter,
      notraceHash: notrace,
      trampoline: ops.trampoline,
      directCall: ops.directCall,
    };
  }

  /**
   * Allocate memory hashes for changed filter/notrace sets (not yet published); returns the old ones to
   * free after a grace period.
   */
  private syncHashes(ops: FtraceOps, m: OpsMem): bigint[] {
    const old: bigint[] = [];
    for (const k of ['filter', 'notrace'] as const) {
      const h = k === 'filter' ? ops.filterHash : ops.notraceHash;
      const v = hashVersion(h);
      const cur = m[k];
      if (cur.hash === h && cur.version === v && (cur.addr !== 0n || h.empty)) continue;
      if (cur.addr !== 0n) old.push(cur.addr);
      const ips = h.values();
      m[k] = { hash: h, addr: writeMemHash(this.slab, this.kernel, ips), size: ips.length, version: v };
    }
    return old;
  }

  /** The memory copy of an ops (tests, tracefs). */
  opsImage(ops: FtraceOps): (OpsImage & { next: bigint }) | undefined {
    const m = this.mem.get(ops);
    return m ? readOpsImage(this.kernel, m.addr) : undefined;
  }

  /** The ips of an ops' in-memory filter or notrace hash. */
  memHash(ops: FtraceOps, kind: 'filter' | 'notrace'): bigint[] {
    const m = this.mem.get(ops);
    return m ? readMemHash(this.kernel, m[kind].addr) : [];
  }

  /** The ops on the in-memory ftrace_ops_list, head first, by walking ops->next in emulated memory. */
  memOpsList(): bigint[] {
    const out: bigint[] = [];
    let p = this.kernel.machine.memory.read64(this.opsListHead);
    while (p !== 0n && out.length < 10_000) {
      out.push(p);
      p = this.kernel.machine.memory.read64(p + BigInt(FTRACE_OPS.NEXT));
    }
    return out;
  }

  // ------------------------------------------------------------------ the API (FtraceCore's signatures)

  /** register_ftrace_function. */
  register(ops: FtraceOps): void {
    if (!ops.has(OPS_FL.DIRECT) && ops.func === 0n)
      throw new KernelError(
        'EINVAL',
        `ftrace: ${ops.name} has no func (ops->func is NULL); give newOps a callback`,
      );
    const m = this.ensureMem(ops);
    let old: bigint[] = [];
    this.transact(
      () => this.core.register(ops),
      () => {
        old = this.syncHashes(ops, m);
        return [...this.publishOps(ops, m), this.linkStep(ops, m)];
      },
      () => this.freeHashSteps(ops, old),
    );
  }

  private freeHashSteps(ops: FtraceOps, old: readonly bigint[]): FtraceStep[] {
    return old.map((a) =>
      rcuStep(this.kernel, this.mutations, `free old hash of ${ops.name}`, () => this.slab.release(a)),
    );
  }

  /** unregister_ftrace_function; a DYNAMIC ops is freed (poisoned) after a grace period. */
  unregister(ops: FtraceOps): void {
    const m = this.mem.get(ops);
    this.transact(
      () => this.core.unregister(ops),
      () => (m ? [this.unlinkStep(ops, m)] : []),
      () => (m ? this.retireSteps(ops, m) : []),
    );
  }

  /** ftrace_set_filter / ftrace_set_notrace (set_ftrace_filter syntax; `reset` is `>` vs `>>`). */
  setFilter(ops: FtraceOps, text: string, opts: { reset: boolean; notrace?: boolean }): void {
    const m = this.ensureMem(ops);
    let old: bigint[] = [];
    this.transact(
      () => this.core.setFilter(ops, text, opts),
      () => {
        old = this.syncHashes(ops, m);
        return this.publishOps(ops, m);
      },
      () => this.freeHashSteps(ops, old),
    );
  }

  /** register_ftrace_direct(ops, addr). */
  registerDirect(ops: FtraceOps, addr: bigint): void {
    const m = this.ensureMem(ops);
    let old: bigint[] = [];
    this.transact(
      () => this.core.registerDirect(ops, addr),
      () => {
        old = this.syncHashes(ops, m);
        return [...this.publishOps(ops, m), this.linkStep(ops, m)];
      },
      () => this.freeHashSteps(ops, old),
    );
  }

  /** unregister_ftrace_direct(ops, addr, freeFilters). */
  unregisterDirect(ops: FtraceOps, addr: bigint, freeFilters = false): void {
    const m = this.mem.get(ops);
    this.transact(
      () => this.core.unregisterDirect(ops, addr, freeFilters),
      () => (m ? [this.unlinkStep(ops, m)] : []),
      () => (m ? this.retireSteps(ops, m) : []),
    );
  }

  /**
   * modify_ftrace_direct(ops, addr): a temporary STUB ops on the same functions sends every site through
   * ftrace_caller (count ≥ 2 → list ops), ops->direct_call changes with one 8-byte store, the stub leaves.
   */
  modifyDirect(ops: FtraceOps, addr: bigint): void {
    if (!ops.has(OPS_FL.DIRECT) || !ops.enabled)
      throw new KernelError('EINVAL', `ftrace: ${ops.name} is not a registered direct ops`);
    this.core.checkDirectReach(ops, addr);
    const tmp = this.tmpOps;
    tmp.filterHash = ops.filterHash.copy();
    tmp.notraceHash = ops.notraceHash.copy();
    tmp.directCall = addr;
    this.register(tmp);
    for (const ip of ops.filterHash.values())
      if (this.core.directFunctions.has(ip)) this.core.directFunctions.set(ip, addr);
    ops.directCall = addr;
    const at = this.mem.get(ops)!.addr + BigInt(FTRACE_OPS.DIRECT_CALL);
    const steps = [writeStep(this.kernel, `${ops.name}->direct_call = 0x${addr.toString(16)}`, at, addr)];
    this.publishDirect(steps);
    this.enqueue(steps);
    this.unregister(tmp);
  }

  /**
   * Compare emulated memory with the state machine (call once the queue is empty): every site's word and
   * literal, `mov x9, x30` before each BL slot, the in-memory ops list, each linked ops' fields and hashes,
   * and ('global') the `bl` at ftrace_call and function_trace_op. Returns one line per mismatch.
   */
  verify(): string[] {
    const out: string[] = [];
    const mem = this.kernel.machine.memory;
    const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
    for (const rec of this.core.records) {
      const site = this.core.site(rec.ip)!;
      const want = this.siteWord(rec, site);
      const have = mem.read32(rec.ip);
      if (have !== want) out.push(`${rec.name}: site word ${hex(have)}, state machine says ${hex(want)}`);
      if (mem.read32(rec.ip - 4n) !== MOV_X9_LR) out.push(`${rec.name}: no mov x9, x30 before the BL slot`);
      if (rec.callOpsSite) {
        const lit = mem.read64(rec.site.literal!);
        const wantLit = (site.literal ?? this.nopOps).address;
        if (lit !== wantLit) out.push(`${rec.name}: literal ${hex(lit)}, state machine says ${hex(wantLit)}`);
      }
    }
    const list = this.memOpsList();
    const wantList = this.memList.map((o) => this.mem.get(o)?.addr ?? o.address);
    if (list.join() !== wantList.join())
      out.push(
        `ftrace_ops_list in memory [${list.map(hex).join(', ')}], expected [${wantList.map(hex).join(', ')}]`,
      );
    for (const ops of this.memList) {
      const m = this.mem.get(ops);
      if (!m) continue;
      const img = readOpsImage(this.kernel, m.addr);
      if (img.func !== ops.func)
        out.push(`${ops.name}: func ${hex(img.func)} in memory, ${hex(ops.func)} in the core`);
      if (img.directCall !== ops.directCall)
        out.push(
          `${ops.name}: direct_call ${hex(img.directCall)} in memory, ${hex(ops.directCall)} in the core`,
        );
      for (const k of ['filter', 'notrace'] as const) {
        const h = (k === 'filter' ? ops.filterHash : ops.notraceHash).values();
        if (this.memHash(ops, k).join() !== h.join()) out.push(`${ops.name}: ${k} hash in memory differs`);
      }
    }
    const direct = [...this.memDirectFunctions()].map(([ip, t]) => `${hex(ip)}:${hex(t)}`).sort();
    const wantDirect = [...this.core.directFunctions].map(([ip, t]) => `${hex(ip)}:${hex(t)}`).sort();
    if (direct.join() !== wantDirect.join()) out.push(`direct_functions in memory differs from the core`);
    if (this.dispatch === 'global') {
      const a = new Asm(this.text.ftraceCall!);
      a.bl(this.callTarget);
      if (mem.read32(this.text.ftraceCall!) !== a.finish().words[0])
        out.push(`ftrace_call does not branch to ${hex(this.callTarget)}`);
      if (mem.read64(this.functionTraceOp) !== this.traceOp) out.push('function_trace_op differs');
    }
    return out;
  }

  // ------------------------------------------------------------------ steps

  /** Run `core` (which validates and may throw: nothing is queued then), collecting its site patches. */
  private transact(core: () => void, pre: () => FtraceStep[], post: () => FtraceStep[]): void {
    const before = this.globalWanted();
    this.collecting = [];
    let sites: FtraceStep[];
    try {
      core();
      sites = this.collecting;
    } finally {
      this.collecting = undefined;
    }
    const steps = [...pre()];
    const after = this.globalWanted();
    const globalChange = this.dispatch === 'global' && (after.func !== before.func || after.op !== before.op);
    if (globalChange && this.callTarget !== this.text.listFunc) {
      steps.push(this.callStep(this.text.listFunc));
      steps.push(ipiStep(this.kernel, 'every CPU sees ftrace_ops_list_func before sites change'));
    }
    for (const st of sites) steps.push(st);
    if (globalChange) {
      steps.push(
        writeStep(
          this.kernel,
          `function_trace_op = 0x${after.op.toString(16)}`,
          this.functionTraceOp,
          after.op,
        ),
      );
      steps.push(ipiStep(this.kernel, 'ftrace_sync_ipi'));
      if (after.func !== this.text.listFunc) {
        steps.push(gpStep(this.kernel, this.mutations, 'ftrace_update_ftrace_func'));
        steps.push(this.callStep(after.func));
      }
      this.traceOp = after.op;
    }
    for (const st of post()) steps.push(st);
    this.publishDirect(steps);
    this.enqueue(steps);
  }

  /**
   * If direct_functions changed: a new in-memory copy, published before the site updates when entries were
   * added (the sites may need them) or after them when entries only went away; the old copy freed after a
   * grace period.
   */
  private publishDirect(steps: FtraceStep[]): void {
    const entries = [...this.core.directFunctions].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const version = entries.map(([ip, t]) => `${ip}:${t}`).join(',');
    const prev = this.directPublished;
    if (version === prev.version) return;
    const grew = entries.some(([ip]) => !prev.ips.has(ip));
    let addr = 0n;
    if (entries.length > 0) {
      addr = this.slab.alloc(MEM_DIRECT_HASH.ENTRIES + MEM_DIRECT_HASH.ENTRY_SIZE * entries.length);
      const mem = this.kernel.machine.memory;
      mem.write64(addr + BigInt(MEM_DIRECT_HASH.COUNT), BigInt(entries.length));
      entries.forEach(([ip, t], i) => {
        const e = addr + BigInt(MEM_DIRECT_HASH.ENTRIES + MEM_DIRECT_HASH.ENTRY_SIZE * i);
        mem.write64(e, ip);
        mem.write64(e + 8n, t);
      });
    }
    this.directPublished = { addr, version, ips: new Set(entries.map(([ip]) => ip)) };
    const publish = writeStep(this.kernel, 'publish direct_functions', this.directFunctionsPtr, addr);
    if (grew) steps.unshift(publish);
    else steps.push(publish);
    if (prev.addr !== 0n) {
      const old = prev.addr;
      steps.push(
        rcuStep(this.kernel, this.mutations, 'free old direct_functions', () => this.slab.release(old)),
      );
    }
  }

  /** The published direct_functions hash, read back from emulated memory (ip → trampoline). */
  memDirectFunctions(): Map<bigint, bigint> {
    const mem = this.kernel.machine.memory;
    const out = new Map<bigint, bigint>();
    const addr = mem.read64(this.directFunctionsPtr);
    if (addr === 0n) return out;
    const n = Number(mem.read64(addr + BigInt(MEM_DIRECT_HASH.COUNT)));
    for (let i = 0; i < n; i++) {
      const e = addr + BigInt(MEM_DIRECT_HASH.ENTRIES + MEM_DIRECT_HASH.ENTRY_SIZE * i);
      out.set(mem.read64(e), mem.read64(e + 8n));
    }
    return out;
  }

  /** update_ftrace_function (§4.5): stub, the single op's func, or the list function. */
  private globalWanted(): { func: bigint; op: bigint } {
    const ops = this.core.opsList.filter((o) => o.enabled);
    if (ops.length === 0) return { func: this.text.stub, op: this.listOps.address };
    if (ops.length === 1) {
      const o = ops[0]!;
      const forceList =
        o.has(OPS_FL.DYNAMIC) || o.has(OPS_FL.RCU) || o.has(OPS_FL.RECURSION) || o.has(OPS_FL.STUB);
      if (!forceList) return { func: o.func, op: o.address };
    }
    return { func: this.text.listFunc, op: this.listOps.address };
  }

  private onPatch(rec: DynFtrace, from: SiteState, to: SiteState, kind: UpdateKind): void {
    const steps: FtraceStep[] = [];
    if (rec.callOpsSite) {
      const lit = to.literal ?? this.nopOps;
      const addr = rec.site.literal!;
      // The value now: a DYNAMIC ops unregistered later gives up its address before this step may run.
      const value = lit.address;
      steps.push({
        what: `${rec.name}: literal = ${lit.name}`,
        run: () => {
          this.kernel.patcher.writeLiteral64(addr, value);
          return true;
        },
      });
    }
    const oldWord = this.siteWord(rec, from);
    const newWord = this.siteWord(rec, to);
    if (oldWord !== newWord) {
      const text: FtraceStep = {
        what: `${rec.name}: ${kind} ${to.insn === 'bl' ? `bl 0x${to.target.toString(16)} (${to.via})` : 'nop'}`,
        run: () => {
          this.patchText(rec.ip, oldWord, newWord);
          this.sitesPatched++;
          return true;
        },
      };
      if (this.mutations.blBeforeLiteral) steps.unshift(text);
      else steps.push(text);
    }
    if (rec.callOpsSite && to.insn === 'bl') {
      // After each write: once the final BL is in memory, the literal must already be the final ops.
      const lit = to.literal!;
      const litValue = lit.address;
      const mem = this.kernel.machine.memory;
      steps.forEach((st, i) => {
        steps[i] = {
          what: st.what,
          run: () => {
            const done = st.run();
            if (mem.read32(rec.ip) === newWord && mem.read64(rec.site.literal!) !== litValue)
              this.reports.push(
                `${rec.name}: BL to 0x${to.target.toString(16)} is live while the literal is not yet ${lit.name}`,
              );
            return done;
          },
        };
      });
    }
    if (this.collecting) this.collecting.push(...steps);
    else this.enqueue(steps);
  }

  /** The instruction word a site state means at the record's BL slot. */
  siteWord(rec: DynFtrace, s: SiteState): number {
    if (s.insn === 'nop') return NOP;
    const a = new Asm(rec.ip);
    a.bl(s.target);
    return a.finish().words[0]!;
  }

  private patchText(addr: bigint, oldWord: number, newWord: number): void {
    const p = this.kernel.patcher;
    const saved = p.skipMaintenance;
    p.skipMaintenance = saved || (this.mutations.skipMaintenance ?? false);
    try {
      p.patchText(addr, oldWord, newWord);
    } finally {
      p.skipMaintenance = saved;
    }
  }

  private callStep(target: bigint): FtraceStep {
    const at = this.text.ftraceCall!;
    const word = (t: bigint): number => {
      const a = new Asm(at);
      a.bl(t);
      return a.finish().words[0]!;
    };
    const from = this.callTarget;
    this.callTarget = target;
    return {
      what: `ftrace_call: bl 0x${target.toString(16)}`,
      run: () => {
        this.patchText(at, word(from), word(target));
        return true;
      },
    };
  }

  /** Write the ops' memory image (fields captured now) and publish changed hash pointers. */
  private publishOps(ops: FtraceOps, m: OpsMem): FtraceStep[] {
    const img = this.imageOf(ops, m.filter.addr, m.notrace.addr);
    return [
      {
        what: `${ops.name}: write ops`,
        run: () => {
          writeOpsImage(this.kernel, m.addr, img);
          return true;
        },
      },
    ];
  }

  /** add_ftrace_ops: ops->next = head; head = ops (the second store publishes it). */
  private linkStep(ops: FtraceOps, m: OpsMem): FtraceStep {
    this.memList.unshift(ops);
    return {
      what: `${ops.name}: link into ftrace_ops_list`,
      run: () => {
        const mem = this.kernel.machine.memory;
        mem.write64(m.addr + BigInt(FTRACE_OPS.NEXT), mem.read64(this.opsListHead));
        mem.write64(this.opsListHead, m.addr);
        return true;
      },
    };
  }

  /** remove_ftrace_ops: the predecessor's next skips it; its own next stays valid for walkers. */
  private unlinkStep(ops: FtraceOps, m: OpsMem): FtraceStep {
    const i = this.memList.indexOf(ops);
    if (i < 0) return { what: `${ops.name}: not linked`, run: () => true };
    this.memList.splice(i, 1);
    return {
      what: `${ops.name}: unlink from ftrace_ops_list`,
      run: () => {
        const mem = this.kernel.machine.memory;
        const next = mem.read64(m.addr + BigInt(FTRACE_OPS.NEXT));
        let at = this.opsListHead;
        for (let p = mem.read64(at); p !== 0n; p = mem.read64(p + BigInt(FTRACE_OPS.NEXT))) {
          if (p === m.addr) {
            mem.write64(at, next);
            return true;
          }
          at = p + BigInt(FTRACE_OPS.NEXT);
        }
        throw new Error(`ftrace: ${ops.name} is not on the in-memory ops list`);
      },
    };
  }

  /**
   * After an ops left: a DYNAMIC ops (and its hashes) is freed after a grace period; a static one gets its
   * cleared fields written once no CPU can be using the old ones.
   */
  private retireSteps(ops: FtraceOps, m: OpsMem): FtraceStep[] {
    if (m.dynamic) {
      this.mem.delete(ops);
      ops.address = 0n;
      const frees = [m.addr, m.filter.addr, m.notrace.addr].filter((a) => a !== 0n);
      return [
        rcuStep(this.kernel, this.mutations, `free ${ops.name}`, () =>
          frees.forEach((a) => this.slab.release(a)),
        ),
      ];
    }
    const old = this.syncHashes(ops, m);
    const img = this.imageOf(ops, m.filter.addr, m.notrace.addr);
    return [
      gpStep(this.kernel, this.mutations, `retire ${ops.name}`),
      {
        what: `${ops.name}: write ops`,
        run: () => {
          writeOpsImage(this.kernel, m.addr, img);
          return true;
        },
      },
      ...this.freeHashSteps(ops, old),
    ];
  }

  private enqueue(steps: readonly FtraceStep[]): void {
    this.steps.push(steps);
    if (this.mode === 'sync') this.steps.drain();
  }

  /**
   * Run `fn` once every step queued so far is applied: at once when nothing is pending, else as a last step
   * (e.g. retiring a trampoline image only after its call sites stopped calling it).
   */
  whenApplied(what: string, fn: () => void): void {
    if (this.pending.length === 0) fn();
    else
      this.enqueue([
        {
          what,
          run: () => {
            fn();
            return true;
          },
        },
      ]);
  }

  /** Steps not applied yet. */
  get pending(): readonly FtraceStep[] {
    return this.steps.pending;
  }

  /** Steps applied so far. */
  get stepsApplied(): number {
    return this.steps.applied;
  }

  /** Apply one step (or retry a waiting one). Returns whether steps remain. */
  step(): boolean {
    return this.steps.step();
  }

  /** Apply steps until the queue is empty or a grace period cannot complete yet; returns whether steps remain. */
  drain(): boolean {
    return this.steps.drain();
  }
}

/** Build ftrace into `kernel` (see FtraceKernel). */
export function attachFtrace(kernel: Kernel, opts: AttachFtraceOptions): FtraceKernel {
  return new FtraceKernel(kernel, opts);
}
