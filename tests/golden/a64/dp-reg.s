// C4.1.95 Data Processing -- Register: every row and alias, in LLVM's printed spelling.
// Data-processing (2 source)
udiv x0, x1, x2
udiv w3, w4, wzr
sdiv x0, xzr, x30
sdiv w5, w6, w7
lsl x0, x1, x2
lsl w0, w1, w2
lsr x3, x4, x5
lsr w3, w4, w5
asr x6, x7, x8
asr wzr, w7, w8
ror x9, x10, x11
ror w9, w10, w11
pacga x0, x1, sp
pacga x0, xzr, x2
crc32b w0, w1, w2
crc32h w0, w1, w2
crc32w w0, wzr, w30
crc32x w0, w1, x2
crc32cb w0, w1, w2
crc32ch w3, w4, w5
crc32cw w0, w1, w2
crc32cx w0, w1, xzr
// Data-processing (1 source)
rbit x0, x1
rbit w0, w1
rev16 x0, x1
rev16 w0, w1
rev w0, w1
rev32 x0, x1
rev x0, x1
rev xzr, x30
clz x0, x1
clz w0, wzr
cls x0, x1
cls w0, w1
pacia x0, x1
pacia x0, sp
pacib x2, x3
pacda x4, sp
pacdb x5, x6
autia x7, x8
autib x30, sp
autda x9, x10
autdb x11, x12
paciza x0
pacizb x1
pacdza x2
pacdzb x3
autiza x4
autizb x5
autdza x6
autdzb xzr
xpaci x0
xpacd x30
// Logical (shifted register), with mov, mvn, tst
and x0, x1, x2
and w0, w1, w2, lsl #31
and x0, x1, x2, ror #63
bic x0, x1, x2, lsr #1
bic w3, w4, w5
orr x0, x1, x2, asr #4
orr x0, xzr, x1, lsl #3
orr w0, wzr, w1, ror #0
orr w0, wzr, w1, lsr #0
mov x0, x1
mov w0, wzr
mov xzr, x30
orn x0, x1, x2
orn w0, w1, w2, ror #7
mvn x0, x1
mvn x0, x1, lsl #3
mvn w0, w1, ror #5
eor x0, x1, x2, lsl #63
eor w0, w1, w2
eon x0, x1, x2, asr #2
eon w0, w1, w2
ands x0, x1, x2
ands w0, w1, w2, lsr #3
tst x1, x2
tst x1, x2, asr #2
tst w1, w2, ror #31
bics x0, x1, x2, lsl #1
bics w0, w1, w2
// Add/subtract (shifted register), with neg, negs, cmp, cmn
add x0, x1, x2
add w0, w1, w2, lsl #31
add x0, x1, x2, asr #0
add x0, xzr, x1, lsr #63
adds x0, x1, x2, lsl #1
adds w0, w1, w2
cmn x1, x2
cmn w1, w2, asr #3
sub x0, x1, x2
sub w0, w1, w2, lsr #5
neg x0, x1
neg x0, x1, lsl #2
neg w0, w1, asr #31
subs x0, x1, x2, lsl #4
subs w0, w1, w2
cmp x0, x1
cmp xzr, x1
cmp w0, w1, lsr #2
negs x0, x1
negs w0, w1, lsl #1
// Add/subtract (extended register), with cmp, cmn
add x0, sp, w1, uxtw #2
add sp, x1, x2
add x0, sp, x1
add x0, x1, x2, uxtx
add x0, x1, w2, uxtb
add x0, x1, w2, sxth #4
add x0, x1, x2, sxtx #3
add w0, wsp, w1, lsl #1
add w0, wsp, w1
add w0, w1, w2, uxtw #1
add w0, w1, w2, sxtb
add wsp, w1, w2, uxth #3
adds x0, sp, x1
adds x0, x1, w2, sxtw
adds w0, wsp, w1, lsl #4
cmn sp, x1
cmn x1, w2, uxtb #1
cmn wsp, w1, sxth
sub sp, sp, x1
sub x0, x1, w2, uxth #2
sub w0, w1, w2, sxtw
subs x0, sp, x1, lsl #2
subs x0, x1, w2, uxtb
cmp sp, x1
cmp x1, w2, uxtw
cmp x1, w2, sxtb #3
cmp wsp, w1
cmp x1, x2, sxtx
// Add/subtract (with carry), with ngc, ngcs
adc x0, x1, x2
adc w0, w1, wzr
adcs x0, x1, x2
adcs w0, w1, w2
sbc x0, x1, x2
sbc w0, w1, w2
ngc x0, x1
ngc w0, w1
sbcs x0, x1, x2
sbcs w0, w1, w2
ngcs x0, x1
ngcs w0, w1
// Rotate right into flags; evaluate into flags
rmif x0, #63, #15
rmif x1, #0, #0
rmif xzr, #3, #8
setf8 w0
setf8 wzr
setf16 w3
// Conditional compare (register, immediate)
ccmn x0, x1, #4, ne
ccmn w0, w1, #0, eq
ccmp x0, x1, #15, al
ccmp w0, w1, #8, nv
ccmn x0, #0, #0, hs
ccmn w0, #31, #15, lo
ccmp x0, #1, #2, mi
ccmp wzr, #31, #4, gt
// Conditional select, with cset, csetm, cinc, cinv, cneg
csel x0, x1, x2, eq
csel w0, w1, w2, ne
csel x0, x1, x1, eq
csinc x0, x1, x2, hs
csinc w0, w1, w2, al
csinc x0, xzr, xzr, al
csinc x0, x1, x1, nv
cset x0, ne
cset w0, lo
cinc x0, x1, ge
cinc w0, w1, eq
csinv x0, x1, x2, vs
csinv w0, wzr, w1, le
csetm x0, vc
csetm w0, lo
cinv x0, x1, lt
cinv w0, w1, hi
csneg x0, x1, x2, ls
csneg w0, w1, w2, pl
cneg x0, x1, ne
cneg x0, xzr, ne
cneg w0, w1, mi
// Data-processing (3 source), with mul, mneg, smull, smnegl, umull, umnegl
madd x0, x1, x2, x3
madd w0, w1, w2, w3
mul x0, x1, x2
mul w0, w1, w2
msub x0, x1, x2, x3
msub w0, w1, w2, w30
mneg x0, x1, x2
mneg w0, w1, w2
smaddl x0, w1, w2, x3
smull x0, w1, w2
smsubl x0, w1, w2, x3
smnegl x0, w1, w2
smulh x0, x1, x2
umaddl x0, w1, w2, x30
umull x0, w1, w2
umsubl x0, w1, w2, x3
umnegl x0, w1, w2
umulh x0, x1, x2
umulh xzr, xzr, xzr
