/**
 * Relocation type numbers and names: AArch64 from the "ELF for the Arm 64-bit Architecture (AArch64)" ABI
 * (LP64 relocations, §5.7: static data, static AArch64, TLS and dynamic), BPF from the kernel's BPF ELF ABI
 * (Documentation/bpf/llvm_reloc). The ILP32 (R_AARCH64_P32_*) numbers do not occur in ELF64 files.
 */
import { EM_AARCH64, EM_BPF } from '../constants.js';

/** AArch64 LP64 relocations, in the ABI's table order. */
const AARCH64: readonly (readonly [number, string])[] = [
  [0, 'R_AARCH64_NONE'],
  // Static data relocations
  [257, 'R_AARCH64_ABS64'],
  [258, 'R_AARCH64_ABS32'],
  [259, 'R_AARCH64_ABS16'],
  [260, 'R_AARCH64_PREL64'],
  [261, 'R_AARCH64_PREL32'],
  [262, 'R_AARCH64_PREL16'],
  [314, 'R_AARCH64_PLT32'],
  [315, 'R_AARCH64_GOTPCREL32'],
  // Group relocations for MOVZ/MOVK/MOVN sequences
  [263, 'R_AARCH64_MOVW_UABS_G0'],
  [264, 'R_AARCH64_MOVW_UABS_G0_NC'],
  [265, 'R_AARCH64_MOVW_UABS_G1'],
  [266, 'R_AARCH64_MOVW_UABS_G1_NC'],
  [267, 'R_AARCH64_MOVW_UABS_G2'],
  [268, 'R_AARCH64_MOVW_UABS_G2_NC'],
  [269, 'R_AARCH64_MOVW_UABS_G3'],
  [270, 'R_AARCH64_MOVW_SABS_G0'],
  [271, 'R_AARCH64_MOVW_SABS_G1'],
  [272, 'R_AARCH64_MOVW_SABS_G2'],
  // PC-relative addresses and loads
  [273, 'R_AARCH64_LD_PREL_LO19'],
  [274, 'R_AARCH64_ADR_PREL_LO21'],
  [275, 'R_AARCH64_ADR_PREL_PG_HI21'],
  [276, 'R_AARCH64_ADR_PREL_PG_HI21_NC'],
  [277, 'R_AARCH64_ADD_ABS_LO12_NC'],
  [278, 'R_AARCH64_LDST8_ABS_LO12_NC'],
  // Control flow
  [279, 'R_AARCH64_TSTBR14'],
  [280, 'R_AARCH64_CONDBR19'],
  [282, 'R_AARCH64_JUMP26'],
  [283, 'R_AARCH64_CALL26'],
  [284, 'R_AARCH64_LDST16_ABS_LO12_NC'],
  [285, 'R_AARCH64_LDST32_ABS_LO12_NC'],
  [286, 'R_AARCH64_LDST64_ABS_LO12_NC'],
  [287, 'R_AARCH64_MOVW_PREL_G0'],
  [288, 'R_AARCH64_MOVW_PREL_G0_NC'],
  [289, 'R_AARCH64_MOVW_PREL_G1'],
  [290, 'R_AARCH64_MOVW_PREL_G1_NC'],
  [291, 'R_AARCH64_MOVW_PREL_G2'],
  [292, 'R_AARCH64_MOVW_PREL_G2_NC'],
  [293, 'R_AARCH64_MOVW_PREL_G3'],
  [299, 'R_AARCH64_LDST128_ABS_LO12_NC'],
  // GOT-relative
  [300, 'R_AARCH64_MOVW_GOTOFF_G0'],
  [301, 'R_AARCH64_MOVW_GOTOFF_G0_NC'],
  [302, 'R_AARCH64_MOVW_GOTOFF_G1'],
  [303, 'R_AARCH64_MOVW_GOTOFF_G1_NC'],
  [304, 'R_AARCH64_MOVW_GOTOFF_G2'],
  [305, 'R_AARCH64_MOVW_GOTOFF_G2_NC'],
  [306, 'R_AARCH64_MOVW_GOTOFF_G3'],
  [307, 'R_AARCH64_GOTREL64'],
  [308, 'R_AARCH64_GOTREL32'],
  [309, 'R_AARCH64_GOT_LD_PREL19'],
  [310, 'R_AARCH64_LD64_GOTOFF_LO15'],
  [311, 'R_AARCH64_ADR_GOT_PAGE'],
  [312, 'R_AARCH64_LD64_GOT_LO12_NC'],
  [313, 'R_AARCH64_LD64_GOTPAGE_LO15'],
  // Thread-local storage: general dynamic, local dynamic, initial exec, local exec, descriptors
  [512, 'R_AARCH64_TLSGD_ADR_PREL21'],
  [513, 'R_AARCH64_TLSGD_ADR_PAGE21'],
  [514, 'R_AARCH64_TLSGD_ADD_LO12_NC'],
  [515, 'R_AARCH64_TLSGD_MOVW_G1'],
  [516, 'R_AARCH64_TLSGD_MOVW_G0_NC'],
  [517, 'R_AARCH64_TLSLD_ADR_PREL21'],
  [518, 'R_AARCH64_TLSLD_ADR_PAGE21'],
  [519, 'R_AARCH64_TLSLD_ADD_LO12_NC'],
  [520, 'R_AARCH64_TLSLD_MOVW_G1'],
  [521, 'R_AARCH64_TLSLD_MOVW_G0_NC'],
  [522, 'R_AARCH64_TLSLD_LD_PREL19'],
  [523, 'R_AARCH64_TLSLD_MOVW_DTPREL_G2'],
  [524, 'R_AARCH64_TLSLD_MOVW_DTPREL_G1'],
  [525, 'R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC'],
  [526, 'R_AARCH64_TLSLD_MOVW_DTPREL_G0'],
  [527, 'R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC'],
  [528, 'R_AARCH64_TLSLD_ADD_DTPREL_HI12'],
  [529, 'R_AARCH64_TLSLD_ADD_DTPREL_LO12'],
  [530, 'R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC'],
  [531, 'R_AARCH64_TLSLD_LDST8_DTPREL_LO12'],
  [532, 'R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC'],
  [533, 'R_AARCH64_TLSLD_LDST16_DTPREL_LO12'],
  [534, 'R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC'],
  [535, 'R_AARCH64_TLSLD_LDST32_DTPREL_LO12'],
  [536, 'R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC'],
  [537, 'R_AARCH64_TLSLD_LDST64_DTPREL_LO12'],
  [538, 'R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC'],
  [539, 'R_AARCH64_TLSIE_MOVW_GOTTPREL_G1'],
  [540, 'R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC'],
  [541, 'R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21'],
  [542, 'R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC'],
  [543, 'R_AARCH64_TLSIE_LD_GOTTPREL_PREL19'],
  [544, 'R_AARCH64_TLSLE_MOVW_TPREL_G2'],
  [545, 'R_AARCH64_TLSLE_MOVW_TPREL_G1'],
  [546, 'R_AARCH64_TLSLE_MOVW_TPREL_G1_NC'],
  [547, 'R_AARCH64_TLSLE_MOVW_TPREL_G0'],
  [548, 'R_AARCH64_TLSLE_MOVW_TPREL_G0_NC'],
  [549, 'R_AARCH64_TLSLE_ADD_TPREL_HI12'],
  [550, 'R_AARCH64_TLSLE_ADD_TPREL_LO12'],
  [551, 'R_AARCH64_TLSLE_ADD_TPREL_LO12_NC'],
  [552, 'R_AARCH64_TLSLE_LDST8_TPREL_LO12'],
  [553, 'R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC'],
  [554, 'R_AARCH64_TLSLE_LDST16_TPREL_LO12'],
  [555, 'R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC'],
  [556, 'R_AARCH64_TLSLE_LDST32_TPREL_LO12'],
  [557, 'R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC'],
  [558, 'R_AARCH64_TLSLE_LDST64_TPREL_LO12'],
  [559, 'R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC'],
  [560, 'R_AARCH64_TLSDESC_LD_PREL19'],
  [561, 'R_AARCH64_TLSDESC_ADR_PREL21'],
  [562, 'R_AARCH64_TLSDESC_ADR_PAGE21'],
  [563, 'R_AARCH64_TLSDESC_LD64_LO12'],
  [564, 'R_AARCH64_TLSDESC_ADD_LO12'],
  [565, 'R_AARCH64_TLSDESC_OFF_G1'],
  [566, 'R_AARCH64_TLSDESC_OFF_G0_NC'],
  [567, 'R_AARCH64_TLSDESC_LDR'],
  [568, 'R_AARCH64_TLSDESC_ADD'],
  [569, 'R_AARCH64_TLSDESC_CALL'],
  [570, 'R_AARCH64_TLSLE_LDST128_TPREL_LO12'],
  [571, 'R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC'],
  [572, 'R_AARCH64_TLSLD_LDST128_DTPREL_LO12'],
  [573, 'R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC'],
  // Dynamic relocations (executables and shared objects)
  [1024, 'R_AARCH64_COPY'],
  [1025, 'R_AARCH64_GLOB_DAT'],
  [1026, 'R_AARCH64_JUMP_SLOT'],
  [1027, 'R_AARCH64_RELATIVE'],
  [1028, 'R_AARCH64_TLS_DTPMOD'],
  [1029, 'R_AARCH64_TLS_DTPREL'],
  [1030, 'R_AARCH64_TLS_TPREL'],
  [1031, 'R_AARCH64_TLSDESC'],
  [1032, 'R_AARCH64_IRELATIVE'],
];

/** BPF relocations as clang `-target bpf` emits them (all SHT_REL, no addend field). */
const BPF: readonly (readonly [number, string])[] = [
  [0, 'R_BPF_NONE'],
  [1, 'R_BPF_64_64'], // ld_imm64 of a symbol address (maps, globals)
  [2, 'R_BPF_64_ABS64'], // 64-bit data word (DWARF)
  [3, 'R_BPF_64_ABS32'], // 32-bit data word (DWARF)
  [4, 'R_BPF_64_NODYLD32'], // 32-bit data word no dynamic linker touches (.BTF, .BTF.ext)
  [10, 'R_BPF_64_32'], // call imm of a BPF-to-BPF call (in instruction slots)
];

export const AARCH64_RELOCS: ReadonlyMap<number, string> = new Map(AARCH64);
export const BPF_RELOCS: ReadonlyMap<number, string> = new Map(BPF);

/** The name of relocation `type` for `machine`, or undefined for a number its ABI does not define. */
export function relocTypeName(machine: number, type: number): string | undefined {
  if (machine === EM_AARCH64) return AARCH64_RELOCS.get(type);
  if (machine === EM_BPF) return BPF_RELOCS.get(type);
  return undefined;
}

/** The number of a relocation name (either machine), or undefined. */
export function relocTypeByName(name: string): number | undefined {
  for (const table of [AARCH64, BPF]) for (const [n, s] of table) if (s === name) return n;
  return undefined;
}
