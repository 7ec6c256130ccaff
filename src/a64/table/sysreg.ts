/**
 * Names of system registers (MRS/MSR operands) and of system-instruction operations (the DC, IC, AT, TLBI
 * and CFP/DVP/CPP aliases of SYS), by their encodings op0:op1:CRn:CRm:op2 (Arm ARM D19 "AArch64 System
 * Register Descriptions" and C5.2-C5.5 "System instructions"). The spelling is LLVM 14's with the
 * reference flags: it prints registers upper-case (with the manual's mixed case for `CurrentEL`, `SPSel`,
 * `DAIFSet` …) and operations lower-case.
 *
 * The tables were read off the oracle by disassembling every MRS, MSR and SYS encoding
 * (tests/a64/sysreg.test.ts does that again on every run and compares all 65536 MRS/MSR words and all
 * SYS words), so "named here" means exactly "LLVM prints a name". An encoding with no name here prints in
 * the generic spelling `S<op0>_<op1>_C<n>_C<m>_<op2>`.
 */

/** Whether a system register operand is read (MRS) or written (MSR). */
export type SysAccess = 'read' | 'write';

export interface SysReg {
  /** LLVM's spelling, e.g. `SCTLR_EL1`, `CurrentEL`. */
  readonly name: string;
  readonly op0: number;
  readonly op1: number;
  readonly CRn: number;
  readonly CRm: number;
  readonly op2: number;
  /** MRS may name it (it is not write-only). */
  readonly readable: boolean;
  /** MSR may name it (it is not read-only). */
  readonly writable: boolean;
}

/**
 * One line per op0 op1 CRn CRm; then `op2:NAME` for every register there. A `/r` suffix marks a register
 * LLVM names only for MRS (read-only), `/w` one it names only for MSR (write-only); unmarked names are
 * read/write. Two names may share an encoding when one is read-only and the other write-only
 * (`DBGDTRRX_EL0` / `DBGDTRTX_EL0`).
 */
const SYSREGS = `
  2 0 C0  C0   2:OSDTRRX_EL1 4:DBGBVR0_EL1 5:DBGBCR0_EL1 6:DBGWVR0_EL1 7:DBGWCR0_EL1
  2 0 C0  C1   4:DBGBVR1_EL1 5:DBGBCR1_EL1 6:DBGWVR1_EL1 7:DBGWCR1_EL1
  2 0 C0  C2   0:MDCCINT_EL1 2:MDSCR_EL1 4:DBGBVR2_EL1 5:DBGBCR2_EL1 6:DBGWVR2_EL1 7:DBGWCR2_EL1
  2 0 C0  C3   2:OSDTRTX_EL1 4:DBGBVR3_EL1 5:DBGBCR3_EL1 6:DBGWVR3_EL1 7:DBGWCR3_EL1
  2 0 C0  C4   4:DBGBVR4_EL1 5:DBGBCR4_EL1 6:DBGWVR4_EL1 7:DBGWCR4_EL1
  2 0 C0  C5   4:DBGBVR5_EL1 5:DBGBCR5_EL1 6:DBGWVR5_EL1 7:DBGWCR5_EL1
  2 0 C0  C6   2:OSECCR_EL1 4:DBGBVR6_EL1 5:DBGBCR6_EL1 6:DBGWVR6_EL1 7:DBGWCR6_EL1
  2 0 C0  C7   4:DBGBVR7_EL1 5:DBGBCR7_EL1 6:DBGWVR7_EL1 7:DBGWCR7_EL1
  2 0 C0  C8   4:DBGBVR8_EL1 5:DBGBCR8_EL1 6:DBGWVR8_EL1 7:DBGWCR8_EL1
  2 0 C0  C9   4:DBGBVR9_EL1 5:DBGBCR9_EL1 6:DBGWVR9_EL1 7:DBGWCR9_EL1
  2 0 C0  C10  4:DBGBVR10_EL1 5:DBGBCR10_EL1 6:DBGWVR10_EL1 7:DBGWCR10_EL1
  2 0 C0  C11  4:DBGBVR11_EL1 5:DBGBCR11_EL1 6:DBGWVR11_EL1 7:DBGWCR11_EL1
  2 0 C0  C12  4:DBGBVR12_EL1 5:DBGBCR12_EL1 6:DBGWVR12_EL1 7:DBGWCR12_EL1
  2 0 C0  C13  4:DBGBVR13_EL1 5:DBGBCR13_EL1 6:DBGWVR13_EL1 7:DBGWCR13_EL1
  2 0 C0  C14  4:DBGBVR14_EL1 5:DBGBCR14_EL1 6:DBGWVR14_EL1 7:DBGWCR14_EL1
  2 0 C0  C15  4:DBGBVR15_EL1 5:DBGBCR15_EL1 6:DBGWVR15_EL1 7:DBGWCR15_EL1
  2 0 C1  C0   0:MDRAR_EL1/r 4:OSLAR_EL1/w
  2 0 C1  C1   4:OSLSR_EL1/r
  2 0 C1  C3   4:OSDLR_EL1
  2 0 C1  C4   4:DBGPRCR_EL1
  2 0 C7  C8   6:DBGCLAIMSET_EL1
  2 0 C7  C9   6:DBGCLAIMCLR_EL1
  2 0 C7  C14  6:DBGAUTHSTATUS_EL1/r
  2 1 C0  C0   1:TRCTRACEIDR 2:TRCVICTLR 4:TRCSEQEVR0 5:TRCCNTRLDVR0 6:TRCIDR8/r 7:TRCIMSPEC0
  2 1 C0  C1   0:TRCPRGCTLR 1:TRCQCTLR 2:TRCVIIECTLR 4:TRCSEQEVR1 5:TRCCNTRLDVR1 6:TRCIDR9/r 7:TRCIMSPEC1
  2 1 C0  C2   0:TRCPROCSELR 2:TRCVISSCTLR 4:TRCSEQEVR2 5:TRCCNTRLDVR2 6:TRCIDR10/r 7:TRCIMSPEC2
  2 1 C0  C3   0:TRCSTATR/r 2:TRCVIPCSSCTLR 5:TRCCNTRLDVR3 6:TRCIDR11/r 7:TRCIMSPEC3
  2 1 C0  C4   0:TRCCONFIGR 5:TRCCNTCTLR0 6:TRCIDR12/r 7:TRCIMSPEC4
  2 1 C0  C5   5:TRCCNTCTLR1 6:TRCIDR13/r 7:TRCIMSPEC5
  2 1 C0  C6   0:TRCAUXCTLR 4:TRCSEQRSTEVR 5:TRCCNTCTLR2 7:TRCIMSPEC6
  2 1 C0  C7   4:TRCSEQSTR 5:TRCCNTCTLR3 7:TRCIMSPEC7
  2 1 C0  C8   0:TRCEVENTCTL0R 2:TRCVDCTLR 4:TRCEXTINSELR 5:TRCCNTVR0 7:TRCIDR0/r
  2 1 C0  C9   0:TRCEVENTCTL1R 2:TRCVDSACCTLR 4:TRCEXTINSELR1 5:TRCCNTVR1 7:TRCIDR1/r
  2 1 C0  C10  0:TRCRSR 2:TRCVDARCCTLR 4:TRCEXTINSELR2 5:TRCCNTVR2 7:TRCIDR2/r
  2 1 C0  C11  0:TRCSTALLCTLR 4:TRCEXTINSELR3 5:TRCCNTVR3 7:TRCIDR3/r
  2 1 C0  C12  0:TRCTSCTLR 7:TRCIDR4/r
  2 1 C0  C13  0:TRCSYNCPR 7:TRCIDR5/r
  2 1 C0  C14  0:TRCCCCTLR 7:TRCIDR6/r
  2 1 C0  C15  0:TRCBBCTLR 7:TRCIDR7/r
  2 1 C1  C0   1:TRCRSCTLR16 2:TRCSSCCR0 3:TRCSSPCICR0 4:TRCOSLAR/w
  2 1 C1  C1   1:TRCRSCTLR17 2:TRCSSCCR1 3:TRCSSPCICR1 4:TRCOSLSR/r
  2 1 C1  C2   0:TRCRSCTLR2 1:TRCRSCTLR18 2:TRCSSCCR2 3:TRCSSPCICR2
  2 1 C1  C3   0:TRCRSCTLR3 1:TRCRSCTLR19 2:TRCSSCCR3 3:TRCSSPCICR3
  2 1 C1  C4   0:TRCRSCTLR4 1:TRCRSCTLR20 2:TRCSSCCR4 3:TRCSSPCICR4 4:TRCPDCR
  2 1 C1  C5   0:TRCRSCTLR5 1:TRCRSCTLR21 2:TRCSSCCR5 3:TRCSSPCICR5 4:TRCPDSR/r
  2 1 C1  C6   0:TRCRSCTLR6 1:TRCRSCTLR22 2:TRCSSCCR6 3:TRCSSPCICR6
  2 1 C1  C7   0:TRCRSCTLR7 1:TRCRSCTLR23 2:TRCSSCCR7 3:TRCSSPCICR7
  2 1 C1  C8   0:TRCRSCTLR8 1:TRCRSCTLR24 2:TRCSSCSR0
  2 1 C1  C9   0:TRCRSCTLR9 1:TRCRSCTLR25 2:TRCSSCSR1
  2 1 C1  C10  0:TRCRSCTLR10 1:TRCRSCTLR26 2:TRCSSCSR2
  2 1 C1  C11  0:TRCRSCTLR11 1:TRCRSCTLR27 2:TRCSSCSR3
  2 1 C1  C12  0:TRCRSCTLR12 1:TRCRSCTLR28 2:TRCSSCSR4
  2 1 C1  C13  0:TRCRSCTLR13 1:TRCRSCTLR29 2:TRCSSCSR5
  2 1 C1  C14  0:TRCRSCTLR14 1:TRCRSCTLR30 2:TRCSSCSR6
  2 1 C1  C15  0:TRCRSCTLR15 1:TRCRSCTLR31 2:TRCSSCSR7
  2 1 C2  C0   0:TRCACVR0 1:TRCACVR8 2:TRCACATR0 3:TRCACATR8 4:TRCDVCVR0 5:TRCDVCVR4 6:TRCDVCMR0 7:TRCDVCMR4
  2 1 C2  C2   0:TRCACVR1 1:TRCACVR9 2:TRCACATR1 3:TRCACATR9
  2 1 C2  C4   0:TRCACVR2 1:TRCACVR10 2:TRCACATR2 3:TRCACATR10 4:TRCDVCVR1 5:TRCDVCVR5 6:TRCDVCMR1 7:TRCDVCMR5
  2 1 C2  C6   0:TRCACVR3 1:TRCACVR11 2:TRCACATR3 3:TRCACATR11
  2 1 C2  C8   0:TRCACVR4 1:TRCACVR12 2:TRCACATR4 3:TRCACATR12 4:TRCDVCVR2 5:TRCDVCVR6 6:TRCDVCMR2 7:TRCDVCMR6
  2 1 C2  C10  0:TRCACVR5 1:TRCACVR13 2:TRCACATR5 3:TRCACATR13
  2 1 C2  C12  0:TRCACVR6 1:TRCACVR14 2:TRCACATR6 3:TRCACATR14 4:TRCDVCVR3 5:TRCDVCVR7 6:TRCDVCMR3 7:TRCDVCMR7
  2 1 C2  C14  0:TRCACVR7 1:TRCACVR15 2:TRCACATR7 3:TRCACATR15
  2 1 C3  C0   0:TRCCIDCVR0 1:TRCVMIDCVR0 2:TRCCIDCCTLR0
  2 1 C3  C1   2:TRCCIDCCTLR1
  2 1 C3  C2   0:TRCCIDCVR1 1:TRCVMIDCVR1 2:TRCVMIDCCTLR0
  2 1 C3  C3   2:TRCVMIDCCTLR1
  2 1 C3  C4   0:TRCCIDCVR2 1:TRCVMIDCVR2
  2 1 C3  C6   0:TRCCIDCVR3 1:TRCVMIDCVR3
  2 1 C3  C8   0:TRCCIDCVR4 1:TRCVMIDCVR4
  2 1 C3  C10  0:TRCCIDCVR5 1:TRCVMIDCVR5
  2 1 C3  C12  0:TRCCIDCVR6 1:TRCVMIDCVR6
  2 1 C3  C14  0:TRCCIDCVR7 1:TRCVMIDCVR7
  2 1 C7  C0   4:TRCITCTRL
  2 1 C7  C2   7:TRCDEVID/r
  2 1 C7  C3   7:TRCDEVTYPE/r
  2 1 C7  C4   7:TRCPIDR4/r
  2 1 C7  C5   7:TRCPIDR5/r
  2 1 C7  C6   7:TRCPIDR6/r
  2 1 C7  C7   7:TRCPIDR7/r
  2 1 C7  C8   6:TRCCLAIMSET 7:TRCPIDR0/r
  2 1 C7  C9   6:TRCCLAIMCLR 7:TRCPIDR1/r
  2 1 C7  C10  6:TRCDEVAFF0/r 7:TRCPIDR2/r
  2 1 C7  C11  6:TRCDEVAFF1/r 7:TRCPIDR3/r
  2 1 C7  C12  6:TRCLAR/w 7:TRCCIDR0/r
  2 1 C7  C13  6:TRCLSR/r 7:TRCCIDR1/r
  2 1 C7  C14  6:TRCAUTHSTATUS/r 7:TRCCIDR2/r
  2 1 C7  C15  6:TRCDEVARCH/r 7:TRCCIDR3/r
  2 2 C0  C0   0:TEECR32_EL1
  2 2 C1  C0   0:TEEHBR32_EL1
  2 3 C0  C1   0:MDCCSR_EL0/r
  2 3 C0  C4   0:DBGDTR_EL0
  2 3 C0  C5   0:DBGDTRRX_EL0/r 0:DBGDTRTX_EL0/w
  2 4 C0  C7   0:DBGVCR32_EL2
  3 0 C0  C0   0:MIDR_EL1/r 5:MPIDR_EL1/r 6:REVIDR_EL1/r
  3 0 C0  C1   0:ID_PFR0_EL1/r 1:ID_PFR1_EL1/r 2:ID_DFR0_EL1/r 3:ID_AFR0_EL1/r 4:ID_MMFR0_EL1/r 5:ID_MMFR1_EL1/r 6:ID_MMFR2_EL1/r 7:ID_MMFR3_EL1/r
  3 0 C0  C2   0:ID_ISAR0_EL1/r 1:ID_ISAR1_EL1/r 2:ID_ISAR2_EL1/r 3:ID_ISAR3_EL1/r 4:ID_ISAR4_EL1/r 5:ID_ISAR5_EL1/r 6:ID_MMFR4_EL1/r 7:ID_ISAR6_EL1/r
  3 0 C0  C3   0:MVFR0_EL1/r 1:MVFR1_EL1/r 2:MVFR2_EL1/r 4:ID_PFR2_EL1/r 6:ID_MMFR5_EL1/r
  3 0 C0  C4   0:ID_AA64PFR0_EL1/r 1:ID_AA64PFR1_EL1/r
  3 0 C0  C5   0:ID_AA64DFR0_EL1/r 1:ID_AA64DFR1_EL1/r 4:ID_AA64AFR0_EL1/r 5:ID_AA64AFR1_EL1/r
  3 0 C0  C6   0:ID_AA64ISAR0_EL1/r 1:ID_AA64ISAR1_EL1/r 2:ID_AA64ISAR2_EL1/r
  3 0 C0  C7   0:ID_AA64MMFR0_EL1/r 1:ID_AA64MMFR1_EL1/r 2:ID_AA64MMFR2_EL1/r
  3 0 C1  C0   0:SCTLR_EL1 1:ACTLR_EL1 2:CPACR_EL1
  3 0 C1  C2   1:TRFCR_EL1
  3 0 C2  C0   0:TTBR0_EL1 1:TTBR1_EL1 2:TCR_EL1
  3 0 C2  C1   0:APIAKeyLo_EL1 1:APIAKeyHi_EL1 2:APIBKeyLo_EL1 3:APIBKeyHi_EL1
  3 0 C2  C2   0:APDAKeyLo_EL1 1:APDAKeyHi_EL1 2:APDBKeyLo_EL1 3:APDBKeyHi_EL1
  3 0 C2  C3   0:APGAKeyLo_EL1 1:APGAKeyHi_EL1
  3 0 C4  C0   0:SPSR_EL1 1:ELR_EL1
  3 0 C4  C1   0:SP_EL0
  3 0 C4  C2   0:SPSel 2:CurrentEL/r 3:PAN 4:UAO
  3 0 C4  C6   0:ICC_PMR_EL1
  3 0 C5  C1   0:AFSR0_EL1 1:AFSR1_EL1
  3 0 C5  C2   0:ESR_EL1
  3 0 C5  C3   0:ERRIDR_EL1/r 1:ERRSELR_EL1
  3 0 C5  C4   0:ERXFR_EL1/r 1:ERXCTLR_EL1 2:ERXSTATUS_EL1 3:ERXADDR_EL1 4:ERXPFGF_EL1/r 5:ERXPFGCTL_EL1 6:ERXPFGCDN_EL1
  3 0 C5  C5   0:ERXMISC0_EL1 1:ERXMISC1_EL1 2:ERXMISC2_EL1 3:ERXMISC3_EL1
  3 0 C6  C0   0:FAR_EL1
  3 0 C7  C4   0:PAR_EL1
  3 0 C9  C11  0:TRBLIMITR_EL1 1:TRBPTR_EL1 2:TRBBASER_EL1 3:TRBSR_EL1 4:TRBMAR_EL1 6:TRBTRG_EL1 7:TRBIDR_EL1/r
  3 0 C9  C14  1:PMINTENSET_EL1 2:PMINTENCLR_EL1 6:PMMIR_EL1
  3 0 C10 C2   0:MAIR_EL1
  3 0 C10 C3   0:AMAIR_EL1
  3 0 C10 C4   0:LORSA_EL1 1:LOREA_EL1 2:LORN_EL1 3:LORC_EL1 4:MPAMIDR_EL1/r 7:LORID_EL1/r
  3 0 C10 C5   0:MPAM1_EL1 1:MPAM0_EL1
  3 0 C12 C0   0:VBAR_EL1 1:RVBAR_EL1/r 2:RMR_EL1
  3 0 C12 C1   0:ISR_EL1/r 1:DISR_EL1
  3 0 C12 C8   0:ICC_IAR0_EL1/r 1:ICC_EOIR0_EL1/w 2:ICC_HPPIR0_EL1/r 3:ICC_BPR0_EL1 4:ICC_AP0R0_EL1 5:ICC_AP0R1_EL1 6:ICC_AP0R2_EL1 7:ICC_AP0R3_EL1
  3 0 C12 C9   0:ICC_AP1R0_EL1 1:ICC_AP1R1_EL1 2:ICC_AP1R2_EL1 3:ICC_AP1R3_EL1
  3 0 C12 C11  1:ICC_DIR_EL1/w 3:ICC_RPR_EL1/r 5:ICC_SGI1R_EL1/w 6:ICC_ASGI1R_EL1/w 7:ICC_SGI0R_EL1/w
  3 0 C12 C12  0:ICC_IAR1_EL1/r 1:ICC_EOIR1_EL1/w 2:ICC_HPPIR1_EL1/r 3:ICC_BPR1_EL1 4:ICC_CTLR_EL1 5:ICC_SRE_EL1 6:ICC_IGRPEN0_EL1 7:ICC_IGRPEN1_EL1
  3 0 C13 C0   1:CONTEXTIDR_EL1 4:TPIDR_EL1 7:SCXTNUM_EL1
  3 0 C14 C1   0:CNTKCTL_EL1
  3 1 C0  C0   0:CCSIDR_EL1/r 1:CLIDR_EL1/r 2:CCSIDR2_EL1/r 7:AIDR_EL1/r
  3 2 C0  C0   0:CSSELR_EL1
  3 3 C0  C0   1:CTR_EL0/r 7:DCZID_EL0/r
  3 3 C4  C2   0:NZCV 1:DAIF 5:DIT 6:SSBS
  3 3 C4  C4   0:FPCR 1:FPSR
  3 3 C4  C5   0:DSPSR_EL0 1:DLR_EL0
  3 3 C9  C12  0:PMCR_EL0 1:PMCNTENSET_EL0 2:PMCNTENCLR_EL0 3:PMOVSCLR_EL0 4:PMSWINC_EL0/w 5:PMSELR_EL0 6:PMCEID0_EL0/r 7:PMCEID1_EL0/r
  3 3 C9  C13  0:PMCCNTR_EL0 1:PMXEVTYPER_EL0 2:PMXEVCNTR_EL0
  3 3 C9  C14  0:PMUSERENR_EL0 3:PMOVSSET_EL0
  3 3 C13 C0   2:TPIDR_EL0 3:TPIDRRO_EL0 7:SCXTNUM_EL0
  3 3 C13 C2   0:AMCR_EL0 1:AMCFGR_EL0/r 2:AMCGCR_EL0/r 3:AMUSERENR_EL0 4:AMCNTENCLR0_EL0 5:AMCNTENSET0_EL0
  3 3 C13 C3   0:AMCNTENCLR1_EL0 1:AMCNTENSET1_EL0
  3 3 C13 C4   0:AMEVCNTR00_EL0 1:AMEVCNTR01_EL0 2:AMEVCNTR02_EL0 3:AMEVCNTR03_EL0
  3 3 C13 C6   0:AMEVTYPER00_EL0/r 1:AMEVTYPER01_EL0/r 2:AMEVTYPER02_EL0/r 3:AMEVTYPER03_EL0/r
  3 3 C13 C12  0:AMEVCNTR10_EL0 1:AMEVCNTR11_EL0 2:AMEVCNTR12_EL0 3:AMEVCNTR13_EL0 4:AMEVCNTR14_EL0 5:AMEVCNTR15_EL0 6:AMEVCNTR16_EL0 7:AMEVCNTR17_EL0
  3 3 C13 C13  0:AMEVCNTR18_EL0 1:AMEVCNTR19_EL0 2:AMEVCNTR110_EL0 3:AMEVCNTR111_EL0 4:AMEVCNTR112_EL0 5:AMEVCNTR113_EL0 6:AMEVCNTR114_EL0 7:AMEVCNTR115_EL0
  3 3 C13 C14  0:AMEVTYPER10_EL0 1:AMEVTYPER11_EL0 2:AMEVTYPER12_EL0 3:AMEVTYPER13_EL0 4:AMEVTYPER14_EL0 5:AMEVTYPER15_EL0 6:AMEVTYPER16_EL0 7:AMEVTYPER17_EL0
  3 3 C13 C15  0:AMEVTYPER18_EL0 1:AMEVTYPER19_EL0 2:AMEVTYPER110_EL0 3:AMEVTYPER111_EL0 4:AMEVTYPER112_EL0 5:AMEVTYPER113_EL0 6:AMEVTYPER114_EL0 7:AMEVTYPER115_EL0
  3 3 C14 C0   0:CNTFRQ_EL0 1:CNTPCT_EL0/r 2:CNTVCT_EL0/r
  3 3 C14 C2   0:CNTP_TVAL_EL0 1:CNTP_CTL_EL0 2:CNTP_CVAL_EL0
  3 3 C14 C3   0:CNTV_TVAL_EL0 1:CNTV_CTL_EL0 2:CNTV_CVAL_EL0
  3 3 C14 C8   0:PMEVCNTR0_EL0 1:PMEVCNTR1_EL0 2:PMEVCNTR2_EL0 3:PMEVCNTR3_EL0 4:PMEVCNTR4_EL0 5:PMEVCNTR5_EL0 6:PMEVCNTR6_EL0 7:PMEVCNTR7_EL0
  3 3 C14 C9   0:PMEVCNTR8_EL0 1:PMEVCNTR9_EL0 2:PMEVCNTR10_EL0 3:PMEVCNTR11_EL0 4:PMEVCNTR12_EL0 5:PMEVCNTR13_EL0 6:PMEVCNTR14_EL0 7:PMEVCNTR15_EL0
  3 3 C14 C10  0:PMEVCNTR16_EL0 1:PMEVCNTR17_EL0 2:PMEVCNTR18_EL0 3:PMEVCNTR19_EL0 4:PMEVCNTR20_EL0 5:PMEVCNTR21_EL0 6:PMEVCNTR22_EL0 7:PMEVCNTR23_EL0
  3 3 C14 C11  0:PMEVCNTR24_EL0 1:PMEVCNTR25_EL0 2:PMEVCNTR26_EL0 3:PMEVCNTR27_EL0 4:PMEVCNTR28_EL0 5:PMEVCNTR29_EL0 6:PMEVCNTR30_EL0
  3 3 C14 C12  0:PMEVTYPER0_EL0 1:PMEVTYPER1_EL0 2:PMEVTYPER2_EL0 3:PMEVTYPER3_EL0 4:PMEVTYPER4_EL0 5:PMEVTYPER5_EL0 6:PMEVTYPER6_EL0 7:PMEVTYPER7_EL0
  3 3 C14 C13  0:PMEVTYPER8_EL0 1:PMEVTYPER9_EL0 2:PMEVTYPER10_EL0 3:PMEVTYPER11_EL0 4:PMEVTYPER12_EL0 5:PMEVTYPER13_EL0 6:PMEVTYPER14_EL0 7:PMEVTYPER15_EL0
  3 3 C14 C14  0:PMEVTYPER16_EL0 1:PMEVTYPER17_EL0 2:PMEVTYPER18_EL0 3:PMEVTYPER19_EL0 4:PMEVTYPER20_EL0 5:PMEVTYPER21_EL0 6:PMEVTYPER22_EL0 7:PMEVTYPER23_EL0
  3 3 C14 C15  0:PMEVTYPER24_EL0 1:PMEVTYPER25_EL0 2:PMEVTYPER26_EL0 3:PMEVTYPER27_EL0 4:PMEVTYPER28_EL0 5:PMEVTYPER29_EL0 6:PMEVTYPER30_EL0 7:PMCCFILTR_EL0
  3 4 C0  C0   0:VPIDR_EL2 5:VMPIDR_EL2
  3 4 C1  C0   0:SCTLR_EL2 1:ACTLR_EL2
  3 4 C1  C1   0:HCR_EL2 1:MDCR_EL2 2:CPTR_EL2 3:HSTR_EL2 7:HACR_EL2
  3 4 C1  C2   1:TRFCR_EL2
  3 4 C1  C3   1:SDER32_EL2
  3 4 C2  C0   0:TTBR0_EL2 1:TTBR1_EL2 2:TCR_EL2
  3 4 C2  C1   0:VTTBR_EL2 2:VTCR_EL2
  3 4 C2  C2   0:VNCR_EL2
  3 4 C2  C6   0:VSTTBR_EL2 2:VSTCR_EL2
  3 4 C3  C0   0:DACR32_EL2
  3 4 C4  C0   0:SPSR_EL2 1:ELR_EL2
  3 4 C4  C1   0:SP_EL1
  3 4 C4  C3   0:SPSR_irq 1:SPSR_abt 2:SPSR_und 3:SPSR_fiq
  3 4 C5  C0   1:IFSR32_EL2
  3 4 C5  C1   0:AFSR0_EL2 1:AFSR1_EL2
  3 4 C5  C2   0:ESR_EL2 3:VSESR_EL2
  3 4 C5  C3   0:FPEXC32_EL2
  3 4 C6  C0   0:FAR_EL2 4:HPFAR_EL2
  3 4 C10 C2   0:MAIR_EL2
  3 4 C10 C3   0:AMAIR_EL2
  3 4 C10 C4   0:MPAMHCR_EL2 1:MPAMVPMV_EL2
  3 4 C10 C5   0:MPAM2_EL2
  3 4 C10 C6   0:MPAMVPM0_EL2 1:MPAMVPM1_EL2 2:MPAMVPM2_EL2 3:MPAMVPM3_EL2 4:MPAMVPM4_EL2 5:MPAMVPM5_EL2 6:MPAMVPM6_EL2 7:MPAMVPM7_EL2
  3 4 C12 C0   0:VBAR_EL2 1:RVBAR_EL2/r 2:RMR_EL2
  3 4 C12 C1   1:VDISR_EL2
  3 4 C12 C8   0:ICH_AP0R0_EL2 1:ICH_AP0R1_EL2 2:ICH_AP0R2_EL2 3:ICH_AP0R3_EL2
  3 4 C12 C9   0:ICH_AP1R0_EL2 1:ICH_AP1R1_EL2 2:ICH_AP1R2_EL2 3:ICH_AP1R3_EL2 5:ICC_SRE_EL2
  3 4 C12 C11  0:ICH_HCR_EL2 1:ICH_VTR_EL2/r 2:ICH_MISR_EL2/r 3:ICH_EISR_EL2/r 5:ICH_ELRSR_EL2/r 7:ICH_VMCR_EL2
  3 4 C12 C12  0:ICH_LR0_EL2 1:ICH_LR1_EL2 2:ICH_LR2_EL2 3:ICH_LR3_EL2 4:ICH_LR4_EL2 5:ICH_LR5_EL2 6:ICH_LR6_EL2 7:ICH_LR7_EL2
  3 4 C12 C13  0:ICH_LR8_EL2 1:ICH_LR9_EL2 2:ICH_LR10_EL2 3:ICH_LR11_EL2 4:ICH_LR12_EL2 5:ICH_LR13_EL2 6:ICH_LR14_EL2 7:ICH_LR15_EL2
  3 4 C13 C0   1:CONTEXTIDR_EL2 2:TPIDR_EL2 7:SCXTNUM_EL2
  3 4 C14 C0   3:CNTVOFF_EL2
  3 4 C14 C1   0:CNTHCTL_EL2
  3 4 C14 C2   0:CNTHP_TVAL_EL2 1:CNTHP_CTL_EL2 2:CNTHP_CVAL_EL2
  3 4 C14 C3   0:CNTHV_TVAL_EL2 1:CNTHV_CTL_EL2 2:CNTHV_CVAL_EL2
  3 4 C14 C4   0:CNTHVS_TVAL_EL2 1:CNTHVS_CTL_EL2 2:CNTHVS_CVAL_EL2
  3 4 C14 C5   0:CNTHPS_TVAL_EL2 1:CNTHPS_CTL_EL2 2:CNTHPS_CVAL_EL2
  3 5 C1  C0   0:SCTLR_EL12 2:CPACR_EL12
  3 5 C1  C2   1:TRFCR_EL12
  3 5 C2  C0   0:TTBR0_EL12 1:TTBR1_EL12 2:TCR_EL12
  3 5 C4  C0   0:SPSR_EL12 1:ELR_EL12
  3 5 C5  C1   0:AFSR0_EL12 1:AFSR1_EL12
  3 5 C5  C2   0:ESR_EL12
  3 5 C6  C0   0:FAR_EL12
  3 5 C10 C2   0:MAIR_EL12
  3 5 C10 C3   0:AMAIR_EL12
  3 5 C10 C5   0:MPAM1_EL12
  3 5 C12 C0   0:VBAR_EL12
  3 5 C13 C0   1:CONTEXTIDR_EL12 7:SCXTNUM_EL12
  3 5 C14 C1   0:CNTKCTL_EL12
  3 5 C14 C2   0:CNTP_TVAL_EL02 1:CNTP_CTL_EL02 2:CNTP_CVAL_EL02
  3 5 C14 C3   0:CNTV_TVAL_EL02 1:CNTV_CTL_EL02 2:CNTV_CVAL_EL02
  3 6 C1  C0   0:SCTLR_EL3 1:ACTLR_EL3
  3 6 C1  C1   0:SCR_EL3 1:SDER32_EL3 2:CPTR_EL3
  3 6 C1  C3   1:MDCR_EL3
  3 6 C2  C0   0:TTBR0_EL3 2:TCR_EL3
  3 6 C4  C0   0:SPSR_EL3 1:ELR_EL3
  3 6 C4  C1   0:SP_EL2
  3 6 C5  C1   0:AFSR0_EL3 1:AFSR1_EL3
  3 6 C5  C2   0:ESR_EL3
  3 6 C6  C0   0:FAR_EL3
  3 6 C10 C2   0:MAIR_EL3
  3 6 C10 C3   0:AMAIR_EL3
  3 6 C10 C5   0:MPAM3_EL3
  3 6 C12 C0   0:VBAR_EL3 1:RVBAR_EL3/r 2:RMR_EL3
  3 6 C12 C12  4:ICC_CTLR_EL3 5:ICC_SRE_EL3 7:ICC_IGRPEN1_EL3
  3 6 C13 C0   2:TPIDR_EL3 7:SCXTNUM_EL3
  3 7 C14 C2   0:CNTPS_TVAL_EL1 1:CNTPS_CTL_EL1 2:CNTPS_CVAL_EL1
`;

/**
 * The SYS operations LLVM prints as aliases: `kind op1 CRn CRm` then `op2:name`. A `*` marks an operation
 * that takes no register (`ic iallu`, `tlbi vmalle1is`): LLVM prints it without one whatever Rt holds
 * and assembles it with Rt = 31.
 */
const SYSOPS = `
  at   0 C7  C8   0:s1e1r 1:s1e1w 2:s1e0r 3:s1e0w
  at   0 C7  C9   0:s1e1rp 1:s1e1wp
  at   4 C7  C8   0:s1e2r 1:s1e2w 4:s12e1r 5:s12e1w 6:s12e0r 7:s12e0w
  at   6 C7  C8   0:s1e3r 1:s1e3w
  dc   0 C7  C6   1:ivac 2:isw
  dc   0 C7  C10  2:csw
  dc   0 C7  C14  2:cisw
  dc   3 C7  C4   1:zva
  dc   3 C7  C10  1:cvac
  dc   3 C7  C11  1:cvau
  dc   3 C7  C12  1:cvap
  dc   3 C7  C13  1:cvadp
  dc   3 C7  C14  1:civac
  ic   0 C7  C1   0:ialluis*
  ic   0 C7  C5   0:iallu*
  ic   3 C7  C5   1:ivau
  tlbi 0 C8  C1   0:vmalle1os* 1:vae1os 2:aside1os 3:vaae1os 5:vale1os 7:vaale1os
  tlbi 0 C8  C2   1:rvae1is 3:rvaae1is 5:rvale1is 7:rvaale1is
  tlbi 0 C8  C3   0:vmalle1is* 1:vae1is 2:aside1is 3:vaae1is 5:vale1is 7:vaale1is
  tlbi 0 C8  C5   1:rvae1os 3:rvaae1os 5:rvale1os 7:rvaale1os
  tlbi 0 C8  C6   1:rvae1 3:rvaae1 5:rvale1 7:rvaale1
  tlbi 0 C8  C7   0:vmalle1* 1:vae1 2:aside1 3:vaae1 5:vale1 7:vaale1
  tlbi 4 C8  C0   1:ipas2e1is 2:ripas2e1is 5:ipas2le1is 6:ripas2le1is
  tlbi 4 C8  C1   0:alle2os* 1:vae2os 4:alle1os* 5:vale2os 6:vmalls12e1os*
  tlbi 4 C8  C2   1:rvae2is 5:rvale2is
  tlbi 4 C8  C3   0:alle2is* 1:vae2is 4:alle1is* 5:vale2is 6:vmalls12e1is*
  tlbi 4 C8  C4   0:ipas2e1os 1:ipas2e1 2:ripas2e1 3:ripas2e1os 4:ipas2le1os 5:ipas2le1 6:ripas2le1 7:ripas2le1os
  tlbi 4 C8  C5   1:rvae2os 5:rvale2os
  tlbi 4 C8  C6   1:rvae2 5:rvale2
  tlbi 4 C8  C7   0:alle2* 1:vae2 4:alle1* 5:vale2 6:vmalls12e1*
  tlbi 6 C8  C1   0:alle3os* 1:vae3os 5:vale3os
  tlbi 6 C8  C2   1:rvae3is 5:rvale3is
  tlbi 6 C8  C3   0:alle3is* 1:vae3is 5:vale3is
  tlbi 6 C8  C5   1:rvae3os 5:rvale3os
  tlbi 6 C8  C6   1:rvae3 5:rvale3
  tlbi 6 C8  C7   0:alle3* 1:vae3 5:vale3
  cfp  3 C7  C3   4:rctx
  dvp  3 C7  C3   5:rctx
  cpp  3 C7  C3   7:rctx
`;

/**
 * The 16-bit key of an encoding: op0:op1:CRn:CRm:op2, which is also bits 20:5 of an MRS/MSR/SYS word, so
 * `(word >>> 5) & 0xffff` is the key of the register a word names.
 */
export function sysregKey(op0: number, op1: number, CRn: number, CRm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (CRn << 7) | (CRm << 3) | op2;
}

/** The numbers of a `op0 op1 Cn Cm` line head. */
function lineHead(parts: readonly string[], line: string): number[] {
  const nums = parts.map((p) => Number(p.replace(/^C/, '')));
  if (nums.some((n) => !Number.isInteger(n))) throw new Error(`sysreg.ts: bad table line '${line}'`);
  return nums;
}

/** Each `op2:NAME[suffix]` item of a table line. */
function items(rest: readonly string[], line: string): { op2: number; name: string; suffix: string }[] {
  return rest.map((item) => {
    const m = /^([0-7]):([A-Za-z0-9_]+)(\/r|\/w|\*)?$/.exec(item);
    if (!m) throw new Error(`sysreg.ts: bad item '${item}' in '${line}'`);
    return { op2: Number(m[1]), name: m[2]!, suffix: m[3] ?? '' };
  });
}

const readByKey = new Map<number, SysReg>();
const writeByKey = new Map<number, SysReg>();
const regByName = new Map<string, SysReg>();

for (const line of SYSREGS.trim().split('\n')) {
  const [a, b, c, d, ...rest] = line.trim().split(/\s+/);
  const [op0, op1, CRn, CRm] = lineHead([a!, b!, c!, d!], line) as [number, number, number, number];
  for (const { op2, name, suffix } of items(rest, line)) {
    const reg: SysReg = {
      name,
      op0,
      op1,
      CRn,
      CRm,
      op2,
      readable: suffix !== '/w',
      writable: suffix !== '/r',
    };
    const key = sysregKey(op0, op1, CRn, CRm, op2);
    if (reg.readable) readByKey.set(key, reg);
    if (reg.writable) writeByKey.set(key, reg);
    regByName.set(name.toUpperCase(), reg);
  }
}

/** A named system register by LLVM's spelling, in any case (`sctlr_el1`, `SCTLR_EL1`); undefined otherwise. */
export function sysregByName(name: string): SysReg | undefined {
  return regByName.get(name.toUpperCase());
}

/**
 * LLVM's name of the register MRS (access 'read') or MSR ('write') names with fields o0:op1:CRn:CRm:op2 —
 * the MRS/MSR fields, where op0 = 2 + o0 — or undefined when LLVM has no name for it.
 */
export function sysregName(
  o0: number,
  op1: number,
  CRn: number,
  CRm: number,
  op2: number,
  access: SysAccess = 'read',
): string | undefined {
  return (access === 'read' ? readByKey : writeByKey).get(sysregKey(2 + o0, op1, CRn, CRm, op2))?.name;
}

/** The printed operand for an encoding: LLVM's name for the access, or the generic `S3_0_C15_C2_0`. */
export function sysregSpelling(
  op0: number,
  op1: number,
  CRn: number,
  CRm: number,
  op2: number,
  access: SysAccess,
): string {
  const reg = (access === 'read' ? readByKey : writeByKey).get(sysregKey(op0, op1, CRn, CRm, op2));
  return reg ? reg.name : `S${op0}_${op1}_C${CRn}_C${CRm}_${op2}`;
}

export interface SysregFields {
  readonly op0: number;
  readonly op1: number;
  readonly CRn: number;
  readonly CRm: number;
  readonly op2: number;
}

/**
 * The encoding a register operand names: a name LLVM allows for this access, or the generic spelling
 * (any case). Undefined for unknown names, for a read-only name written and a write-only name read.
 */
export function parseSysreg(text: string, access: SysAccess): SysregFields | undefined {
  const g = /^S([0-3])_([0-7])_C([0-9]|1[0-5])_C([0-9]|1[0-5])_([0-7])$/i.exec(text);
  if (g)
    return { op0: Number(g[1]), op1: Number(g[2]), CRn: Number(g[3]), CRm: Number(g[4]), op2: Number(g[5]) };
  const reg = sysregByName(text);
  if (!reg || !(access === 'read' ? reg.readable : reg.writable)) return undefined;
  return reg;
}

/** The kinds of SYS alias: address translation, data and instruction cache maintenance, TLB maintenance, prediction restriction. */
export type SysOpKind = 'at' | 'dc' | 'ic' | 'tlbi' | 'cfp' | 'dvp' | 'cpp';

export interface SysOp {
  readonly kind: SysOpKind;
  /** Lower-case, as LLVM prints it: `civac`, `vmalle1is`, `rctx`. */
  readonly name: string;
  readonly op1: number;
  readonly CRn: number;
  readonly CRm: number;
  readonly op2: number;
  /** Whether the operation takes Xt (`dc cvau, x1`) or not (`ic iallu`). */
  readonly takesRegister: boolean;
}

const opByKey = new Map<number, SysOp>();
const opByName = new Map<string, SysOp>();

for (const line of SYSOPS.trim().split('\n')) {
  const [kind, b, c, d, ...rest] = line.trim().split(/\s+/);
  const [op1, CRn, CRm] = lineHead([b!, c!, d!], line) as [number, number, number];
  for (const { op2, name, suffix } of items(rest, line)) {
    const op: SysOp = { kind: kind as SysOpKind, name, op1, CRn, CRm, op2, takesRegister: suffix !== '*' };
    opByKey.set(sysregKey(1, op1, CRn, CRm, op2), op);
    opByName.set(`${kind} ${name}`, op);
  }
}

/** The named operation SYS performs with these fields, if LLVM prints it as an alias. */
export function sysOpAt(op1: number, CRn: number, CRm: number, op2: number): SysOp | undefined {
  return opByKey.get(sysregKey(1, op1, CRn, CRm, op2));
}

/** An operation by kind and name, in any case (`dc`, `CIVAC`). */
export function sysOpByName(kind: SysOpKind, name: string): SysOp | undefined {
  return opByName.get(`${kind} ${name.toLowerCase()}`);
}
