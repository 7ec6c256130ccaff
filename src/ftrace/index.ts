/** ftrace core: call-site records, ops and filter hashes, the site state machine, tracefs text. */
export * from './records.js';
export * from './hash.js';
export * from './ops.js';
export * from './update.js';
export * from './tracefs/format.js';
export * from './arch/abi.js';
export * from './arch/entry.js';
export * from './memory.js';
export * from './live.js';
export * from './callbacks.js';
export * from './graph/index.js';
export * from './tracers/index.js';
export * from './tracefs/tracefs.js';
export * from './steps.js';
