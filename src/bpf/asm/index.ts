/** eBPF text: bpf_conformance-syntax assembler and disassembler, kernel-log printer, .data file parser. */
export { assemble, type AssembleOptions } from './assemble.js';
export { disassemble, formatInsn, targetOf, type DisassembleOptions } from './disassemble.js';
export { printKernelInsn, printKernelLog, type KernelPrintOptions } from './print-kernel.js';
export { parseDataFile, type DataFile } from './datafile.js';
export { BpfAsmError, SHAPE_SYNTAX, type OperandKind } from './syntax.js';
