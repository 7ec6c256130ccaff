/**
 * tramp64's public API. The CLI and the web app import only this file.
 *
 *   import { A64, Machine, Kernel, Bpf } from 'tramp64';
 */
export * as A64 from './a64/index.js';
export { Builder, Label, X, W, XZR, WZR, SP, FP, LR } from './a64/builder.js';
export { Asm } from './a64/asm.js';
export { Machine, MachineFault, type MachineOptions, type CmodxReport } from './machine/index.js';
export * as Elf from './elf/index.js';
export { objdump } from './elf/disasm.js';
export * as KernelLib from './kernel/index.js';
export { Kernel } from './kernel/index.js';
export * as Bpf from './bpf/index.js';
export * as Ftrace from './ftrace/index.js';
export * as Scenario from './scenario/index.js';
export * as Trampoline from './trampoline/index.js';
export * as Strategies from './trampoline/strategies/index.js';
export { Tramp64Error, KernelError } from './util/errors.js';
