/** The arm64 machine: memory, CPUs, the I-cache rule, BTI/PAC, cost model, host calls. */
export { Machine, RETURN_TRAMPOLINE, type MachineOptions } from './machine.js';
export { Cpu, SP, type Slot } from './cpu.js';
export { Memory, PERM_R, PERM_W, PERM_X, PERM_GP, PAGE_SIZE } from './memory.js';
export { MachineFault, type FaultKind } from './faults.js';
export { type CmodxReport, cmodxSafe } from './icache.js';
export { type HostCall, HVC_RETURN_TO_HOST } from './hostcall.js';
export { CYCLES, MISPREDICT_PENALTY } from './cost.js';
