/**
 * The ftrace core's call-site state machine (facts: shared/facts/ftrace-arm64.md §3, §4.2–4.4, §5):
 * reference counting (`hashRecUpdate`, as __ftrace_hash_rec_update), the per-record decision
 * (`ftraceCheckRecord`, as ftrace_check_record with update = true), and what the site must become
 * (`siteFor`: NOP, or BL to ftrace_caller / the direct trampoline / the module's ftrace PLT, plus the
 * CALL_OPS literal). `checkRecord` combines the last two as a pure function of explicit inputs.
 * `FtraceCore` owns the records and ops list and runs register / unregister / set-filter / direct calls.
 * Patching the emulated text is a hook (`onPatch`), applied by the caller through the kernel's patcher.
 */
import { KernelError } from '../util/errors.js';
import { applyFilterText, type FtraceHash } from './hash.js';
import { FtraceOps, OPS_FL, makeListOps, makeNopOps } from './ops.js';
import { FL, NOCLEAR_FLAGS, recCount, setBits, type DynFtrace } from './records.js';

export type UpdateKind = 'ignore' | 'make_call' | 'modify_call' | 'make_nop';

/**
 * ftrace_check_record(rec, enable, update = true) on a flags word: the update to perform and the record's
 * flags afterwards. Pure.
 */
export function ftraceCheckRecord(flags: number, enable: boolean): { kind: UpdateKind; flags: number } {
  const count = recCount(flags);
  const on = (b: number): boolean => (flags & b) !== 0;
  let want = 0;
  if (enable && count > 0) want = FL.ENABLED;
  if (want) {
    if (on(FL.REGS) !== on(FL.REGS_EN)) want |= FL.REGS;
    if (on(FL.TRAMP) !== on(FL.TRAMP_EN)) want |= FL.TRAMP;
    if (count === 1) {
      if (on(FL.DIRECT) !== on(FL.DIRECT_EN)) want |= FL.DIRECT;
      if (on(FL.CALL_OPS) !== on(FL.CALL_OPS_EN)) want |= FL.CALL_OPS;
    } else {
      if (on(FL.DIRECT_EN)) want |= FL.DIRECT;
      if (on(FL.CALL_OPS_EN)) want |= FL.CALL_OPS;
    }
    want >>>= 0;
  }
  if ((flags & FL.ENABLED) >>> 0 === want) return { kind: 'ignore', flags };
  if (want) {
    const wasEnabled = on(FL.ENABLED);
    let f = (flags | FL.ENABLED | FL.TOUCHED) >>> 0;
    if (want & FL.REGS) f = setBits(f, FL.REGS_EN, on(FL.REGS));
    if (want & FL.TRAMP) f = setBits(f, FL.TRAMP_EN, on(FL.TRAMP));
    if (on(FL.DIRECT) || on(FL.IPMODIFY)) f = setBits(f, FL.MODIFIED, true);
    if (want & FL.DIRECT) f = setBits(f, FL.DIRECT_EN, count === 1 && on(FL.DIRECT));
    if (want & FL.CALL_OPS) f = setBits(f, FL.CALL_OPS_EN, count === 1 && on(FL.CALL_OPS));
    return { kind: wasEnabled ? 'modify_call' : 'make_call', flags: f };
  }
  const f =
    count === 0
      ? (flags & NOCLEAR_FLAGS) >>> 0
      : setBits(flags, FL.ENABLED | FL.TRAMP_EN | FL.REGS_EN | FL.DIRECT_EN | FL.CALL_OPS_EN, false);
  return { kind: 'make_nop', flags: f };
}

/** What a patch site holds. `literal` is the CALL_OPS ops pointer ('=4,2' sites only). */
export type SiteState =
  | { readonly insn: 'nop'; readonly literal?: FtraceOps }
  | {
      readonly insn: 'bl';
      readonly target: bigint;
      readonly via: 'ftrace_caller' | 'direct' | 'tramp' | 'plt';
      readonly literal?: FtraceOps;
    };

/**
 * How a direct trampoline is reached from a site whose only ops is the direct one (the attach strategies of
 * the seed thread, SPEC.md):
 *   'bl-or-caller'  upstream (v6.4+): `bl <tramp>` when in BL range, else `bl ftrace_caller` (default);
 *   'bl-or-refuse'  Xu Kuohai's v5 (x86's shape): `bl <tramp>`; a trampoline out of BL range of a site is
 *                   refused with ENOTSUPP when it is registered or modified — there is no fallback;
 *   'caller'        Florent Revest's tail call: never a direct BL; the site calls ftrace_caller, the ops sets
 *                   the frame's direct field and ftrace_caller tail-calls the trampoline at its end.
 */
export type DirectSitePolicy = 'bl-or-caller' | 'bl-or-refuse' | 'caller';

export interface SiteEnv {
  /** Address of ftrace_caller (FTRACE_ADDR == FTRACE_REGS_ADDR on arm64). */
  readonly ftraceCaller: bigint;
  /** A BL at `from` reaches `to` (±128 MiB). */
  readonly reachable: (from: bigint, to: bigint) => boolean;
  /** The enabled ops whose hashes cover the record, in ftrace_ops_list order. */
  readonly ops: readonly FtraceOps[];
  /** direct_functions entry for the record's ip, if any. */
  readonly direct?: bigint;
  /** The module's ftrace PLT (branching to ftrace_caller), for module records. */
  readonly modulePlt?: bigint;
  readonly nopOps: FtraceOps;
  readonly listOps: FtraceOps;
  /** Default 'bl-or-caller'. */
  readonly directSites?: DirectSitePolicy;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/**
 * What the site must become for the record flags `flags` (after the update): ftrace_get_addr_new, then
 * arm64's ftrace_find_callable_addr, then arm64_rec_get_ops for the literal. Pure.
 */
export function siteFor(rec: DynFtrace, flags: number, env: SiteEnv): SiteState {
  const callOps = rec.callOpsSite;
  if ((flags & FL.ENABLED) === 0) return callOps ? { insn: 'nop', literal: env.nopOps } : { insn: 'nop' };
  const count = recCount(flags);
  let target = env.ftraceCaller;
  let via: 'ftrace_caller' | 'direct' | 'tramp' | 'plt' = 'ftrace_caller';
  if (flags & FL.DIRECT_EN && count === 1 && env.direct !== undefined && env.directSites !== 'caller') {
    target = env.direct;
    via = 'direct';
  } else if (flags & FL.TRAMP_EN) {
    const t = env.ops.find((o) => o.trampoline !== 0n);
    if (t && t.trampoline !== env.ftraceCaller) {
      target = t.trampoline;
      via = 'tramp';
    }
  }
  if (target !== env.ftraceCaller && !env.reachable(rec.ip, target)) {
    target = env.ftraceCaller;
    via = 'ftrace_caller';
  }
  if (!env.reachable(rec.ip, target)) {
    if (env.modulePlt === undefined)
      throw new KernelError(
        'EINVAL',
        `ftrace: no module PLT for ${rec.name} (${hex(rec.ip)} cannot reach ftrace_caller at ${hex(env.ftraceCaller)})`,
      );
    target = env.modulePlt;
    via = 'plt';
  }
  if (!callOps) return { insn: 'bl', target, via };
  let literal = env.listOps;
  if (flags & FL.CALL_OPS_EN) {
    if (env.ops.length !== 1)
      throw new KernelError(
        'EINVAL',
        `ftrace: CALL_OPS_EN on ${rec.name} but ${env.ops.length} ops cover it`,
      );
    literal = env.ops[0]!;
  }
  return { insn: 'bl', target, via, literal };
}

/** ftrace_check_record + the site it implies, from explicit inputs. Pure. */
export function checkRecord(
  rec: DynFtrace,
  env: SiteEnv,
  enable = true,
): { kind: UpdateKind; flags: number; site: SiteState } {
  const r = ftraceCheckRecord(rec.flags, enable);
  return { ...r, site: siteFor(rec, r.flags, env) };
}

export interface FtraceCoreOptions {
  readonly records: readonly DynFtrace[];
  readonly ftraceCaller: bigint;
  readonly reachable: (from: bigint, to: bigint) => boolean;
  /** The ftrace PLT of a module, if it has one. */
  readonly modulePlt?: (module: string) => bigint | undefined;
  readonly nopOps?: FtraceOps;
  readonly listOps?: FtraceOps;
  /** Address of call_direct_funcs (ops->func of direct ops). */
  readonly callDirectFuncs?: bigint;
  /**
   * DYNAMIC_FTRACE_WITH_REGS (arm64 up to v6.1, x86): SAVE_REGS ops are accepted and direct ops carry
   * SAVE_REGS (MULTI_FLAGS). Off (v6.2+ arm64, WITH_ARGS only): SAVE_REGS without SAVE_REGS_IF_SUPPORTED is
   * EINVAL.
   */
  readonly withRegs?: boolean;
  /** How direct trampolines are reached (default 'bl-or-caller'). */
  readonly directSites?: DirectSitePolicy;
  /** Called for each site that changes, after the record's flags are updated, before the next site. */
  readonly onPatch?: (rec: DynFtrace, from: SiteState, to: SiteState, kind: UpdateKind) => void;
}

export class FtraceCore {
  readonly records: readonly DynFtrace[];
  readonly nopOps: FtraceOps;
  readonly listOps: FtraceOps;
  /** ftrace_ops_list, in registration order (newest last). */
  readonly opsList: FtraceOps[] = [];
  /** direct_functions: ip → direct trampoline. */
  readonly directFunctions = new Map<bigint, bigint>();
  private readonly sites = new Map<bigint, SiteState>();
  private readonly byIp = new Map<bigint, DynFtrace>();

  constructor(private readonly opts: FtraceCoreOptions) {
    this.records = [...opts.records];
    this.nopOps = opts.nopOps ?? makeNopOps();
    this.listOps = opts.listOps ?? makeListOps();
    for (const r of this.records) {
      this.byIp.set(r.ip, r);
      this.sites.set(r.ip, r.callOpsSite ? { insn: 'nop', literal: this.nopOps } : { insn: 'nop' });
    }
  }

  /**
   * Add records (a module's, while it is coming: pass them DISABLED, then `enableModule`). A record whose ip
   * is already known is EEXIST and nothing is added.
   */
  addRecords(recs: readonly DynFtrace[]): void {
    const seen = new Set<bigint>();
    for (const r of recs) {
      if (this.byIp.has(r.ip) || seen.has(r.ip))
        throw new KernelError('EEXIST', `ftrace: a record for ${r.name} at ${hex(r.ip)} already exists`);
      seen.add(r.ip);
    }
    for (const r of recs) {
      (this.records as DynFtrace[]).push(r);
      this.byIp.set(r.ip, r);
      this.sites.set(r.ip, r.callOpsSite ? { insn: 'nop', literal: this.nopOps } : { insn: 'nop' });
    }
  }

  record(ip: bigint): DynFtrace | undefined {
    return this.byIp.get(ip);
  }

  /** The current state of the site at `ip`. */
  site(ip: bigint): SiteState | undefined {
    return this.sites.get(ip);
  }

  /** Enabled ops covering `rec`, in list order. */
  opsFor(rec: DynFtrace): FtraceOps[] {
    return this.opsList.filter((o) => o.enabled && o.wantsIp(rec.ip));
  }

  env(rec: DynFtrace): SiteEnv {
    const plt = rec.module !== undefined ? this.opts.modulePlt?.(rec.module) : undefined;
    return {
      ftraceCaller: this.opts.ftraceCaller,
      reachable: this.opts.reachable,
      ops: this.opsFor(rec),
      ...(this.directFunctions.has(rec.ip) ? { direct: this.directFunctions.get(rec.ip)! } : {}),
      ...(plt !== undefined ? { modulePlt: plt } : {}),
      nopOps: this.nopOps,
      listOps: this.listOps,
      ...(this.opts.directSites !== undefined ? { directSites: this.opts.directSites } : {}),
    };
  }

  /**
   * Under 'bl-or-refuse' a direct trampoline must be in BL range of every site it is for (ENOTSUPP otherwise,
   * before anything changes); the other policies reach any address.
   */
  checkDirectReach(ops: FtraceOps, addr: bigint): void {
    if (this.opts.directSites !== 'bl-or-refuse') return;
    for (const ip of ops.filterHash.values()) {
      if (this.opts.reachable(ip, addr)) continue;
      const d = addr - ip;
      throw new KernelError(
        'ENOTSUPP',
        `ftrace: direct trampoline ${hex(addr)} is ${d < 0n ? '-' : '+'}${hex(d < 0n ? -d : d)} from the call site of ${this.byIp.get(ip)?.name ?? hex(ip)} at ${hex(ip)}, out of BL range [-128 MiB, +128 MiB); this strategy has no fallback through ftrace_caller (allocate the trampoline near the kernel, or use a strategy that calls it through ftrace_caller)`,
      );
    }
  }

  private skip(rec: DynFtrace): boolean {
    return rec.has(FL.DISABLED) && !rec.has(FL.ENABLED);
  }

  private recInc(rec: DynFtrace, ops: FtraceOps): void {
    let f = rec.flags + 1;
    if (ops.has(OPS_FL.DIRECT)) f = setBits(f, FL.DIRECT, true);
    f = setBits(f, FL.TRAMP, recCount(f) === 1 && ops.trampoline !== 0n);
    if (ops.has(OPS_FL.SAVE_REGS)) f = setBits(f, FL.REGS, true);
    rec.flags = this.callOpsBit(rec, f, ops);
  }

  private recDec(rec: DynFtrace, ops: FtraceOps): void {
    if (rec.count === 0) throw new Error(`ftrace: ref count underflow on ${rec.name}`);
    let f = rec.flags - 1;
    if (ops.has(OPS_FL.DIRECT)) f = setBits(f, FL.DIRECT, false);
    const others = this.opsFor(rec).filter((o) => o !== ops);
    if (recCount(f) > 0 && f & FL.REGS && ops.has(OPS_FL.SAVE_REGS))
      f = setBits(
        f,
        FL.REGS,
        others.some((o) => o.has(OPS_FL.SAVE_REGS)),
      );
    f = setBits(f, FL.TRAMP, recCount(f) === 1 && others.some((o) => o.trampoline !== 0n));
    rec.flags = this.callOpsBit(rec, f, ops);
  }

  /** CALL_OPS iff count == 1 and the ops being added/removed is called without the assist wrapper. */
  private callOpsBit(rec: DynFtrace, f: number, ops: FtraceOps): number {
    return setBits(f, FL.CALL_OPS, rec.callOpsSite && recCount(f) === 1 && !ops.needsAssist);
  }

  /**
   * __ftrace_hash_rec_update(ops, inc): adjust the count and request bits of every record `ops` covers.
   * Only for ENABLED ops. Returns whether any record now needs patching.
   */
  hashRecUpdate(ops: FtraceOps, inc: boolean): boolean {
    if (!ops.enabled) return false;
    let update = false;
    for (const rec of this.records) {
      if (this.skip(rec) || !ops.wantsIp(rec.ip)) continue;
      if (inc) this.recInc(rec, ops);
      else this.recDec(rec, ops);
      if (ftraceCheckRecord(rec.flags, true).kind !== 'ignore') update = true;
    }
    return update;
  }

  /** ftrace_replace_code: bring every site in line with its record. */
  replaceCode(enable = true): void {
    for (const rec of this.records) {
      if (this.skip(rec)) continue;
      const env = this.env(rec);
      const r = ftraceCheckRecord(rec.flags, enable);
      if (r.kind === 'ignore') continue;
      const to = siteFor(rec, r.flags, env);
      rec.flags = r.flags;
      const from = this.sites.get(rec.ip)!;
      this.sites.set(rec.ip, to);
      this.opts.onPatch?.(rec, from, to, r.kind);
    }
  }

  private checkIpmodify(ops: FtraceOps, hash?: { filter: FtraceHash; notrace: FtraceHash }): void {
    const wants = (ip: bigint): boolean =>
      hash ? !hash.notrace.has(ip) && (hash.filter.empty || hash.filter.has(ip)) : ops.wantsIp(ip);
    const mine = ops.has(OPS_FL.IPMODIFY);
    const direct = ops.has(OPS_FL.DIRECT);
    if (!mine && !direct) return;
    for (const rec of this.records) {
      if (this.skip(rec) || !wants(rec.ip)) continue;
      if (ops.enabled && ops.wantsIp(rec.ip)) continue;
      const others = this.opsFor(rec).filter((o) => o !== ops);
      if (mine && others.some((o) => o.has(OPS_FL.IPMODIFY) || o.has(OPS_FL.DIRECT)))
        throw new KernelError(
          'EBUSY',
          `ftrace: ${ops.name}: ${rec.name} already has an IPMODIFY or direct ops`,
        );
      if (direct && others.some((o) => o.has(OPS_FL.IPMODIFY)))
        throw new KernelError('EBUSY', `ftrace: ${ops.name}: ${rec.name} already has an IPMODIFY ops`);
    }
  }

  private syncIpmodify(): void {
    for (const rec of this.records)
      rec.flags = setBits(
        rec.flags,
        FL.IPMODIFY,
        this.opsFor(rec).some((o) => o.has(OPS_FL.IPMODIFY)),
      );
  }

  /** register_ftrace_function (ftrace_startup). */
  register(ops: FtraceOps): void {
    if (ops.enabled) throw new KernelError('EBUSY', `ftrace: ${ops.name} is already registered`);
    if (this.opsList.includes(ops))
      throw new KernelError('EBUSY', `ftrace: ${ops.name} is already on the ops list`);
    if (ops.has(OPS_FL.SAVE_REGS) && !ops.has(OPS_FL.SAVE_REGS_IF_SUPPORTED) && !this.opts.withRegs)
      throw new KernelError(
        'EINVAL',
        `ftrace: ${ops.name} asks for SAVE_REGS, which arm64 (no DYNAMIC_FTRACE_WITH_REGS) cannot give; use SAVE_REGS_IF_SUPPORTED`,
      );
    this.checkIpmodify(ops);
    if (ops.has(OPS_FL.SAVE_REGS_IF_SUPPORTED)) ops.flags |= OPS_FL.SAVE_REGS;
    ops.flags |= OPS_FL.ENABLED | OPS_FL.INITIALIZED;
    this.opsList.push(ops);
    this.syncIpmodify();
    this.hashRecUpdate(ops, true);
    this.replaceCode();
  }

  /** unregister_ftrace_function (ftrace_shutdown). The grace period before freeing is the caller's. */
  unregister(ops: FtraceOps): void {
    if (!ops.enabled) throw new KernelError('EBUSY', `ftrace: ${ops.name} is not registered`);
    this.hashRecUpdate(ops, false);
    ops.flags &= ~OPS_FL.ENABLED;
    this.opsList.splice(this.opsList.indexOf(ops), 1);
    this.syncIpmodify();
    this.replaceCode();
  }

  /**
   * ftrace_set_filter / ftrace_set_notrace with set_ftrace_filter syntax; `reset` is `>` vs `>>`. On an
   * enabled ops the records are moved from the old hash to the new one and the sites updated. Errors
   * leave everything unchanged. Model restriction: the filter of a registered direct ops cannot change
   * (EBUSY); unregister, change it, register again.
   */
  setFilter(ops: FtraceOps, text: string, opts: { reset: boolean; notrace?: boolean }): void {
    const notrace = opts.notrace ?? false;
    const file = notrace ? 'set_ftrace_notrace' : 'set_ftrace_filter';
    const next = applyFilterText(notrace ? ops.notraceHash : ops.filterHash, text, this.records, {
      reset: opts.reset,
      file,
    });
    if (ops.enabled && ops.has(OPS_FL.DIRECT))
      throw new KernelError(
        'EBUSY',
        `${file}: ${ops.name} is a registered direct ops; its functions cannot change`,
      );
    if (ops.enabled)
      this.checkIpmodify(ops, {
        filter: notrace ? ops.filterHash : next,
        notrace: notrace ? next : ops.notraceHash,
      });
    this.hashRecUpdate(ops, false);
    if (notrace) ops.notraceHash = next;
    else ops.filterHash = next;
    this.hashRecUpdate(ops, true);
    this.syncIpmodify();
    this.replaceCode();
  }

  /** register_ftrace_direct(ops, addr). */
  registerDirect(ops: FtraceOps, addr: bigint): void {
    if (ops.func !== 0n || ops.trampoline !== 0n)
      throw new KernelError('EINVAL', `ftrace: ${ops.name} already has a func or trampoline`);
    if (ops.enabled) throw new KernelError('EINVAL', `ftrace: ${ops.name} is already registered`);
    if (ops.filterHash.empty)
      throw new KernelError(
        'EINVAL',
        `ftrace: direct ops ${ops.name} has an empty filter (set its functions first)`,
      );
    for (const ip of ops.filterHash.values()) {
      if (this.directFunctions.has(ip))
        throw new KernelError(
          'EBUSY',
          `ftrace: ${this.byIp.get(ip)?.name ?? hex(ip)} already has a direct trampoline (one per function)`,
        );
    }
    this.checkDirectReach(ops, addr);
    const saved = { flags: ops.flags, func: ops.func, funcName: ops.funcName };
    const ips = ops.filterHash.values();
    for (const ip of ips) this.directFunctions.set(ip, addr);
    ops.func = this.opts.callDirectFuncs ?? 1n;
    ops.funcName = 'call_direct_funcs';
    // MULTI_FLAGS: DIRECT | SAVE_REGS with WITH_REGS, DIRECT | SAVE_ARGS (= DIRECT) without.
    ops.flags =
      OPS_FL.DIRECT |
      (this.opts.withRegs ? OPS_FL.SAVE_REGS : 0) |
      OPS_FL.INITIALIZED |
      (ops.flags & OPS_FL.DYNAMIC);
    ops.trampoline = this.opts.ftraceCaller;
    ops.directCall = addr;
    try {
      this.register(ops);
    } catch (e) {
      for (const ip of ips) this.directFunctions.delete(ip);
      Object.assign(ops, saved, { trampoline: 0n, directCall: 0n });
      throw e;
    }
  }

  /** unregister_ftrace_direct(ops, addr, freeFilters). */
  unregisterDirect(ops: FtraceOps, addr: bigint, freeFilters = false): void {
    if (!ops.has(OPS_FL.DIRECT) || !ops.enabled)
      throw new KernelError('EINVAL', `ftrace: ${ops.name} is not a registered direct ops`);
    this.unregister(ops);
    // remove_direct_functions_hash: only this ops' functions (another direct ops may use the same trampoline).
    for (const ip of ops.filterHash.values())
      if (this.directFunctions.get(ip) === addr) this.directFunctions.delete(ip);
    ops.func = 0n;
    ops.trampoline = 0n;
    ops.directCall = 0n;
    if (freeFilters) {
      ops.filterHash.clear();
      ops.notraceHash.clear();
    }
  }

  /**
   * modify_ftrace_direct(ops, addr): a temporary STUB ops on the same functions makes every site go
   * through ftrace_caller while the target changes, then leaves.
   */
  modifyDirect(ops: FtraceOps, addr: bigint): void {
    if (!ops.has(OPS_FL.DIRECT) || !ops.enabled)
      throw new KernelError('EINVAL', `ftrace: ${ops.name} is not a registered direct ops`);
    this.checkDirectReach(ops, addr);
    const tmp = new FtraceOps({ name: 'tmp_ops', funcName: 'ftrace_stub', flags: OPS_FL.STUB, func: 1n });
    tmp.filterHash = ops.filterHash;
    tmp.notraceHash = ops.notraceHash;
    tmp.directCall = addr;
    this.register(tmp);
    for (const ip of ops.filterHash.values())
      if (this.directFunctions.has(ip)) this.directFunctions.set(ip, addr);
    ops.directCall = addr;
    this.unregister(tmp);
  }

  /** ftrace_module_enable: the module's text is ready; its records become traceable. */
  enableModule(module: string): void {
    this.enableModules([module]);
  }

  /** ftrace_module_enable for several modules in one pass over the records (loading a whole corpus). */
  enableModules(modules: Iterable<string>): void {
    const names = new Set(modules);
    for (const rec of this.records) {
      if (rec.module === undefined || !names.has(rec.module) || !rec.has(FL.DISABLED)) continue;
      rec.flags = setBits(rec.flags, FL.DISABLED, false);
      for (const ops of this.opsList) if (ops.enabled && ops.wantsIp(rec.ip)) this.recInc(rec, ops);
    }
    this.syncIpmodify();
    this.replaceCode();
  }
}
