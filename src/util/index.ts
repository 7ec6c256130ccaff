export { Tramp64Error, KernelError, ERRNO_VALUES, type Errno } from './errors.js';
export { hex, hex0x } from './hex.js';
export { Rng } from './rng.js';
export { type U64, toBig, fromBig, sext, sextNum, u64, MASK64 } from './u64.js';
