import type { Fields } from '../../a64/types.js';
import type { Exec } from '../cpu.js';

/** Compiles one decoded instruction (its table row's fields) into a handler. */
export type Compile = (f: Fields, word: number) => Exec;
export type HandlerTable = Readonly<Record<string, Compile>>;
