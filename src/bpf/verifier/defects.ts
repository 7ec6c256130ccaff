/**
 * Defect classes: the stable code every rejection carries, so tools and tests can tell *why* a program was
 * refused without parsing the log. The log's last line is the kernel-style reason.
 */
export const DEFECT_CLASSES = {
  uninit_read: 'read of an uninitialised register or stack slot',
  stack_oob: 'stack access outside the 512-byte frame',
  null_check: 'dereference of a pointer that may be NULL (missing null check)',
  unbounded_loop: 'loop that cannot be shown to terminate',
  helper_arg: 'helper call with an argument of the wrong type, size or map type',
  ctx_access: 'ctx access beyond the traced function’s arguments (or not an aligned 8-byte read)',
  pointer_leak: 'pointer stored into a map or returned to the kernel',
  map_oob: 'map value or reserved memory access out of bounds',
  pointer_arith: 'prohibited pointer arithmetic',
  invalid_mem: 'memory access through a scalar or a map pointer',
  readonly: 'write to read-only memory (.rodata, ctx, r10)',
  cfg: 'control flow: jump out of range or into ld_imm64, unreachable instruction, falling off the end',
  bad_insn: 'instruction or helper the verifier does not accept',
  prog_type: 'program type / attach rule (fmod_ret target not error-injectable, sleepable, unknown target)',
  ref_leak: 'ring buffer reservation not submitted or discarded on some path',
  return_value: 'return value outside the range the program type allows',
  complexity: 'too many instructions to explore (1M-instruction limit)',
  call_depth: 'bpf-to-bpf calls nested too deep or combined stack too large',
} as const;

export type DefectClass = keyof typeof DEFECT_CLASSES;
