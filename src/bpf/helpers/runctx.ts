/**
 * The BPF run context and `bpf_get_attach_cookie` for tracing programs.
 *
 * Whoever runs a tracing program (a BPF trampoline's invoke_bpf_prog, the `ops` strategy's callback) puts a
 * run context on its stack and makes `current->bpf_ctx` point at it for the duration, through
 * `__bpf_prog_enter` / `__bpf_prog_exit`. Both kernel run contexts a tracing program can see —
 * `struct bpf_tramp_run_ctx` (trampolines) and `struct bpf_trace_run_ctx` — start with the empty
 * `struct bpf_run_ctx` followed by the u64 `bpf_cookie`, so the cookie is at offset 0 of whatever
 * `current->bpf_ctx` points at. The kernel's `bpf_get_attach_cookie_tracing` is exactly that load:
 * `container_of(current->bpf_ctx, struct bpf_trace_run_ctx, run_ctx)->bpf_cookie`.
 *
 * The offsets live here, in the bpf layer, so the JIT's helper and the trampoline's enter/exit routines
 * (src/trampoline/runtime.ts, frame.ts) use one definition without the bpf layer importing the trampoline.
 *
 * On the JIT the helper is A64 in kernel text (below), not a host call: a real C helper would be compiled
 * code reading `current` (SP_EL0 in the model, as on arm64), so the value comes from the run context the
 * CPU's task really has. The interpreter has no `current`; its tracing runner answers with the cookie of the
 * run it describes (`TracingRun.cookie`), and the JIT's tracing runner installs a run context holding that
 * same cookie, so both engines agree.
 */
import { Asm } from '../../a64/asm.js';
import { X } from '../../a64/builder.js';

/** Offset of `bpf_ctx` (struct bpf_run_ctx *) in the model's task_struct (a model choice; kernel.ts sizes it). */
export const TASK_BPF_CTX = 0x0a00;

/** The tracing run contexts' common head: the empty struct bpf_run_ctx, then `u64 bpf_cookie`. */
export const BPF_RUN_CTX = { COOKIE: 0 } as const;

/** BPF_FUNC_get_attach_cookie. */
export const BPF_FUNC_GET_ATTACH_COOKIE = 174;

/**
 * bpf_get_attach_cookie_tracing(ctx) → current->bpf_ctx->bpf_cookie, as a leaf routine (x0 in, x0 out; the
 * ctx argument is unused, as in the kernel). `bti c`: the JIT reaches helpers with `blr` when out of BL range.
 */
export function emitGetAttachCookie(a: Asm, bti: boolean): void {
  if (bti) a.bti('c');
  a.mrs(X[0]!, 'sp_el0');
  a.ldr(X[0]!, X[0]!, TASK_BPF_CTX);
  a.ldr(X[0]!, X[0]!, BPF_RUN_CTX.COOKIE);
  a.ret();
}
