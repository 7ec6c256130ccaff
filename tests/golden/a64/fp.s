// Scalar floating point (C4.1.96).
// Hand-picked forms first (aliases and the spellings kernel code uses), then three seeded random
// instances of every row of src/a64/table/fp.ts as LLVM 14 prints them. Regenerate the .golden with `npm run golden`.
	fmov	d0, #1.00000000
	fmov	s1, #-0.12500000
	fmov	h2, #31.00000000
	fmov	d3, #0.50000000
	fmov	x0, d0
	fmov	d1, x2
	fmov	w3, s4
	fmov	s5, wzr
	fmov	h6, w7
	fmov	x8, h9
	fmov	v0.d[1], x1
	fmov	x1, v0.d[1]
	fmov	d0, d1
	fcmp	d0, #0.0
	fcmp	s1, s2
	fcmpe	h3, #0.0
	fcmpe	d4, d5
	fccmp	d0, d1, #4, ne
	fccmpe	s2, s3, #15, hs
	fcsel	d0, d1, d2, lt
	scvtf	d0, x1, #12
	scvtf	s0, w1
	ucvtf	h0, x1, #64
	fcvtzs	w0, s1, #32
	fcvtzu	x0, d1
	fcvtzs	x0, h1
	fcvtns	w0, d1
	fcvtmu	x0, s1
	fcvt	d0, s1
	fcvt	h0, d1
	fcvt	s0, h1
	fjcvtzs	w0, d1
	frintx	d0, d1
	frint64z	s0, s1
	fmadd	d0, d1, d2, d3
	fnmsub	s0, s1, s2, s3
	fdiv	h0, h1, h2
	fsqrt	d0, d1
	scvtf	d8, x12, #43
	scvtf	h7, w18, #1
	scvtf	d7, x8, #53
	ucvtf	s4, x7, #48
	ucvtf	d21, x20, #18
	ucvtf	h19, x21, #6
	fcvtzs	x9, h6, #28
	fcvtzs	x4, d15, #21
	fcvtzs	w7, h13, #3
	fcvtzu	x24, h2, #33
	fcvtzu	w28, h5, #7
	fcvtzu	w13, h31, #20
	fcvtns	w22, s26
	fcvtns	w14, d22
	fcvtns	w30, d5
	fcvtnu	w1, h1
	fcvtnu	wzr, h15
	fcvtnu	w29, d0
	scvtf	d7, x20
	scvtf	d20, x6
	scvtf	s23, w18
	ucvtf	h24, x23
	ucvtf	s16, w22
	ucvtf	h5, w1
	fcvtas	w6, d26
	fcvtas	x21, s8
	fcvtas	x14, h11
	fcvtau	x12, d2
	fcvtau	w11, h30
	fcvtau	w12, d0
	fmov	x18, d8
	fmov	x3, d9
	fmov	x10, d9
	fmov	s6, w21
	fmov	d17, x24
	fmov	d14, x3
	fcvtps	x18, h20
	fcvtps	x21, d12
	fcvtps	w14, d31
	fcvtpu	x20, s31
	fcvtpu	x10, h7
	fcvtpu	w21, h13
	fcvtms	xzr, h16
	fcvtms	x7, h6
	fcvtms	x25, h16
	fcvtmu	x15, h31
	fcvtmu	x20, h16
	fcvtmu	w6, h25
	fcvtzs	x20, s9
	fcvtzs	w12, d15
	fcvtzs	x17, d26
	fcvtzu	w3, s29
	fcvtzu	x20, h31
	fcvtzu	x7, h18
	fmov	x5, v14.d[1]
	fmov	x19, v14.d[1]
	fmov	x13, v20.d[1]
	fmov	v27.d[1], x24
	fmov	v23.d[1], x7
	fmov	v12.d[1], x3
	fjcvtzs	w6, d14
	fjcvtzs	w20, d13
	fjcvtzs	w4, d9
	fmov	s9, s3
	fmov	d25, d19
	fmov	d26, d5
	fabs	d6, d31
	fabs	h9, h12
	fabs	h24, h0
	fneg	h26, h30
	fneg	s17, s14
	fneg	d0, d12
	fsqrt	s6, s6
	fsqrt	s10, s19
	fsqrt	d24, d13
	fcvt	d25, s2
	fcvt	s25, d11
	fcvt	s19, d12
	frintn	s14, s5
	frintn	d16, d25
	frintn	h7, h19
	frintp	d0, d24
	frintp	d4, d4
	frintp	d12, d9
	frintm	h10, h28
	frintm	h21, h23
	frintm	h21, h28
	frintz	h10, h6
	frintz	h28, h29
	frintz	h18, h27
	frinta	s14, s28
	frinta	s17, s3
	frinta	d26, d10
	frintx	s20, s12
	frintx	s0, s15
	frintx	s29, s15
	frinti	d13, d3
	frinti	s8, s10
	frinti	d26, d19
	frint32z	s31, s26
	frint32z	d18, d17
	frint32z	s15, s12
	frint32x	d19, d2
	frint32x	d0, d22
	frint32x	s21, s7
	frint64z	s19, s14
	frint64z	d9, d19
	frint64z	s10, s0
	frint64x	d17, d13
	frint64x	d30, d21
	frint64x	s24, s16
	fcmp	h15, h20
	fcmp	h5, h13
	fcmp	d6, d6
	fcmp	h10, #0.0
	fcmp	h16, #0.0
	fcmp	s27, #0.0
	fcmpe	s1, s25
	fcmpe	h3, h8
	fcmpe	s7, s28
	fcmpe	s13, #0.0
	fcmpe	d8, #0.0
	fcmpe	d10, #0.0
	fmov	s1, #-2.50000000
	fmov	h21, #-1.00000000
	fmov	s6, #-2.75000000
	fccmp	h29, h24, #8, ls
	fccmp	h8, h22, #10, mi
	fccmp	h17, h15, #11, gt
	fccmpe	h30, h27, #15, eq
	fccmpe	h4, h31, #5, mi
	fccmpe	s24, s28, #2, nv
	fmul	d21, d5, d30
	fmul	s12, s9, s22
	fmul	s20, s29, s8
	fdiv	h25, h28, h28
	fdiv	h31, h28, h6
	fdiv	h0, h14, h0
	fadd	d15, d16, d25
	fadd	h24, h16, h5
	fadd	h15, h24, h31
	fsub	s27, s15, s11
	fsub	d0, d28, d29
	fsub	s23, s29, s29
	fmax	s2, s25, s26
	fmax	d9, d7, d26
	fmax	h22, h30, h1
	fmin	d18, d15, d13
	fmin	s14, s19, s22
	fmin	h6, h0, h3
	fmaxnm	h6, h25, h23
	fmaxnm	s25, s5, s27
	fmaxnm	s30, s23, s27
	fminnm	s24, s8, s10
	fminnm	d11, d12, d12
	fminnm	s27, s25, s13
	fnmul	s1, s9, s27
	fnmul	h11, h17, h8
	fnmul	d25, d14, d24
	fcsel	s1, s25, s8, mi
	fcsel	s23, s22, s7, nv
	fcsel	d29, d28, d29, mi
	fmadd	d10, d31, d9, d3
	fmadd	s31, s28, s18, s27
	fmadd	s2, s12, s8, s27
	fmsub	s29, s26, s2, s1
	fmsub	d26, d2, d27, d7
	fmsub	d21, d19, d9, d1
	fnmadd	s5, s30, s31, s8
	fnmadd	h11, h31, h8, h6
	fnmadd	d9, d30, d1, d17
	fnmsub	d25, d11, d24, d12
	fnmsub	d2, d21, d7, d11
	fnmsub	d24, d3, d1, d2
