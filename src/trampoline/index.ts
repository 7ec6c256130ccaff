/**
 * BPF trampolines on arm64: the frame and flags (frame.ts), the runtime the trampoline calls
 * (__bpf_prog_enter/exit, __bpf_tramp_enter/exit, dummy_tramp, struct bpf_prog; runtime.ts), the generator
 * (generator.ts), bpf_arch_text_poke (poke.ts) and the core — links, images and their retirement, and the
 * attach interface strategies implement (core.ts).
 */
export * from './frame.js';
export * from './runtime.js';
export * from './generator.js';
export * from './poke.js';
export * from './core.js';
export * from './bpf.js';
export * from './listing.js';
