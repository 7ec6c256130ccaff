// C4.1.92 Data Processing -- Immediate: every row and alias, in LLVM's printed spelling.
// PC-rel. addressing
adr x0, #0
adr x30, #-1048576
adr x5, #1048575
adrp x1, #4096
adrp x29, #-4294967296
adrp xzr, #4294963200
// Add/subtract (immediate), with mov to/from sp, cmp, cmn
add x0, x1, #1
add w3, w4, #4095
add sp, x2, #16
add x0, sp, #1, lsl #12
add wsp, wsp, #0, lsl #12
mov sp, x0
mov x29, sp
mov wsp, w1
mov w2, wsp
adds x0, x1, #42
adds w0, wsp, #4095, lsl #12
cmn x1, #4
cmn wsp, #1, lsl #12
sub sp, sp, #32
sub x0, x1, #0
sub w7, w8, #7, lsl #12
subs x0, sp, #1
cmp x0, #0
cmp sp, #4095
cmp w1, #2, lsl #12
// Logical (immediate), with mov and tst
and x0, x1, #0x1
and w2, w3, #0xff
and sp, x4, #0xfffffffffffffff0
and wsp, wzr, #0x80000000
orr x0, x1, #0x5555555555555555
orr w0, w1, #0x3c3c3c3c
orr x0, xzr, #0xffff
orr w0, wzr, #0xfffeffff
orr x1, x2, #0xffff00000000ffff
mov x0, #-71777214294589696
mov w3, #16711935
mov wsp, #16711935
mov x0, #6148914691236517205
eor x0, x1, #0x8000000000000001
eor w5, w6, #0xaaaaaaaa
ands x0, x1, #0x3
ands w0, w1, #0x7ffffffe
tst x1, #0x3
tst w1, #0xfffffffe
tst xzr, #0xf0f0f0f0f0f0f0f0
// Move wide (immediate), with mov
movn w0, #65535
movn w0, #65535, lsl #16
movn x0, #0, lsl #16
movn w1, #0, lsl #16
mov x0, #-1
mov w0, #-1
mov x0, #-4294901761
mov w0, #-305397761
mov x0, #281474976710655
movz x0, #0, lsl #16
movz w0, #0, lsl #16
movz x0, #0, lsl #48
mov x0, #0
mov w0, #65536
mov w0, #-65536
mov x1, #-6067193122998190080
mov x2, #65535
movk x0, #4660, lsl #32
movk w0, #65535, lsl #16
movk x30, #0
movk xzr, #1, lsl #48
// Bitfield: sbfm, bfm, ubfm and their aliases
asr x0, x1, #63
asr w0, w1, #0
asr x2, x3, #5
sxtb x0, w1
sxtb w0, w1
sxth x0, w1
sxth w0, w1
sxtw x0, w1
sbfx x0, x1, #0, #1
sbfx w0, w1, #3, #28
sbfx x0, x1, #0, #9
sbfiz x0, x1, #59, #4
sbfiz w0, w1, #1, #31
sbfiz x5, x6, #63, #1
bfc x0, #59, #4
bfc w0, #0, #32
bfc x0, #0, #8
bfc w0, #0, #1
bfxil x0, x1, #0, #1
bfxil x0, xzr, #3, #3
bfxil w0, w1, #0, #32
bfxil w0, wzr, #1, #3
bfi x0, x1, #59, #4
bfi w3, w4, #31, #1
bfi x0, x1, #1, #63
lsr x0, x1, #0
lsr w0, w1, #31
lsr x0, x1, #4
lsl x0, x1, #1
lsl w0, w1, #31
lsl x0, x1, #63
uxtb w0, w1
uxth w0, w1
ubfx x0, x1, #0, #8
ubfx x0, x1, #0, #32
ubfx w0, w1, #0, #1
ubfx x0, x1, #62, #1
ubfiz x0, x1, #59, #4
ubfiz w0, w1, #2, #10
// Extract, with ror
extr x0, x1, x2, #3
extr w0, w1, w2, #31
extr x0, xzr, x1, #63
ror x0, x1, #3
ror w0, w1, #0
ror xzr, xzr, #1
