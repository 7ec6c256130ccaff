// C4.1.93 Branches, Exception Generating and System instructions (table/branch-sys.ts), in LLVM 14's
// printed spelling. Regenerate branch-sys.golden with `npm run golden`.
// Reserved: UDF
udf #0
udf #4660
udf #65535
// Conditional branch (immediate)
b.eq #0
b.ne #8
b.hs #-4
b.lo #1048572
b.mi #-1048576
b.pl #12
b.vs #16
b.vc #20
b.hi #24
b.ls #28
b.ge #32
b.lt #36
b.gt #40
b.le #44
b.al #48
b.nv #52
// Exception generation
svc #0
svc #0x1
svc #0xffff
hvc #0
hvc #0x123
smc #0
smc #0xabcd
brk #0
brk #0x1
brk #0x800
brk #0xffff
hlt #0
hlt #0x3c
dcps1
dcps1 #0x5
dcps2
dcps2 #0xffff
dcps3
dcps3 #0x12
// Hints
nop
yield
wfe
wfi
sev
sevl
dgh
xpaclri
pacia1716
pacib1716
autia1716
autib1716
esb
tsb csync
csdb
paciaz
paciasp
pacibz
pacibsp
autiaz
autiasp
autibz
autibsp
bti
bti c
bti j
bti jc
hint #9
hint #11
hint #13
hint #15
hint #17
hint #19
hint #21
hint #22
hint #23
hint #33
hint #35
hint #37
hint #39
hint #40
hint #64
hint #127
// Barriers
clrex
clrex #0
clrex #7
dsb sy
dsb ish
dsb ishst
dsb ishld
dsb nsh
dsb nshst
dsb nshld
dsb osh
dsb oshst
dsb oshld
dsb ld
dsb st
dsb #8
dsb #12
ssbb
pssbb
dmb sy
dmb ish
dmb ishst
dmb ishld
dmb oshld
dmb nsh
dmb st
dmb ld
dmb #0
dmb #4
dmb #8
dmb #12
isb
isb #0
isb #14
sb
// PSTATE
cfinv
xaflag
axflag
msr UAO, #0
msr UAO, #1
msr PAN, #0
msr PAN, #1
msr SPSel, #0
msr SPSel, #1
msr SSBS, #1
msr DIT, #0
msr DIT, #1
msr DAIFSet, #2
msr DAIFSet, #15
msr DAIFClr, #3
msr DAIFClr, #0
// LLVM's generic MSR/MRS in the op0 = 0 space
msr S0_3_C2_C0_0, x0
msr S0_3_C3_C0_1, xzr
msr S0_0_C4_C0_6, xzr
msr S0_3_C1_C0_0, x5
mrs x0, S0_3_C2_C0_0
mrs x9, S0_0_C0_C0_0
// System instructions: SYS/SYSL and their aliases
sys #0, c0, c0, #0
sys #0, c0, c0, #0, x0
sys #7, c15, c15, #7, x30
sys #3, c7, c5, #2, x3
sysl x0, #0, c7, c5, #1
sysl xzr, #7, c15, c15, #7
ic ialluis
ic iallu
ic ivau, x2
ic ivau, xzr
dc ivac, x0
dc isw, x1
dc csw, x2
dc cisw, x3
dc zva, x4
dc cvac, x5
dc cvau, x1
dc cvap, x6
dc cvadp, x7
dc civac, x0
at s1e1r, x0
at s1e1w, x1
at s1e0r, x2
at s1e0w, x3
at s1e1rp, x4
at s1e1wp, x5
at s1e2r, x6
at s1e2w, x7
at s12e1r, x8
at s12e1w, x9
at s12e0r, x10
at s12e0w, x11
at s1e3r, x12
at s1e3w, x13
tlbi vmalle1is
tlbi vmalle1
tlbi vmalle1os
tlbi alle1
tlbi alle1is
tlbi alle2
tlbi alle2is
tlbi alle3
tlbi alle3os
tlbi vmalls12e1
tlbi vmalls12e1is
tlbi vae1is, x0
tlbi vae1, x1
tlbi vale1is, x2
tlbi aside1is, x3
tlbi vaae1is, x4
tlbi vaale1, x5
tlbi vae2is, x6
tlbi vale3, x7
tlbi ipas2e1is, x8
tlbi ipas2le1, x9
tlbi rvae1is, x10
tlbi rvaale1os, x11
tlbi ripas2e1, x12
tlbi rvale3os, xzr
cfp rctx, x0
dvp rctx, x1
cpp rctx, x2
// System register move
mrs x0, SP_EL0
msr SP_EL0, x0
msr TPIDR_EL1, x1
mrs x1, TPIDR_EL1
mrs x0, CNTVCT_EL0
mrs x2, CNTFRQ_EL0
mrs x3, DAIF
msr DAIF, x3
mrs x4, MIDR_EL1
mrs x5, MPIDR_EL1
mrs x6, NZCV
msr NZCV, x6
mrs x7, FPCR
msr FPCR, x7
mrs x8, FPSR
mrs x9, CurrentEL
mrs x10, ID_AA64ISAR0_EL1
mrs x11, ID_AA64ISAR1_EL1
mrs x12, ID_AA64MMFR0_EL1
mrs x13, ID_AA64PFR0_EL1
mrs x14, SCTLR_EL1
msr SCTLR_EL1, x14
mrs x15, TTBR0_EL1
msr TTBR0_EL1, x15
msr TTBR1_EL1, x16
msr CONTEXTIDR_EL1, x17
mrs x18, MDSCR_EL1
msr MDSCR_EL1, x18
mrs x19, PMCCNTR_EL0
msr PMCCNTR_EL0, x19
mrs x20, ESR_EL1
mrs x21, FAR_EL1
msr VBAR_EL1, x22
mrs x23, ELR_EL1
msr SPSR_EL1, x24
mrs x25, SPSel
msr SPSel, x25
msr PAN, x26
mrs x27, DIT
mrs x28, SSBS
mrs x29, TPIDR_EL0
msr TPIDRRO_EL0, x30
mrs xzr, CNTV_CTL_EL0
msr CNTV_CVAL_EL0, xzr
mrs x0, DBGDTRRX_EL0
msr DBGDTRTX_EL0, x0
msr OSLAR_EL1, x1
mrs x1, OSLSR_EL1
mrs x0, S3_0_C15_C2_0
msr S3_0_C15_C2_0, x0
msr S3_0_C0_C0_0, x1
mrs x1, S2_7_C15_C15_7
mrs x2, S3_7_C15_C15_7
// Unconditional branch (register)
br x0
br x30
br xzr
blr x1
blr x16
ret
ret x0
ret xzr
braaz x0
braaz xzr
brabz x17
blraaz x1
blrabz x30
retaa
retab
eret
eretaa
eretab
drps
braa x0, x1
braa x16, sp
brab x2, x3
blraa x4, x5
blraa x0, sp
blrab xzr, sp
// Unconditional branch (immediate)
b #0
b #4
b #-4
b #134217724
b #-134217728
bl #0
bl #1024
bl #-8
bl #134217724
// Compare and branch (immediate)
cbz w0, #8
cbz x30, #-8
cbnz wzr, #1048572
cbnz x1, #-1048576
// Test and branch (immediate)
tbz w0, #0, #8
tbz w1, #31, #-8
tbz x2, #32, #32764
tbz x3, #63, #-32768
tbnz w4, #5, #0
tbnz xzr, #40, #4
tbnz wzr, #1, #12
