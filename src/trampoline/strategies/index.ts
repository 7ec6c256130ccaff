/**
 * The attach strategies (SPEC.md "The strategies"): the registry by name (registry.ts), the kernel factory
 * (kernel.ts), the direct-call target shared by patchsite, tailcall and callops (target.ts), and each
 * strategy's definition.
 */
export * from './types.js';
export * from './registry.js';
export * from './target.js';
export * from './kernel.js';
export { callopsStrategy } from './callops.js';
export { opsStrategy } from './ops.js';
export { patchsiteStrategy } from './patchsite.js';
export { tailcallStrategy } from './tailcall.js';
