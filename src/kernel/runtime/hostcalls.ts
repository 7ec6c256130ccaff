/**
 * Host-call numbers (`HVC #imm`) the kernel layer registers. They sit in one block (0x4b00–0x4bff, 'K') so
 * other layers can pick theirs without clashing; `Machine.registerHostCall` refuses a number taken twice.
 */

/** The trap of every kernel-image stub (runtime/stubs.ts): the host finds the symbol by the stub's address. */
export const HOSTCALL_KERNEL_STUB = 0x4b00;
/** printk(fmt, ...): formatted into the kernel log by the host. */
export const HOSTCALL_PRINTK = 0x4b01;
