// C4.1.94 Loads and Stores: every row and alias of src/a64/table/ldst*.ts in LLVM's printed spelling.
// Regenerate ldst.golden with `npm run golden` and review the diff.
//
// Spellings seen in kernel code first.
stp x29, x30, [sp, #-16]!
ldp x29, x30, [sp], #16
stp x19, x20, [sp, #16]
stp q0, q1, [sp, #-32]!
ldp q0, q1, [sp], #32
ldr q0, [x1]
str q0, [x1, #16]
ldr x0, [x1]
ldr x0, [x1, #8]
ldur x0, [x1, #-8]
ldur x0, [x1, #1]
str wzr, [sp, #12]
ldr x0, [x1, x2, lsl #3]
ldr x0, [x1, x2]
ldrb w0, [x1, x2, lsl #0]
ldrb w0, [x1, w2, uxtw]
ldrb w0, [x1, w2, uxtw #0]
ldr w0, [x1, w2, sxtw #2]
ldr x0, [x1, x2, sxtx]
ldrh w0, [x1, w2, sxtw #1]
ldr q0, [x1, x2, lsl #4]
prfm pldl1keep, [x0]
prfm pstl1strm, [x0, #64]
prfm plil2keep, [x0, x1, lsl #3]
prfm #6, [x0]
prfm #31, [x0]
prfum pldl3strm, [x0, #-1]
ldr x0, #8
ldr w1, #-4
ldrsw x2, #1048572
prfm pldl1keep, #-1048576
ldr q0, #16
ldxr x0, [x1]
ldaxr w0, [x1]
stxr w2, x0, [x1]
stlxr w2, x0, [x1]
ldxp x0, x1, [x2]
stlxp w3, x0, x1, [x2]
ldar x0, [x1]
stlr w0, [sp]
ldarb w0, [x1]
stlrh w0, [x1]
ldlar x0, [x1]
stllr w0, [x1]
ldaprb w0, [x1]
ldapr x0, [x1]
ldapur x0, [x1, #-8]
stlur w0, [x1, #255]
cas w0, w1, [x2]
casal x0, x1, [sp]
caspal x0, x1, x2, x3, [x4]
casp w30, wzr, w2, w3, [x4]
ldadd w0, w1, [x2]
ldaddal x0, x1, [x2]
stadd w0, [x2]
staddl x0, [x1]
staddb w0, [x1]
stclrlh w0, [x1]
steor x5, [sp]
stset w1, [x2]
stsmax x0, [x1]
stsminl w0, [x1]
stumax w0, [x1]
stuminlb w0, [x1]
swpal w0, w1, [x2]
swp x0, xzr, [x1]
ldraa x0, [x1, #8]
ldrab x0, [x1, #-4096]!
ldtr x0, [x1, #-256]
sttrb w0, [x1]
ld1 { v0.16b }, [x0]
ld1 { v0.16b, v1.16b, v2.16b, v3.16b }, [x0], #64
ld1 { v31.2d, v0.2d }, [x0], x2
st1 { v0.2d }, [x0]
ld2 { v0.8b, v1.8b }, [x0]
st3 { v0.4h, v1.4h, v2.4h }, [x0], #24
ld4 { v0.4s, v1.4s, v2.4s, v3.4s }, [x0], #64
ld1 { v0.s }[1], [x0], #4
ld1 { v0.b }[15], [x0]
ld2 { v0.h, v1.h }[7], [x0], x3
ld3 { v0.d, v1.d, v2.d }[1], [x0], #24
st4 { v0.s, v1.s, v2.s, v3.s }[3], [x0], #16
ld1r { v0.4s }, [x0]
ld2r { v0.8b, v1.8b }, [x0], x1
ld4r { v0.1d, v1.1d, v2.1d, v3.1d }, [x0], #32
//
// Every row: all-zero fields, all-ones fields, random fields (generated from the table, checked by llvm-mc).
// ldst.ts
ldr w0, #0
ldr wzr, #-4
ldr w16, #490372
ldr x0, #0
ldr xzr, #-4
ldr x5, #941440
ldrsw x0, #0
ldrsw xzr, #-4
ldrsw x15, #-910860
prfm pldl1keep, #0
prfm #31, #-4
prfm plil2strm, #-1020872
ldr s0, #0
ldr s31, #-4
ldr s7, #-326040
ldr d0, #0
ldr d31, #-4
ldr d10, #-912060
ldr q0, #0
ldr q31, #-4
ldr q12, #702096
strb w0, [x0]
strb wzr, [sp, #4095]
strb w19, [x6, #1040]
ldrb w0, [x0]
ldrb wzr, [sp, #4095]
ldrb w21, [x6, #2133]
ldrsb x0, [x0]
ldrsb xzr, [sp, #4095]
ldrsb xzr, [x25, #528]
ldrsb w0, [x0]
ldrsb wzr, [sp, #4095]
ldrsb w0, [x7, #2421]
strh w0, [x0]
strh wzr, [sp, #8190]
strh w25, [x18, #5658]
ldrh w0, [x0]
ldrh wzr, [sp, #8190]
ldrh w11, [x8, #1416]
ldrsh x0, [x0]
ldrsh xzr, [sp, #8190]
ldrsh x13, [x14, #3044]
ldrsh w0, [x0]
ldrsh wzr, [sp, #8190]
ldrsh w13, [x13, #3766]
str w0, [x0]
str wzr, [sp, #16380]
str w18, [x7, #788]
ldr w0, [x0]
ldr wzr, [sp, #16380]
ldr w24, [x1, #10960]
ldrsw x0, [x0]
ldrsw xzr, [sp, #16380]
ldrsw x22, [x0, #12348]
str x0, [x0]
str xzr, [sp, #32760]
str x7, [x19, #16384]
ldr x0, [x0]
ldr xzr, [sp, #32760]
ldr x24, [x17, #1040]
prfm pldl1keep, [x0]
prfm #31, [sp, #32760]
prfm pstl2strm, [x20, #11248]
str b0, [x0]
str b31, [sp, #4095]
str b8, [x5, #1448]
ldr b0, [x0]
ldr b31, [sp, #4095]
ldr b7, [x25, #984]
str q0, [x0]
str q31, [sp, #65520]
str q4, [x7, #17248]
ldr q0, [x0]
ldr q31, [sp, #65520]
ldr q23, [x8, #49984]
str h0, [x0]
str h31, [sp, #8190]
str h17, [x21, #5214]
ldr h0, [x0]
ldr h31, [sp, #8190]
ldr h21, [x29, #7432]
str s0, [x0]
str s31, [sp, #16380]
str s26, [x4, #9892]
ldr s0, [x0]
ldr s31, [sp, #16380]
ldr s2, [x15, #7348]
str d0, [x0]
str d31, [sp, #32760]
str d1, [x3, #4064]
ldr d0, [x0]
ldr d31, [sp, #32760]
ldr d28, [x16, #16424]
strb wzr, [sp, xzr, sxtx #0]
strb w20, [x16, w20, sxtw]
ldrb wzr, [sp, xzr, sxtx #0]
ldrb w12, [x23, w21, sxtw #0]
ldrb w20, [x7, x25, sxtx]
ldrsb xzr, [sp, xzr, sxtx #0]
ldrsb x6, [x24, xzr]
ldrsb x20, [x28, x27, sxtx]
ldrsb wzr, [sp, xzr, sxtx #0]
ldrsb w11, [x9, w0, sxtw #0]
ldrsb w5, [x12, x22]
strh wzr, [sp, xzr, sxtx #1]
strh w19, [x20, w30, sxtw #1]
strh w13, [x1, w15, sxtw]
ldrh wzr, [sp, xzr, sxtx #1]
ldrh w8, [x0, x27, lsl #1]
ldrh w20, [x15, x0, sxtx #1]
ldrsh xzr, [sp, xzr, sxtx #1]
ldrsh x20, [x6, x7, sxtx]
ldrsh wzr, [sp, xzr, sxtx #1]
ldrsh w25, [x17, w2, uxtw #1]
ldrsh w2, [x14, x11, lsl #1]
str wzr, [sp, xzr, sxtx #2]
str w13, [x27, w12, sxtw #2]
str w8, [x11, x6, sxtx #2]
ldr wzr, [sp, xzr, sxtx #2]
ldr wzr, [x16, x17, sxtx]
ldrsw xzr, [sp, xzr, sxtx #2]
str xzr, [sp, xzr, sxtx #3]
str x27, [x8, x18, sxtx]
str x18, [x14, w26, sxtw]
ldr xzr, [sp, xzr, sxtx #3]
ldr x2, [x17, x22, lsl #3]
ldr x21, [x1, w17, uxtw]
prfm #31, [sp, xzr, sxtx #3]
prfm pstl2strm, [x14, w22, uxtw]
str b31, [sp, xzr, sxtx #0]
str b6, [x12, x23, sxtx #0]
str b20, [x14, x12, lsl #0]
ldr b31, [sp, xzr, sxtx #0]
ldr b30, [sp, x3, sxtx #0]
ldr b13, [x25, w7, uxtw]
str q31, [sp, xzr, sxtx #4]
str q31, [x16, w21, sxtw #4]
str q29, [x7, x23, sxtx]
ldr q31, [sp, xzr, sxtx #4]
ldr q29, [x27, x22]
ldr q31, [x28, w16, sxtw #4]
str h31, [sp, xzr, sxtx #1]
str h18, [x6, x11, sxtx #1]
str h22, [x1, w6, uxtw #1]
ldr h31, [sp, xzr, sxtx #1]
ldr h5, [x22, x23, sxtx #1]
str s31, [sp, xzr, sxtx #2]
str s20, [sp, w3, sxtw #2]
ldr s31, [sp, xzr, sxtx #2]
str d31, [sp, xzr, sxtx #3]
str d26, [x5, w19, sxtw]
str d12, [x30, x12, sxtx]
ldr d31, [sp, xzr, sxtx #3]
ldr d25, [x24, x9, sxtx]
ldr d17, [x14, w30, sxtw]
strb wzr, [sp, #-1]!
strb w0, [x12, #188]!
strb w10, [x19, #57]!
ldrb wzr, [sp, #-1]!
ldrb w24, [x13, #130]!
ldrb w2, [x13, #92]!
ldrsb xzr, [sp, #-1]!
ldrsb x21, [x11, #-108]!
ldrsb x20, [x23, #75]!
ldrsb wzr, [sp, #-1]!
ldrsb wzr, [x11, #-177]!
ldrsb w11, [x6, #237]!
strh wzr, [sp, #-1]!
strh w2, [x11, #-105]!
strh w7, [x19, #195]!
ldrh wzr, [sp, #-1]!
ldrh w8, [x14, #86]!
ldrh w25, [x16, #-112]!
ldrsh xzr, [sp, #-1]!
ldrsh x9, [x7, #-203]!
ldrsh x11, [x0, #-124]!
ldrsh wzr, [sp, #-1]!
ldrsh w9, [x4, #79]!
ldrsh w28, [x12, #152]!
str wzr, [sp, #-1]!
str w22, [x10, #-49]!
str w24, [x1, #-232]!
ldr wzr, [sp, #-1]!
ldr w27, [x21, #-139]!
ldr w19, [x21, #-61]!
ldrsw xzr, [sp, #-1]!
ldrsw x27, [x6, #240]!
ldrsw x30, [x10, #101]!
str xzr, [sp, #-1]!
str x19, [x28, #-39]!
str x29, [x2, #-1]!
ldr xzr, [sp, #-1]!
ldr x1, [x18, #-71]!
ldr x1, [x14, #-63]!
str b0, [x0, #0]!
str b31, [sp, #-1]!
str b17, [x17, #51]!
ldr b0, [x0, #0]!
ldr b31, [sp, #-1]!
ldr b14, [x14, #212]!
str q0, [x0, #0]!
str q31, [sp, #-1]!
str q7, [x26, #172]!
ldr q0, [x0, #0]!
ldr q31, [sp, #-1]!
ldr q17, [x20, #193]!
str h0, [x0, #0]!
str h31, [sp, #-1]!
str h5, [x6, #-55]!
ldr h0, [x0, #0]!
ldr h31, [sp, #-1]!
ldr h23, [x0, #248]!
str s0, [x0, #0]!
str s31, [sp, #-1]!
str s16, [x5, #-240]!
ldr s0, [x0, #0]!
ldr s31, [sp, #-1]!
ldr s18, [x8, #-189]!
str d0, [x0, #0]!
str d31, [sp, #-1]!
str d5, [x25, #29]!
ldr d0, [x0, #0]!
ldr d31, [sp, #-1]!
ldr d20, [x29, #244]!
strb wzr, [sp], #-1
strb w12, [x19], #220
strb w5, [x13], #51
ldrb wzr, [sp], #-1
ldrb w15, [x8], #174
ldrb w28, [x26], #-199
ldrsb xzr, [sp], #-1
ldrsb x28, [x23], #134
ldrsb x29, [x6], #-89
ldrsb wzr, [sp], #-1
ldrsb w3, [x11], #255
ldrsb w8, [sp], #-90
strh wzr, [sp], #-1
strh w19, [x18], #-237
strh w1, [x29], #-238
ldrh wzr, [sp], #-1
ldrh w16, [x15], #201
ldrh w21, [x0], #99
ldrsh xzr, [sp], #-1
ldrsh x18, [x6], #-182
ldrsh xzr, [x2], #-15
ldrsh wzr, [sp], #-1
ldrsh w13, [x8], #-70
ldrsh wzr, [x19], #45
str wzr, [sp], #-1
str w10, [x27], #-30
str w19, [x0], #-157
ldr wzr, [sp], #-1
ldr w2, [x15], #-75
ldr w0, [x21], #114
ldrsw xzr, [sp], #-1
ldrsw x12, [x19], #236
ldrsw x1, [x9], #-199
str xzr, [sp], #-1
str x17, [x10], #11
str x11, [x10], #-243
ldr xzr, [sp], #-1
ldr x11, [x17], #210
ldr x16, [x30], #-175
str b0, [x0], #0
str b31, [sp], #-1
str b5, [x4], #72
ldr b0, [x0], #0
ldr b31, [sp], #-1
ldr b25, [x24], #-249
str q0, [x0], #0
str q31, [sp], #-1
str q26, [x15], #-189
ldr q0, [x0], #0
ldr q31, [sp], #-1
ldr q11, [x5], #222
str h0, [x0], #0
str h31, [sp], #-1
str h25, [x6], #102
ldr h0, [x0], #0
ldr h31, [sp], #-1
ldr h16, [x26], #168
str s0, [x0], #0
str s31, [sp], #-1
str s20, [x27], #70
ldr s0, [x0], #0
ldr s31, [sp], #-1
ldr s7, [x24], #-217
str d0, [x0], #0
str d31, [sp], #-1
str d28, [x1], #-106
ldr d0, [x0], #0
ldr d31, [sp], #-1
ldr d3, [x3], #143
sturb w0, [x0]
sturb wzr, [sp, #-1]
sturb w5, [x7, #-59]
ldurb w0, [x0]
ldurb wzr, [sp, #-1]
ldurb w8, [x13, #213]
ldursb x0, [x0]
ldursb xzr, [sp, #-1]
ldursb x9, [x26, #-245]
ldursb w0, [x0]
ldursb wzr, [sp, #-1]
ldursb w16, [x6, #161]
sturh w0, [x0]
sturh wzr, [sp, #-1]
sturh w30, [x28, #16]
ldurh w0, [x0]
ldurh wzr, [sp, #-1]
ldurh w16, [x2, #-165]
ldursh x0, [x0]
ldursh xzr, [sp, #-1]
ldursh x24, [x24, #107]
ldursh w0, [x0]
ldursh wzr, [sp, #-1]
ldursh w16, [x29, #-214]
stur w0, [x0]
stur wzr, [sp, #-1]
stur w7, [x17, #-175]
ldur w0, [x0]
ldur wzr, [sp, #-1]
ldur w18, [x28, #237]
ldursw x0, [x0]
ldursw xzr, [sp, #-1]
ldursw x22, [x9, #-10]
stur x0, [x0]
stur xzr, [sp, #-1]
stur x22, [x26, #110]
ldur x0, [x0]
ldur xzr, [sp, #-1]
ldur x21, [x8, #130]
prfum pldl1keep, [x0]
prfum #31, [sp, #-1]
prfum #24, [x15, #-35]
stur b0, [x0]
stur b31, [sp, #-1]
stur b26, [x23, #-233]
ldur b0, [x0]
ldur b31, [sp, #-1]
ldur b30, [x1, #-71]
stur q0, [x0]
stur q31, [sp, #-1]
stur q27, [x21, #-16]
ldur q0, [x0]
ldur q31, [sp, #-1]
ldur q27, [x12, #-173]
stur h0, [x0]
stur h31, [sp, #-1]
stur h9, [sp, #-22]
ldur h0, [x0]
ldur h31, [sp, #-1]
ldur h1, [x11, #78]
stur s0, [x0]
stur s31, [sp, #-1]
stur s24, [sp, #-57]
ldur s0, [x0]
ldur s31, [sp, #-1]
ldur s30, [x12, #78]
stur d0, [x0]
stur d31, [sp, #-1]
stur d2, [x21, #95]
ldur d0, [x0]
ldur d31, [sp, #-1]
ldur d12, [x9, #-158]
sttrb w0, [x0]
sttrb wzr, [sp, #-1]
sttrb w19, [x0, #-182]
ldtrb w0, [x0]
ldtrb wzr, [sp, #-1]
ldtrb w8, [x3, #-99]
ldtrsb x0, [x0]
ldtrsb xzr, [sp, #-1]
ldtrsb x25, [x20, #-36]
ldtrsb w0, [x0]
ldtrsb wzr, [sp, #-1]
ldtrsb w25, [x28, #-58]
sttrh w0, [x0]
sttrh wzr, [sp, #-1]
sttrh w28, [x6, #-58]
ldtrh w0, [x0]
ldtrh wzr, [sp, #-1]
ldtrh w0, [x28, #-8]
ldtrsh x0, [x0]
ldtrsh xzr, [sp, #-1]
ldtrsh x15, [x0, #226]
ldtrsh w0, [x0]
ldtrsh wzr, [sp, #-1]
ldtrsh w15, [x16, #-103]
sttr w0, [x0]
sttr wzr, [sp, #-1]
sttr w16, [x5, #-50]
ldtr w0, [x0]
ldtr wzr, [sp, #-1]
ldtr wzr, [x24, #-117]
ldtrsw x0, [x0]
ldtrsw xzr, [sp, #-1]
ldtrsw x2, [x15, #-126]
sttr x0, [x0]
sttr xzr, [sp, #-1]
sttr x27, [x15, #178]
ldtr x0, [x0]
ldtr xzr, [sp, #-1]
ldtr x28, [x29, #215]
ldraa x0, [x0]
ldraa xzr, [sp, #-8]
ldraa x29, [x29, #632]
ldraa xzr, [sp, #-8]!
ldraa x25, [x26, #-4016]!
ldraa x7, [x26, #1048]!
ldrab x0, [x0]
ldrab xzr, [sp, #-8]
ldrab x20, [x15, #2584]
ldrab xzr, [sp, #-8]!
ldrab x15, [x8, #-1384]!
ldrab x30, [x1, #-776]!
// ldst-pair.ts
stp w0, w0, [x0]
stp wzr, wzr, [sp, #-4]
stp w15, w10, [x13, #-156]
ldp w19, w6, [x22, #-216]
ldp w0, w30, [x3, #232]
ldp w25, w28, [x23, #96]
ldpsw x5, x4, [x27, #96]
ldpsw x23, x3, [x27, #-112]
ldpsw x8, x2, [x10, #-28]
stp x0, x0, [x0]
stp xzr, xzr, [sp, #-8]
stp x12, x9, [x12, #-232]
ldp x20, x18, [x24, #368]
ldp x25, x0, [x13, #96]
ldp x7, x23, [x1, #-136]
stp s0, s0, [x0]
stp s31, s31, [sp, #-4]
stp s5, s19, [x27, #-116]
ldp s9, s6, [x27, #80]
ldp s17, s24, [x8, #20]
ldp s8, s0, [x8, #-112]
stp d0, d0, [x0]
stp d31, d31, [sp, #-8]
stp d7, d1, [x5, #-216]
ldp d11, d22, [x23, #-32]
ldp d29, d9, [x28, #-88]
ldp d31, d9, [x3, #504]
stp q0, q0, [x0]
stp q31, q31, [sp, #-16]
stp q27, q6, [x18, #688]
ldp q8, q31, [x2, #-208]
ldp q23, q12, [x2, #-272]
ldp q18, q15, [x19, #-368]
stp wzr, wzr, [sp, #-4]!
stp w14, w22, [x20, #-224]!
stp w26, w20, [x12, #-12]!
ldp wzr, wzr, [sp, #-4]!
ldp w2, w27, [x0, #40]!
ldp w9, w26, [x29, #20]!
ldpsw xzr, xzr, [sp, #-4]!
ldpsw x26, x7, [x2, #-76]!
ldpsw x19, x9, [x1, #224]!
stp xzr, xzr, [sp, #-8]!
stp x29, x19, [x1, #-352]!
stp xzr, x28, [x0, #328]!
ldp xzr, xzr, [sp, #-8]!
ldp x25, x30, [x5, #256]!
ldp x11, x6, [sp, #264]!
stp s0, s0, [x0, #0]!
stp s31, s31, [sp, #-4]!
stp s28, s24, [x5, #-144]!
ldp s17, s8, [x1, #40]!
ldp s12, s9, [x22, #-28]!
ldp s9, s20, [x24, #-144]!
stp d0, d0, [x0, #0]!
stp d31, d31, [sp, #-8]!
stp d25, d12, [x11, #-256]!
ldp d16, d26, [x12, #-448]!
ldp d11, d10, [x7, #-128]!
ldp d13, d2, [x17, #-344]!
stp q0, q0, [x0, #0]!
stp q31, q31, [sp, #-16]!
stp q9, q12, [x2, #368]!
ldp q24, q2, [x3, #96]!
ldp q22, q8, [x8, #96]!
ldp q31, q19, [x29, #-912]!
stp wzr, wzr, [sp], #-4
stp w2, w14, [x5], #-40
stp w28, w10, [x15], #212
ldp wzr, wzr, [sp], #-4
ldp w24, w17, [x23], #188
ldp w3, w15, [x9], #-68
ldpsw x17, x26, [x2], #-104
ldpsw x9, x29, [x15], #-8
ldpsw x26, x6, [x21], #-204
stp xzr, xzr, [sp], #-8
stp x12, x18, [x23], #320
stp x24, x3, [x13], #248
ldp xzr, xzr, [sp], #-8
ldp x7, x7, [x12], #-360
ldp x0, x17, [x5], #-432
stp s0, s0, [x0], #0
stp s31, s31, [sp], #-4
stp s2, s0, [sp], #48
ldp s14, s11, [x0], #-196
ldp s9, s14, [x15], #36
ldp s2, s17, [x29], #-128
stp d0, d0, [x0], #0
stp d31, d31, [sp], #-8
stp d8, d28, [x28], #416
ldp d31, d10, [x12], #256
ldp d1, d31, [x11], #-344
ldp d16, d8, [x10], #144
stp q0, q0, [x0], #0
stp q31, q31, [sp], #-16
stp q1, q26, [x10], #-736
ldp q8, q29, [x9], #864
ldp q7, q12, [x27], #688
ldp q12, q9, [x28], #-848
stnp w0, w0, [x0]
stnp wzr, wzr, [sp, #-4]
stnp w13, w12, [x26, #-112]
ldnp w0, w0, [x0]
ldnp wzr, wzr, [sp, #-4]
ldnp w13, w25, [x18, #92]
stnp x0, x0, [x0]
stnp xzr, xzr, [sp, #-8]
stnp x7, x11, [sp, #360]
ldnp x0, x0, [x0]
ldnp xzr, xzr, [sp, #-8]
ldnp x25, x10, [x28, #416]
stnp s0, s0, [x0]
stnp s31, s31, [sp, #-4]
stnp s30, s10, [x9, #-136]
ldnp s0, s0, [x0]
ldnp s31, s31, [sp, #-4]
ldnp s10, s11, [x23, #228]
stnp d0, d0, [x0]
stnp d31, d31, [sp, #-8]
stnp d12, d19, [x23, #240]
ldnp d0, d0, [x0]
ldnp d31, d31, [sp, #-8]
ldnp d3, d21, [x16, #160]
stnp q0, q0, [x0]
stnp q31, q31, [sp, #-16]
stnp q10, q2, [x1, #-816]
ldnp q0, q0, [x0]
ldnp q31, q31, [sp, #-16]
ldnp q22, q12, [x21, #-848]
// ldst-atomic.ts
stxrb wzr, w0, [x0]
stxrb wzr, w2, [x28]
stxrb wzr, w26, [x13]
stxrh wzr, w0, [x0]
stxrh wzr, w13, [x3]
stxrh wzr, w20, [x13]
stxr wzr, w0, [x0]
stxr wzr, w10, [x4]
stxr wzr, w9, [x2]
stxr wzr, x0, [x0]
stxr wzr, x21, [x18]
stxr wzr, x21, [x25]
stlxrb wzr, w0, [x0]
stlxrb wzr, w21, [x4]
stlxrb wzr, w13, [x30]
stlxrh wzr, w0, [x0]
stlxrh wzr, w0, [x23]
stlxrh wzr, w1, [x19]
stlxr wzr, w0, [x0]
stlxr wzr, w14, [x6]
stlxr wzr, w4, [x12]
stlxr wzr, x0, [x0]
stlxr wzr, x1, [x13]
stlxr wzr, x0, [x22]
ldxrb w0, [x0]
ldxrb wzr, [sp]
ldxrb w17, [x2]
ldxrh w0, [x0]
ldxrh wzr, [sp]
ldxrh w7, [x20]
ldxr w0, [x0]
ldxr wzr, [sp]
ldxr w4, [x26]
ldxr x0, [x0]
ldxr xzr, [sp]
ldxr x17, [x18]
ldaxrb w0, [x0]
ldaxrb wzr, [sp]
ldaxrb w27, [x23]
ldaxrh w0, [x0]
ldaxrh wzr, [sp]
ldaxrh w30, [x29]
ldaxr w0, [x0]
ldaxr wzr, [sp]
ldaxr w21, [x15]
ldaxr x0, [x0]
ldaxr xzr, [sp]
ldaxr x24, [x13]
stxp wzr, w0, w0, [x0]
stxp wzr, w18, w22, [x0]
stxp wzr, w27, w18, [x15]
stxp wzr, x0, x0, [x0]
stxp wzr, x2, x3, [x24]
stxp wzr, x0, x26, [x25]
stlxp wzr, w0, w0, [x0]
stlxp wzr, w0, w3, [x22]
stlxp wzr, w22, w14, [x28]
stlxp wzr, x0, x0, [x0]
stlxp wzr, x14, x12, [x8]
stlxp wzr, x17, x21, [x3]
ldxp w0, w0, [x0]
ldxp wzr, wzr, [sp]
ldxp w25, w14, [x7]
ldxp x0, x0, [x0]
ldxp xzr, xzr, [sp]
ldxp x1, x27, [x16]
ldaxp w0, w0, [x0]
ldaxp wzr, wzr, [sp]
ldaxp w30, w9, [x24]
ldaxp x0, x0, [x0]
ldaxp xzr, xzr, [sp]
ldaxp x19, xzr, [sp]
casp w0, w1, w0, w1, [x0]
casp x0, x1, x0, x1, [x0]
caspl w0, w1, w0, w1, [x0]
caspl w2, w3, w12, w13, [sp]
caspl x0, x1, x0, x1, [x0]
caspa w0, w1, w0, w1, [x0]
caspa x0, x1, x0, x1, [x0]
caspal w0, w1, w0, w1, [x0]
caspal w0, w1, w18, w19, [x21]
caspal x0, x1, x0, x1, [x0]
caspal x2, x3, x14, x15, [x12]
stllrb w0, [x0]
stllrb wzr, [sp]
stllrb w21, [x1]
stllrh w0, [x0]
stllrh wzr, [sp]
stllrh w27, [x0]
stllr w0, [x0]
stllr wzr, [sp]
stllr w9, [x28]
stllr x0, [x0]
stllr xzr, [sp]
stllr x11, [x13]
stlrb w0, [x0]
stlrb wzr, [sp]
stlrb w25, [x25]
stlrh w0, [x0]
stlrh wzr, [sp]
stlrh w2, [x0]
stlr w0, [x0]
stlr wzr, [sp]
stlr w2, [sp]
stlr x0, [x0]
stlr xzr, [sp]
stlr x14, [x20]
ldlarb w0, [x0]
ldlarb wzr, [sp]
ldlarb w26, [x25]
ldlarh w0, [x0]
ldlarh wzr, [sp]
ldlarh w13, [x5]
ldlar w0, [x0]
ldlar wzr, [sp]
ldlar w24, [x25]
ldlar x0, [x0]
ldlar xzr, [sp]
ldlar x23, [x5]
ldarb w0, [x0]
ldarb wzr, [sp]
ldarb w13, [x16]
ldarh w0, [x0]
ldarh wzr, [sp]
ldarh w17, [x5]
ldar w0, [x0]
ldar wzr, [sp]
ldar w17, [x11]
ldar x0, [x0]
ldar xzr, [sp]
ldar x21, [x26]
casb w0, w0, [x0]
casb wzr, wzr, [sp]
casb w1, w16, [x20]
cash w0, w0, [x0]
cash wzr, wzr, [sp]
cash w25, w12, [x8]
cas w0, w0, [x0]
cas wzr, wzr, [sp]
cas w29, w1, [x14]
cas x0, x0, [x0]
cas xzr, xzr, [sp]
cas x15, x0, [x0]
caslb w0, w0, [x0]
caslb wzr, wzr, [sp]
caslb w20, w8, [x19]
caslh w0, w0, [x0]
caslh wzr, wzr, [sp]
caslh w3, w11, [x20]
casl w0, w0, [x0]
casl wzr, wzr, [sp]
casl w8, w30, [x27]
casl x0, x0, [x0]
casl xzr, xzr, [sp]
casl x17, x23, [x18]
casab w0, w0, [x0]
casab wzr, wzr, [sp]
casab w11, w17, [x15]
casah w0, w0, [x0]
casah wzr, wzr, [sp]
casah w6, w1, [x3]
casa w0, w0, [x0]
casa wzr, wzr, [sp]
casa w8, w18, [x8]
casa x0, x0, [x0]
casa xzr, xzr, [sp]
casa x26, x24, [x26]
casalb w0, w0, [x0]
casalb wzr, wzr, [sp]
casalb w4, w28, [x21]
casalh w0, w0, [x0]
casalh wzr, wzr, [sp]
casalh w0, w7, [x7]
casal w0, w0, [x0]
casal wzr, wzr, [sp]
casal w20, w12, [x2]
casal x0, x0, [x0]
casal xzr, xzr, [sp]
casal x8, x5, [x19]
stlurb w0, [x0]
stlurb wzr, [sp, #-1]
stlurb w28, [x28, #54]
ldapurb w0, [x0]
ldapurb wzr, [sp, #-1]
ldapurb w21, [x7, #183]
ldapursb x0, [x0]
ldapursb xzr, [sp, #-1]
ldapursb x6, [sp, #-56]
ldapursb w0, [x0]
ldapursb wzr, [sp, #-1]
ldapursb w10, [x6, #-119]
stlurh w0, [x0]
stlurh wzr, [sp, #-1]
stlurh w13, [x21, #2]
ldapurh w0, [x0]
ldapurh wzr, [sp, #-1]
ldapurh w22, [x30, #-174]
ldapursh x0, [x0]
ldapursh xzr, [sp, #-1]
ldapursh x9, [x14, #-151]
ldapursh w0, [x0]
ldapursh wzr, [sp, #-1]
ldapursh w5, [x20, #-234]
stlur w0, [x0]
stlur wzr, [sp, #-1]
stlur w8, [x12, #176]
ldapur w0, [x0]
ldapur wzr, [sp, #-1]
ldapur w4, [x11, #206]
ldapursw x0, [x0]
ldapursw xzr, [sp, #-1]
ldapursw x26, [x3, #85]
stlur x0, [x0]
stlur xzr, [sp, #-1]
stlur x5, [x1, #84]
ldapur x0, [x0]
ldapur xzr, [sp, #-1]
ldapur x23, [x14, #-90]
ldaddb w0, w0, [x0]
staddb wzr, [sp]
ldaddb w8, w16, [x2]
ldaddh w0, w0, [x0]
staddh wzr, [sp]
ldaddh w20, w20, [x18]
ldadd w0, w0, [x0]
stadd wzr, [sp]
ldadd w9, w19, [x16]
ldadd x0, x0, [x0]
stadd xzr, [sp]
ldadd x20, x29, [x13]
ldaddab w0, w0, [x0]
ldaddab wzr, wzr, [sp]
ldaddab w11, w25, [x24]
ldaddah w0, w0, [x0]
ldaddah wzr, wzr, [sp]
ldaddah w22, w7, [x5]
ldadda w0, w0, [x0]
ldadda wzr, wzr, [sp]
ldadda w10, w22, [x15]
ldadda x0, x0, [x0]
ldadda xzr, xzr, [sp]
ldadda x13, x4, [x20]
ldaddalb w0, w0, [x0]
ldaddalb wzr, wzr, [sp]
ldaddalb w28, w26, [x26]
ldaddalh w0, w0, [x0]
ldaddalh wzr, wzr, [sp]
ldaddalh w10, w15, [x21]
ldaddal w0, w0, [x0]
ldaddal wzr, wzr, [sp]
ldaddal w4, w4, [x25]
ldaddal x0, x0, [x0]
ldaddal xzr, xzr, [sp]
ldaddal x28, x6, [x20]
ldaddlb w0, w0, [x0]
staddlb wzr, [sp]
ldaddlb w14, w23, [x12]
ldaddlh w0, w0, [x0]
staddlh wzr, [sp]
ldaddlh wzr, w3, [x8]
ldaddl w0, w0, [x0]
staddl wzr, [sp]
ldaddl w18, w11, [x20]
ldaddl x0, x0, [x0]
staddl xzr, [sp]
ldaddl x25, x13, [x17]
ldclrb w0, w0, [x0]
stclrb wzr, [sp]
ldclrb w9, w26, [x23]
ldclrh w0, w0, [x0]
stclrh wzr, [sp]
ldclrh w4, w13, [x0]
ldclr w0, w0, [x0]
stclr wzr, [sp]
ldclr w18, w29, [x8]
ldclr x0, x0, [x0]
stclr xzr, [sp]
ldclr x5, x8, [x11]
ldclrab w0, w0, [x0]
ldclrab wzr, wzr, [sp]
ldclrab w28, w28, [x26]
ldclrah w0, w0, [x0]
ldclrah wzr, wzr, [sp]
ldclrah w6, w1, [x6]
ldclra w0, w0, [x0]
ldclra wzr, wzr, [sp]
ldclra w30, w22, [sp]
ldclra x0, x0, [x0]
ldclra xzr, xzr, [sp]
ldclra x8, x5, [x30]
ldclralb w0, w0, [x0]
ldclralb wzr, wzr, [sp]
ldclralb w24, w27, [x28]
ldclralh w0, w0, [x0]
ldclralh wzr, wzr, [sp]
ldclralh w22, w0, [x26]
ldclral w0, w0, [x0]
ldclral wzr, wzr, [sp]
ldclral w25, w11, [sp]
ldclral x0, x0, [x0]
ldclral xzr, xzr, [sp]
ldclral x25, x7, [x5]
ldclrlb w0, w0, [x0]
stclrlb wzr, [sp]
ldclrlb w25, w17, [x10]
ldclrlh w0, w0, [x0]
stclrlh wzr, [sp]
ldclrlh w15, w26, [x7]
ldclrl w0, w0, [x0]
stclrl wzr, [sp]
ldclrl w10, w2, [x3]
ldclrl x0, x0, [x0]
stclrl xzr, [sp]
ldclrl x16, x16, [x26]
ldeorb w0, w0, [x0]
steorb wzr, [sp]
ldeorb w15, w28, [x4]
ldeorh w0, w0, [x0]
steorh wzr, [sp]
ldeorh w15, w28, [x30]
ldeor w0, w0, [x0]
steor wzr, [sp]
ldeor w16, w26, [x23]
ldeor x0, x0, [x0]
steor xzr, [sp]
ldeor x22, x22, [x0]
ldeorab w0, w0, [x0]
ldeorab wzr, wzr, [sp]
ldeorab w19, w21, [x22]
ldeorah w0, w0, [x0]
ldeorah wzr, wzr, [sp]
ldeorah w28, w7, [x16]
ldeora w0, w0, [x0]
ldeora wzr, wzr, [sp]
ldeora w21, w21, [x13]
ldeora x0, x0, [x0]
ldeora xzr, xzr, [sp]
ldeora x12, x15, [x18]
ldeoralb w0, w0, [x0]
ldeoralb wzr, wzr, [sp]
ldeoralb w16, w21, [x1]
ldeoralh w0, w0, [x0]
ldeoralh wzr, wzr, [sp]
ldeoralh w29, w30, [x17]
ldeoral w0, w0, [x0]
ldeoral wzr, wzr, [sp]
ldeoral w15, w11, [x6]
ldeoral x0, x0, [x0]
ldeoral xzr, xzr, [sp]
ldeoral x11, x1, [x7]
ldeorlb w0, w0, [x0]
steorlb wzr, [sp]
ldeorlb w27, w23, [x20]
ldeorlh w0, w0, [x0]
steorlh wzr, [sp]
ldeorlh w23, w30, [x1]
ldeorl w0, w0, [x0]
steorl wzr, [sp]
ldeorl w19, w19, [x13]
ldeorl x0, x0, [x0]
steorl xzr, [sp]
ldeorl x1, x3, [x14]
ldsetb w0, w0, [x0]
stsetb wzr, [sp]
ldsetb wzr, w9, [x6]
ldseth w0, w0, [x0]
stseth wzr, [sp]
ldseth w23, w10, [x8]
ldset w0, w0, [x0]
stset wzr, [sp]
ldset w16, w23, [x2]
ldset x0, x0, [x0]
stset xzr, [sp]
ldset x26, x21, [x2]
ldsetab w0, w0, [x0]
ldsetab wzr, wzr, [sp]
ldsetab w15, w20, [x21]
ldsetah w0, w0, [x0]
ldsetah wzr, wzr, [sp]
ldsetah w1, w8, [x12]
ldseta w0, w0, [x0]
ldseta wzr, wzr, [sp]
ldseta w13, w14, [x15]
ldseta x0, x0, [x0]
ldseta xzr, xzr, [sp]
ldseta x25, x27, [x7]
ldsetalb w0, w0, [x0]
ldsetalb wzr, wzr, [sp]
ldsetalb w1, w5, [x9]
ldsetalh w0, w0, [x0]
ldsetalh wzr, wzr, [sp]
ldsetalh w26, w15, [x22]
ldsetal w0, w0, [x0]
ldsetal wzr, wzr, [sp]
ldsetal w24, w0, [x20]
ldsetal x0, x0, [x0]
ldsetal xzr, xzr, [sp]
ldsetal x4, x7, [x2]
ldsetlb w0, w0, [x0]
stsetlb wzr, [sp]
ldsetlb w6, w11, [x28]
ldsetlh w0, w0, [x0]
stsetlh wzr, [sp]
ldsetlh w8, w11, [x0]
ldsetl w0, w0, [x0]
stsetl wzr, [sp]
ldsetl w30, w19, [x4]
ldsetl x0, x0, [x0]
stsetl xzr, [sp]
ldsetl x7, x10, [x0]
ldsmaxb w0, w0, [x0]
stsmaxb wzr, [sp]
ldsmaxb w3, w27, [x16]
ldsmaxh w0, w0, [x0]
stsmaxh wzr, [sp]
ldsmaxh w17, w5, [x9]
ldsmax w0, w0, [x0]
stsmax wzr, [sp]
ldsmax w22, w1, [x0]
ldsmax x0, x0, [x0]
stsmax xzr, [sp]
ldsmax xzr, x6, [x19]
ldsmaxab w0, w0, [x0]
ldsmaxab wzr, wzr, [sp]
ldsmaxab w10, w1, [x18]
ldsmaxah w0, w0, [x0]
ldsmaxah wzr, wzr, [sp]
ldsmaxah w8, w23, [x12]
ldsmaxa w0, w0, [x0]
ldsmaxa wzr, wzr, [sp]
ldsmaxa w11, w1, [x17]
ldsmaxa x0, x0, [x0]
ldsmaxa xzr, xzr, [sp]
ldsmaxa x8, x25, [x11]
ldsmaxalb w0, w0, [x0]
ldsmaxalb wzr, wzr, [sp]
ldsmaxalb w21, w25, [x12]
ldsmaxalh w0, w0, [x0]
ldsmaxalh wzr, wzr, [sp]
ldsmaxalh w13, w12, [x12]
ldsmaxal w0, w0, [x0]
ldsmaxal wzr, wzr, [sp]
ldsmaxal w13, w0, [x20]
ldsmaxal x0, x0, [x0]
ldsmaxal xzr, xzr, [sp]
ldsmaxal x22, x24, [sp]
ldsmaxlb w0, w0, [x0]
stsmaxlb wzr, [sp]
ldsmaxlb w25, w17, [x14]
ldsmaxlh w0, w0, [x0]
stsmaxlh wzr, [sp]
ldsmaxlh w19, w0, [x14]
ldsmaxl w0, w0, [x0]
stsmaxl wzr, [sp]
ldsmaxl w2, w14, [x3]
ldsmaxl x0, x0, [x0]
stsmaxl xzr, [sp]
ldsmaxl x10, x28, [x17]
ldsminb w0, w0, [x0]
stsminb wzr, [sp]
ldsminb w19, w3, [x11]
ldsminh w0, w0, [x0]
stsminh wzr, [sp]
ldsminh w9, w1, [x2]
ldsmin w0, w0, [x0]
stsmin wzr, [sp]
ldsmin w8, w5, [x18]
ldsmin x0, x0, [x0]
stsmin xzr, [sp]
ldsmin x1, x8, [x21]
ldsminab w0, w0, [x0]
ldsminab wzr, wzr, [sp]
ldsminab w20, w17, [x22]
ldsminah w0, w0, [x0]
ldsminah wzr, wzr, [sp]
ldsminah w13, w29, [x6]
ldsmina w0, w0, [x0]
ldsmina wzr, wzr, [sp]
ldsmina w12, w29, [x14]
ldsmina x0, x0, [x0]
ldsmina xzr, xzr, [sp]
ldsmina x30, x18, [x9]
ldsminalb w0, w0, [x0]
ldsminalb wzr, wzr, [sp]
ldsminalb w15, w6, [x13]
ldsminalh w0, w0, [x0]
ldsminalh wzr, wzr, [sp]
ldsminalh w28, w8, [x29]
ldsminal w0, w0, [x0]
ldsminal wzr, wzr, [sp]
ldsminal w21, w1, [x7]
ldsminal x0, x0, [x0]
ldsminal xzr, xzr, [sp]
ldsminal x5, x9, [x15]
ldsminlb w0, w0, [x0]
stsminlb wzr, [sp]
ldsminlb w22, w3, [x3]
ldsminlh w0, w0, [x0]
stsminlh wzr, [sp]
ldsminlh w20, w14, [x17]
ldsminl w0, w0, [x0]
stsminl wzr, [sp]
ldsminl w1, w12, [x24]
ldsminl x0, x0, [x0]
stsminl xzr, [sp]
ldsminl x8, x23, [x28]
ldumaxb w0, w0, [x0]
stumaxb wzr, [sp]
ldumaxb w28, w20, [x16]
ldumaxh w0, w0, [x0]
stumaxh wzr, [sp]
ldumaxh w5, w15, [x13]
ldumax w0, w0, [x0]
stumax wzr, [sp]
ldumax w18, w28, [x12]
ldumax x0, x0, [x0]
stumax xzr, [sp]
ldumax x11, x25, [x17]
ldumaxab w0, w0, [x0]
ldumaxab wzr, wzr, [sp]
ldumaxab w29, w15, [x18]
ldumaxah w0, w0, [x0]
ldumaxah wzr, wzr, [sp]
ldumaxah w22, w3, [x13]
ldumaxa w0, w0, [x0]
ldumaxa wzr, wzr, [sp]
ldumaxa w2, w4, [x3]
ldumaxa x0, x0, [x0]
ldumaxa xzr, xzr, [sp]
ldumaxa x24, x1, [x26]
ldumaxalb w0, w0, [x0]
ldumaxalb wzr, wzr, [sp]
ldumaxalb w27, w22, [x22]
ldumaxalh w0, w0, [x0]
ldumaxalh wzr, wzr, [sp]
ldumaxalh w28, w13, [x10]
ldumaxal w0, w0, [x0]
ldumaxal wzr, wzr, [sp]
ldumaxal w13, w9, [x28]
ldumaxal x0, x0, [x0]
ldumaxal xzr, xzr, [sp]
ldumaxal x10, x7, [x0]
ldumaxlb w0, w0, [x0]
stumaxlb wzr, [sp]
ldumaxlb w20, w18, [x20]
ldumaxlh w0, w0, [x0]
stumaxlh wzr, [sp]
ldumaxlh w0, w25, [x11]
ldumaxl w0, w0, [x0]
stumaxl wzr, [sp]
ldumaxl w10, w17, [x17]
ldumaxl x0, x0, [x0]
stumaxl xzr, [sp]
ldumaxl x4, x6, [x17]
lduminb w0, w0, [x0]
stuminb wzr, [sp]
lduminb w18, w9, [x17]
lduminh w0, w0, [x0]
stuminh wzr, [sp]
lduminh w11, w25, [x26]
ldumin w0, w0, [x0]
stumin wzr, [sp]
ldumin w4, w9, [x15]
ldumin x0, x0, [x0]
stumin xzr, [sp]
ldumin xzr, x13, [x7]
lduminab w0, w0, [x0]
lduminab wzr, wzr, [sp]
lduminab w18, w13, [x5]
lduminah w0, w0, [x0]
lduminah wzr, wzr, [sp]
lduminah w0, w8, [x4]
ldumina w0, w0, [x0]
ldumina wzr, wzr, [sp]
ldumina w19, w8, [sp]
ldumina x0, x0, [x0]
ldumina xzr, xzr, [sp]
ldumina x16, x24, [x10]
lduminalb w0, w0, [x0]
lduminalb wzr, wzr, [sp]
lduminalb w24, w17, [x30]
lduminalh w0, w0, [x0]
lduminalh wzr, wzr, [sp]
lduminalh w14, w10, [x26]
lduminal w0, w0, [x0]
lduminal wzr, wzr, [sp]
lduminal wzr, w6, [x24]
lduminal x0, x0, [x0]
lduminal xzr, xzr, [sp]
lduminal x12, x5, [x2]
lduminlb w0, w0, [x0]
stuminlb wzr, [sp]
lduminlb w3, w29, [x24]
lduminlh w0, w0, [x0]
stuminlh wzr, [sp]
lduminlh w2, w11, [x13]
lduminl w0, w0, [x0]
stuminl wzr, [sp]
lduminl w12, w19, [x6]
lduminl x0, x0, [x0]
stuminl xzr, [sp]
lduminl x11, x27, [x9]
swpb w0, w0, [x0]
swpb wzr, wzr, [sp]
swpb w30, w13, [x27]
swph w0, w0, [x0]
swph wzr, wzr, [sp]
swph w29, w21, [x11]
swp w0, w0, [x0]
swp wzr, wzr, [sp]
swp wzr, w2, [x1]
swp x0, x0, [x0]
swp xzr, xzr, [sp]
swp x29, x21, [sp]
swpab w0, w0, [x0]
swpab wzr, wzr, [sp]
swpab w3, w29, [x27]
swpah w0, w0, [x0]
swpah wzr, wzr, [sp]
swpah w24, wzr, [x15]
swpa w0, w0, [x0]
swpa wzr, wzr, [sp]
swpa w8, w16, [x7]
swpa x0, x0, [x0]
swpa xzr, xzr, [sp]
swpa x19, x11, [x30]
swpalb w0, w0, [x0]
swpalb wzr, wzr, [sp]
swpalb w20, w29, [x2]
swpalh w0, w0, [x0]
swpalh wzr, wzr, [sp]
swpalh w26, wzr, [x6]
swpal w0, w0, [x0]
swpal wzr, wzr, [sp]
swpal w11, w24, [x27]
swpal x0, x0, [x0]
swpal xzr, xzr, [sp]
swpal x16, x4, [x16]
swplb w0, w0, [x0]
swplb wzr, wzr, [sp]
swplb w11, w12, [x6]
swplh w0, w0, [x0]
swplh wzr, wzr, [sp]
swplh w16, w21, [x24]
swpl w0, w0, [x0]
swpl wzr, wzr, [sp]
swpl w28, w9, [x15]
swpl x0, x0, [x0]
swpl xzr, xzr, [sp]
swpl x16, x6, [x19]
ldaprb w0, [x0]
ldaprb wzr, [sp]
ldaprb w7, [x12]
ldaprh w0, [x0]
ldaprh wzr, [sp]
ldaprh w13, [x21]
ldapr w0, [x0]
ldapr wzr, [sp]
ldapr w21, [x5]
ldapr x0, [x0]
ldapr xzr, [sp]
ldapr x23, [x19]
// ldst-simd.ts
st1 { v0.8b }, [x0]
st1 { v31.2d }, [sp]
st1 { v5.4s }, [x3]
st1 { v0.8b, v1.8b }, [x0]
st1 { v31.2d, v0.2d }, [sp]
st1 { v21.8h, v22.8h }, [x2]
st1 { v0.8b, v1.8b, v2.8b }, [x0]
st1 { v31.2d, v0.2d, v1.2d }, [sp]
st1 { v28.16b, v29.16b, v30.16b }, [x20]
st1 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0]
st1 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp]
st1 { v23.4h, v24.4h, v25.4h, v26.4h }, [x21]
st2 { v0.8b, v1.8b }, [x0]
st2 { v31.2d, v0.2d }, [sp]
st2 { v3.8h, v4.8h }, [x5]
st3 { v0.8b, v1.8b, v2.8b }, [x0]
st3 { v31.2d, v0.2d, v1.2d }, [sp]
st3 { v16.8h, v17.8h, v18.8h }, [x26]
st4 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0]
st4 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp]
st4 { v10.2d, v11.2d, v12.2d, v13.2d }, [x5]
st1 { v0.b }[0], [x0]
st1 { v31.b }[15], [sp]
st1 { v3.b }[4], [x8]
st1 { v0.h }[0], [x0]
st1 { v19.h }[3], [x20]
st1 { v27.h }[1], [x29]
st1 { v0.s }[0], [x0]
st1 { v31.s }[3], [sp]
st1 { v6.s }[0], [x21]
st1 { v0.d }[0], [x0]
st1 { v31.d }[1], [sp]
st1 { v4.d }[1], [x18]
st2 { v0.b, v1.b }[0], [x0]
st2 { v31.b, v0.b }[15], [sp]
st2 { v28.b, v29.b }[7], [x23]
st2 { v0.h, v1.h }[0], [x0]
st2 { v17.h, v18.h }[6], [x26]
st2 { v20.h, v21.h }[7], [x29]
st2 { v0.s, v1.s }[0], [x0]
st2 { v31.s, v0.s }[3], [sp]
st2 { v27.s, v28.s }[2], [x15]
st2 { v0.d, v1.d }[0], [x0]
st2 { v31.d, v0.d }[1], [sp]
st2 { v10.d, v11.d }[0], [x11]
st3 { v0.b, v1.b, v2.b }[0], [x0]
st3 { v31.b, v0.b, v1.b }[15], [sp]
st3 { v15.b, v16.b, v17.b }[9], [x20]
st3 { v0.h, v1.h, v2.h }[0], [x0]
st3 { v23.h, v24.h, v25.h }[2], [x24]
st3 { v20.h, v21.h, v22.h }[5], [x18]
st3 { v0.s, v1.s, v2.s }[0], [x0]
st3 { v31.s, v0.s, v1.s }[3], [sp]
st3 { v6.s, v7.s, v8.s }[2], [x16]
st3 { v0.d, v1.d, v2.d }[0], [x0]
st3 { v31.d, v0.d, v1.d }[1], [sp]
st3 { v8.d, v9.d, v10.d }[0], [x5]
st4 { v0.b, v1.b, v2.b, v3.b }[0], [x0]
st4 { v31.b, v0.b, v1.b, v2.b }[15], [sp]
st4 { v6.b, v7.b, v8.b, v9.b }[6], [x16]
st4 { v0.h, v1.h, v2.h, v3.h }[0], [x0]
st4 { v19.h, v20.h, v21.h, v22.h }[4], [sp]
st4 { v0.s, v1.s, v2.s, v3.s }[0], [x0]
st4 { v31.s, v0.s, v1.s, v2.s }[3], [sp]
st4 { v5.s, v6.s, v7.s, v8.s }[0], [x5]
st4 { v0.d, v1.d, v2.d, v3.d }[0], [x0]
st4 { v31.d, v0.d, v1.d, v2.d }[1], [sp]
st4 { v2.d, v3.d, v4.d, v5.d }[1], [x3]
st1 { v0.8b }, [x0], x0
st1 { v31.2d }, [sp], #16
st1 { v29.4s }, [x1], x3
st1 { v0.8b, v1.8b }, [x0], x0
st1 { v31.2d, v0.2d }, [sp], #32
st1 { v3.2d, v4.2d }, [x28], x14
st1 { v0.8b, v1.8b, v2.8b }, [x0], x0
st1 { v31.2d, v0.2d, v1.2d }, [sp], #48
st1 { v14.4s, v15.4s, v16.4s }, [sp], #48
st1 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0], x0
st1 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp], #64
st1 { v7.16b, v8.16b, v9.16b, v10.16b }, [x13], x27
st2 { v0.8b, v1.8b }, [x0], x0
st2 { v31.2d, v0.2d }, [sp], #32
st2 { v31.4h, v0.4h }, [x27], x3
st3 { v0.8b, v1.8b, v2.8b }, [x0], x0
st3 { v31.2d, v0.2d, v1.2d }, [sp], #48
st3 { v31.4h, v0.4h, v1.4h }, [x1], x14
st4 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0], x0
st4 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp], #64
st4 { v23.8h, v24.8h, v25.8h, v26.8h }, [x29], x17
st1 { v0.b }[0], [x0], x0
st1 { v31.b }[15], [sp], #1
st1 { v10.b }[8], [x8], x25
st1 { v0.h }[0], [x0], x0
st1 { v29.h }[7], [x13], x22
st1 { v15.h }[2], [x22], x29
st1 { v0.s }[0], [x0], x0
st1 { v31.s }[3], [sp], #4
st1 { v24.s }[0], [x26], x19
st1 { v0.d }[0], [x0], x0
st1 { v31.d }[1], [sp], #8
st1 { v1.d }[1], [x1], x29
st2 { v0.b, v1.b }[0], [x0], x0
st2 { v31.b, v0.b }[15], [sp], #2
st2 { v1.b, v2.b }[3], [x6], x29
st2 { v0.h, v1.h }[0], [x0], x0
st2 { v22.h, v23.h }[1], [x26], x2
st2 { v0.s, v1.s }[0], [x0], x0
st2 { v31.s, v0.s }[3], [sp], #8
st2 { v18.s, v19.s }[1], [x29], x15
st2 { v0.d, v1.d }[0], [x0], x0
st2 { v31.d, v0.d }[1], [sp], #16
st2 { v25.d, v26.d }[0], [x27], x29
st3 { v0.b, v1.b, v2.b }[0], [x0], x0
st3 { v31.b, v0.b, v1.b }[15], [sp], #3
st3 { v11.b, v12.b, v13.b }[2], [x20], x26
st3 { v0.h, v1.h, v2.h }[0], [x0], x0
st3 { v25.h, v26.h, v27.h }[6], [x25], x0
st3 { v0.s, v1.s, v2.s }[0], [x0], x0
st3 { v31.s, v0.s, v1.s }[3], [sp], #12
st3 { v0.s, v1.s, v2.s }[0], [x0], x11
st3 { v0.d, v1.d, v2.d }[0], [x0], x0
st3 { v31.d, v0.d, v1.d }[1], [sp], #24
st3 { v6.d, v7.d, v8.d }[0], [x2], x10
st4 { v0.b, v1.b, v2.b, v3.b }[0], [x0], x0
st4 { v31.b, v0.b, v1.b, v2.b }[15], [sp], #4
st4 { v20.b, v21.b, v22.b, v23.b }[4], [x25], x24
st4 { v0.h, v1.h, v2.h, v3.h }[0], [x0], x0
st4 { v2.h, v3.h, v4.h, v5.h }[3], [x20], x15
st4 { v23.h, v24.h, v25.h, v26.h }[3], [x7], x0
st4 { v0.s, v1.s, v2.s, v3.s }[0], [x0], x0
st4 { v31.s, v0.s, v1.s, v2.s }[3], [sp], #16
st4 { v14.s, v15.s, v16.s, v17.s }[0], [x30], x6
st4 { v0.d, v1.d, v2.d, v3.d }[0], [x0], x0
st4 { v31.d, v0.d, v1.d, v2.d }[1], [sp], #32
st4 { v21.d, v22.d, v23.d, v24.d }[0], [x6], x24
ld1 { v0.8b }, [x0]
ld1 { v31.2d }, [sp]
ld1 { v23.1d }, [x6]
ld1 { v0.8b, v1.8b }, [x0]
ld1 { v31.2d, v0.2d }, [sp]
ld1 { v10.16b, v11.16b }, [x20]
ld1 { v0.8b, v1.8b, v2.8b }, [x0]
ld1 { v31.2d, v0.2d, v1.2d }, [sp]
ld1 { v20.2s, v21.2s, v22.2s }, [x0]
ld1 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0]
ld1 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp]
ld1 { v2.8b, v3.8b, v4.8b, v5.8b }, [x1]
ld2 { v0.8b, v1.8b }, [x0]
ld2 { v31.2d, v0.2d }, [sp]
ld2 { v11.2d, v12.2d }, [x26]
ld3 { v0.8b, v1.8b, v2.8b }, [x0]
ld3 { v31.2d, v0.2d, v1.2d }, [sp]
ld3 { v9.16b, v10.16b, v11.16b }, [x22]
ld4 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0]
ld4 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp]
ld4 { v13.8h, v14.8h, v15.8h, v16.8h }, [x17]
ld1 { v0.b }[0], [x0]
ld1 { v31.b }[15], [sp]
ld1 { v11.b }[12], [x15]
ld1 { v0.h }[0], [x0]
ld1 { v18.h }[6], [x22]
ld1 { v0.s }[0], [x0]
ld1 { v31.s }[3], [sp]
ld1 { v29.s }[0], [x8]
ld1 { v0.d }[0], [x0]
ld1 { v31.d }[1], [sp]
ld1 { v4.d }[1], [x3]
ld2 { v0.b, v1.b }[0], [x0]
ld2 { v31.b, v0.b }[15], [sp]
ld2 { v9.b, v10.b }[14], [x1]
ld2 { v0.h, v1.h }[0], [x0]
ld2 { v10.h, v11.h }[2], [x1]
ld2 { v30.h, v31.h }[7], [x8]
ld2 { v0.s, v1.s }[0], [x0]
ld2 { v31.s, v0.s }[3], [sp]
ld2 { v23.s, v24.s }[2], [x29]
ld2 { v0.d, v1.d }[0], [x0]
ld2 { v31.d, v0.d }[1], [sp]
ld2 { v4.d, v5.d }[1], [x24]
ld3 { v0.b, v1.b, v2.b }[0], [x0]
ld3 { v31.b, v0.b, v1.b }[15], [sp]
ld3 { v12.b, v13.b, v14.b }[1], [x25]
ld3 { v0.h, v1.h, v2.h }[0], [x0]
ld3 { v23.h, v24.h, v25.h }[3], [x15]
ld3 { v20.h, v21.h, v22.h }[7], [x16]
ld3 { v0.s, v1.s, v2.s }[0], [x0]
ld3 { v31.s, v0.s, v1.s }[3], [sp]
ld3 { v20.s, v21.s, v22.s }[2], [x0]
ld3 { v0.d, v1.d, v2.d }[0], [x0]
ld3 { v31.d, v0.d, v1.d }[1], [sp]
ld3 { v22.d, v23.d, v24.d }[1], [x13]
ld4 { v0.b, v1.b, v2.b, v3.b }[0], [x0]
ld4 { v31.b, v0.b, v1.b, v2.b }[15], [sp]
ld4 { v30.b, v31.b, v0.b, v1.b }[5], [x19]
ld4 { v0.h, v1.h, v2.h, v3.h }[0], [x0]
ld4 { v21.h, v22.h, v23.h, v24.h }[7], [x11]
ld4 { v22.h, v23.h, v24.h, v25.h }[4], [x22]
ld4 { v0.s, v1.s, v2.s, v3.s }[0], [x0]
ld4 { v31.s, v0.s, v1.s, v2.s }[3], [sp]
ld4 { v25.s, v26.s, v27.s, v28.s }[1], [x25]
ld4 { v0.d, v1.d, v2.d, v3.d }[0], [x0]
ld4 { v31.d, v0.d, v1.d, v2.d }[1], [sp]
ld4 { v25.d, v26.d, v27.d, v28.d }[1], [x11]
ld1 { v0.8b }, [x0], x0
ld1 { v31.2d }, [sp], #16
ld1 { v28.2s }, [x6], x1
ld1 { v0.8b, v1.8b }, [x0], x0
ld1 { v31.2d, v0.2d }, [sp], #32
ld1 { v3.1d, v4.1d }, [x30], x6
ld1 { v0.8b, v1.8b, v2.8b }, [x0], x0
ld1 { v31.2d, v0.2d, v1.2d }, [sp], #48
ld1 { v5.2d, v6.2d, v7.2d }, [x25], x11
ld1 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0], x0
ld1 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp], #64
ld1 { v27.16b, v28.16b, v29.16b, v30.16b }, [x26], x23
ld2 { v0.8b, v1.8b }, [x0], x0
ld2 { v31.2d, v0.2d }, [sp], #32
ld2 { v4.4h, v5.4h }, [x6], x5
ld3 { v0.8b, v1.8b, v2.8b }, [x0], x0
ld3 { v31.2d, v0.2d, v1.2d }, [sp], #48
ld3 { v25.4s, v26.4s, v27.4s }, [x15], x14
ld4 { v0.8b, v1.8b, v2.8b, v3.8b }, [x0], x0
ld4 { v31.2d, v0.2d, v1.2d, v2.2d }, [sp], #64
ld4 { v23.8b, v24.8b, v25.8b, v26.8b }, [x10], x7
ld1 { v0.b }[0], [x0], x0
ld1 { v31.b }[15], [sp], #1
ld1 { v1.b }[13], [x0], x1
ld1 { v0.h }[0], [x0], x0
ld1 { v1.h }[7], [x0], x23
ld1 { v27.h }[2], [x30], x28
ld1 { v0.s }[0], [x0], x0
ld1 { v31.s }[3], [sp], #4
ld1 { v27.s }[2], [x5], x20
ld1 { v0.d }[0], [x0], x0
ld1 { v31.d }[1], [sp], #8
ld1 { v1.d }[0], [x27], x28
ld2 { v0.b, v1.b }[0], [x0], x0
ld2 { v31.b, v0.b }[15], [sp], #2
ld2 { v31.b, v0.b }[2], [x25], x9
ld2 { v0.h, v1.h }[0], [x0], x0
ld2 { v16.h, v17.h }[1], [x13], x22
ld2 { v16.h, v17.h }[7], [x1], x13
ld2 { v0.s, v1.s }[0], [x0], x0
ld2 { v31.s, v0.s }[3], [sp], #8
ld2 { v14.s, v15.s }[2], [x9], x12
ld2 { v0.d, v1.d }[0], [x0], x0
ld2 { v31.d, v0.d }[1], [sp], #16
ld2 { v14.d, v15.d }[0], [x30], x9
ld3 { v0.b, v1.b, v2.b }[0], [x0], x0
ld3 { v31.b, v0.b, v1.b }[15], [sp], #3
ld3 { v14.b, v15.b, v16.b }[14], [x25], x2
ld3 { v0.h, v1.h, v2.h }[0], [x0], x0
ld3 { v10.h, v11.h, v12.h }[7], [x7], x14
ld3 { v0.s, v1.s, v2.s }[0], [x0], x0
ld3 { v31.s, v0.s, v1.s }[3], [sp], #12
ld3 { v13.s, v14.s, v15.s }[3], [x26], x29
ld3 { v0.d, v1.d, v2.d }[0], [x0], x0
ld3 { v31.d, v0.d, v1.d }[1], [sp], #24
ld3 { v18.d, v19.d, v20.d }[1], [x24], x11
ld4 { v0.b, v1.b, v2.b, v3.b }[0], [x0], x0
ld4 { v31.b, v0.b, v1.b, v2.b }[15], [sp], #4
ld4 { v15.b, v16.b, v17.b, v18.b }[7], [x11], x2
ld4 { v0.h, v1.h, v2.h, v3.h }[0], [x0], x0
ld4 { v8.h, v9.h, v10.h, v11.h }[3], [x15], x22
ld4 { v0.h, v1.h, v2.h, v3.h }[5], [x19], x8
ld4 { v0.s, v1.s, v2.s, v3.s }[0], [x0], x0
ld4 { v31.s, v0.s, v1.s, v2.s }[3], [sp], #16
ld4 { v20.s, v21.s, v22.s, v23.s }[3], [x22], x5
ld4 { v0.d, v1.d, v2.d, v3.d }[0], [x0], x0
ld4 { v31.d, v0.d, v1.d, v2.d }[1], [sp], #32
ld4 { v11.d, v12.d, v13.d, v14.d }[0], [x15], x28
ld1r { v0.8b }, [x0]
ld1r { v31.2d }, [sp]
ld1r { v19.1d }, [x3]
ld2r { v0.8b, v1.8b }, [x0]
ld2r { v31.2d, v0.2d }, [sp]
ld2r { v20.16b, v21.16b }, [sp]
ld3r { v0.8b, v1.8b, v2.8b }, [x0]
ld3r { v31.2d, v0.2d, v1.2d }, [sp]
ld3r { v18.4s, v19.4s, v20.4s }, [x30]
ld4r { v0.8b, v1.8b, v2.8b, v3.8b }, [x0]
ld4r { v31.2d, v0.2d, v1.2d, v2.2d }, [sp]
ld4r { v30.8b, v31.8b, v0.8b, v1.8b }, [x17]
ld1r { v0.8b }, [x0], x0
ld1r { v31.2d }, [sp], #8
ld1r { v17.2s }, [x20], #4
ld2r { v0.8b, v1.8b }, [x0], x0
ld2r { v31.2d, v0.2d }, [sp], #16
ld2r { v13.2s, v14.2s }, [x13], #8
ld3r { v0.8b, v1.8b, v2.8b }, [x0], x0
ld3r { v31.2d, v0.2d, v1.2d }, [sp], #24
ld3r { v27.4s, v28.4s, v29.4s }, [x21], x21
ld4r { v0.8b, v1.8b, v2.8b, v3.8b }, [x0], x0
ld4r { v31.2d, v0.2d, v1.2d, v2.2d }, [sp], #32
ld4r { v8.4s, v9.4s, v10.4s, v11.4s }, [x14], x7
