// Advanced SIMD scalar (C4.1.96).
// Hand-picked forms first (aliases and the spellings kernel code uses), then three seeded random
// instances of every row of src/a64/table/simd-scalar.ts as LLVM 14 prints them. Regenerate the .golden with `npm run golden`.
	mov	b0, v1.b[2]
	mov	h0, v1.h[7]
	mov	s0, v1.s[1]
	mov	d0, v1.d[1]
	add	d0, d1, d2
	sub	d0, d1, d2
	cmeq	d0, d1, #0
	cmhi	d0, d1, d2
	sqadd	b0, b1, b2
	sqdmulh	s0, s1, s2
	addp	d0, v1.2d
	faddp	s0, v1.2s
	fmaxnmp	h0, v1.2h
	ushr	d0, d1, #64
	shl	d0, d1, #63
	sri	d0, d1, #1
	sqshrn	b0, h1, #8
	uqshl	s0, s1, #31
	scvtf	d0, d1, #64
	fcvtzs	h0, h1, #16
	sqxtn	s0, d1
	fcvtxn	s0, d1
	fcmgt	d0, d1, #0.0
	frecpx	h0, h1
	fabd	s0, s1, s2
	sqdmull	d0, s1, v2.s[3]
	sqrdmlah	h0, h1, v15.h[7]
	fmul	d0, d1, v2.d[1]
	fmla	h0, h1, v2.h[7]
	mov	b29, v1.b[1]
	mov	b13, v19.b[8]
	mov	s2, v2.s[1]
	sqadd	s14, s14, s22
	sqadd	s23, s8, s24
	sqadd	h25, h1, h8
	sqsub	b20, b9, b16
	sqsub	d3, d1, d16
	sqsub	s10, s29, s13
	cmgt	d26, d22, d11
	cmgt	d18, d7, d21
	cmgt	d27, d21, d10
	cmge	d13, d19, d3
	cmge	d27, d31, d10
	cmge	d24, d11, d16
	sshl	d31, d2, d2
	sshl	d28, d23, d28
	sshl	d7, d23, d4
	sqshl	h16, h25, h27
	sqshl	h0, h27, h17
	sqshl	d24, d0, d21
	srshl	d9, d12, d28
	srshl	d20, d12, d31
	srshl	d27, d29, d2
	sqrshl	h18, h0, h22
	sqrshl	s24, s23, s1
	sqrshl	s28, s10, s9
	add	d31, d31, d6
	add	d0, d4, d28
	add	d18, d22, d4
	cmtst	d22, d0, d13
	cmtst	d14, d26, d17
	cmtst	d21, d17, d26
	sqdmulh	s3, s22, s7
	sqdmulh	h11, h26, h20
	sqdmulh	s22, s1, s28
	uqadd	s18, s9, s28
	uqadd	h8, h1, h29
	uqadd	s10, s22, s9
	uqsub	b29, b25, b12
	uqsub	d24, d10, d25
	uqsub	h23, h5, h19
	cmhi	d10, d8, d2
	cmhi	d9, d19, d10
	cmhi	d21, d27, d15
	cmhs	d27, d29, d9
	cmhs	d7, d17, d29
	cmhs	d13, d25, d5
	ushl	d9, d23, d13
	ushl	d15, d24, d18
	ushl	d15, d1, d25
	uqshl	b20, b28, b27
	uqshl	b19, b21, b21
	uqshl	h26, h7, h8
	urshl	d25, d25, d22
	urshl	d21, d8, d26
	urshl	d10, d4, d9
	uqrshl	b31, b13, b22
	uqrshl	d10, d28, d22
	uqrshl	d11, d30, d26
	sub	d16, d21, d23
	sub	d14, d16, d8
	sub	d30, d24, d22
	cmeq	d25, d7, d15
	cmeq	d16, d18, d27
	cmeq	d17, d0, d18
	sqrdmulh	h27, h5, h19
	sqrdmulh	h22, h27, h31
	sqrdmulh	h22, h29, h31
	fmulx	s10, s25, s14
	fmulx	s17, s30, s2
	fmulx	s6, s19, s2
	fmulx	h11, h21, h30
	fmulx	h29, h5, h2
	fmulx	h21, h29, h27
	fcmeq	s14, s1, s4
	fcmeq	s20, s2, s4
	fcmeq	s13, s23, s15
	fcmeq	h4, h6, h0
	fcmeq	h25, h23, h1
	fcmeq	h19, h28, h26
	frecps	s6, s13, s2
	frecps	d1, d9, d7
	frecps	d16, d15, d16
	frecps	h4, h2, h18
	frecps	h9, h5, h26
	frecps	h25, h4, h23
	frsqrts	s21, s25, s17
	frsqrts	s4, s12, s30
	frsqrts	s21, s29, s1
	frsqrts	h11, h17, h30
	frsqrts	h2, h13, h23
	frsqrts	h27, h22, h27
	fcmge	d1, d2, d2
	fcmge	d7, d27, d11
	fcmge	d21, d11, d13
	fcmge	h18, h29, h29
	fcmge	h23, h30, h17
	fcmge	h20, h31, h3
	facge	s4, s15, s23
	facge	s2, s8, s27
	facge	s4, s29, s0
	facge	h10, h22, h14
	facge	h22, h28, h17
	facge	h26, h5, h10
	fabd	d2, d2, d16
	fabd	d9, d25, d5
	fabd	s12, s3, s9
	fabd	h20, h7, h6
	fabd	h9, h8, h27
	fabd	h25, h6, h4
	fcmgt	d15, d11, d18
	fcmgt	s1, s22, s25
	fcmgt	s13, s27, s3
	fcmgt	h24, h9, h17
	fcmgt	h30, h24, h25
	fcmgt	h24, h11, h20
	facgt	d12, d6, d9
	facgt	d15, d2, d4
	facgt	d3, d3, d0
	facgt	h1, h4, h29
	facgt	h21, h25, h10
	facgt	h7, h11, h22
	sqrdmlah	s1, s7, s5
	sqrdmlah	h2, h6, h13
	sqrdmlah	h4, h29, h6
	sqrdmlsh	s9, s15, s3
	sqrdmlsh	h12, h26, h21
	sqrdmlsh	s30, s21, s19
	sqdmlal	d4, s18, s5
	sqdmlal	d12, s13, s30
	sqdmlal	s8, h9, h23
	sqdmlsl	s30, h14, h27
	sqdmlsl	d9, s0, s19
	sqdmlsl	d7, s13, s25
	sqdmull	d4, s10, s19
	sqdmull	d11, s3, s21
	sqdmull	d31, s17, s19
	suqadd	h14, h30
	suqadd	h8, h13
	suqadd	h15, h13
	sqabs	b24, b30
	sqabs	s31, s13
	sqabs	h27, h23
	cmgt	d16, d15, #0
	cmgt	d11, d7, #0
	cmgt	d3, d3, #0
	cmeq	d18, d25, #0
	cmeq	d10, d8, #0
	cmeq	d1, d9, #0
	cmlt	d23, d18, #0
	cmlt	d30, d27, #0
	cmlt	d5, d7, #0
	abs	d5, d22
	abs	d17, d4
	abs	d2, d7
	sqxtn	b29, h8
	sqxtn	b24, h3
	sqxtn	h4, s10
	usqadd	d7, d26
	usqadd	s16, s16
	usqadd	h25, h30
	sqneg	b31, b19
	sqneg	d9, d2
	sqneg	b20, b16
	cmge	d8, d13, #0
	cmge	d2, d25, #0
	cmge	d22, d29, #0
	cmle	d3, d27, #0
	cmle	d25, d18, #0
	cmle	d0, d6, #0
	neg	d22, d14
	neg	d12, d1
	neg	d14, d29
	sqxtun	b20, h27
	sqxtun	b4, h5
	sqxtun	b7, h14
	uqxtn	b31, h16
	uqxtn	h22, s1
	uqxtn	s5, d28
	fcvtxn	s28, d23
	fcvtxn	s16, d3
	fcvtxn	s16, d1
	fcvtns	s12, s4
	fcvtns	s25, s5
	fcvtns	d24, d7
	fcvtns	h7, h1
	fcvtns	h7, h5
	fcvtns	h0, h16
	fcvtms	s31, s20
	fcvtms	s29, s29
	fcvtms	s10, s31
	fcvtms	h25, h18
	fcvtms	h10, h28
	fcvtms	h2, h3
	fcvtas	d20, d29
	fcvtas	s0, s2
	fcvtas	d22, d8
	fcvtas	h24, h6
	fcvtas	h27, h13
	fcvtas	h3, h13
	scvtf	s29, s4
	scvtf	s0, s11
	scvtf	d22, d1
	scvtf	h10, h6
	scvtf	h0, h27
	scvtf	h20, h6
	fcmgt	s31, s5, #0.0
	fcmgt	d2, d16, #0.0
	fcmgt	s5, s21, #0.0
	fcmgt	h23, h1, #0.0
	fcmgt	h3, h15, #0.0
	fcmgt	h15, h24, #0.0
	fcmeq	d1, d4, #0.0
	fcmeq	d20, d20, #0.0
	fcmeq	d25, d25, #0.0
	fcmeq	h30, h20, #0.0
	fcmeq	h2, h8, #0.0
	fcmeq	h9, h23, #0.0
	fcmlt	s23, s20, #0.0
	fcmlt	d30, d23, #0.0
	fcmlt	d6, d15, #0.0
	fcmlt	h15, h1, #0.0
	fcmlt	h12, h19, #0.0
	fcmlt	h8, h11, #0.0
	fcvtps	d8, d14
	fcvtps	s27, s5
	fcvtps	s14, s7
	fcvtps	h13, h10
	fcvtps	h11, h24
	fcvtps	h30, h25
	fcvtzs	s15, s1
	fcvtzs	d2, d0
	fcvtzs	d25, d3
	fcvtzs	h8, h1
	fcvtzs	h9, h28
	fcvtzs	h7, h15
	frecpe	d5, d18
	frecpe	s8, s15
	frecpe	s28, s28
	frecpe	h2, h4
	frecpe	h11, h20
	frecpe	h3, h7
	frecpx	s22, s25
	frecpx	d15, d17
	frecpx	s1, s15
	frecpx	h12, h13
	frecpx	h30, h30
	frecpx	h19, h8
	fcvtnu	d19, d25
	fcvtnu	d27, d11
	fcvtnu	s7, s28
	fcvtnu	h30, h28
	fcvtnu	h16, h11
	fcvtnu	h8, h4
	fcvtmu	d7, d4
	fcvtmu	d25, d7
	fcvtmu	d5, d4
	fcvtmu	h3, h15
	fcvtmu	h4, h24
	fcvtmu	h2, h22
	fcvtau	d7, d13
	fcvtau	d15, d2
	fcvtau	d10, d15
	fcvtau	h12, h25
	fcvtau	h4, h1
	fcvtau	h17, h7
	ucvtf	d15, d6
	ucvtf	d4, d8
	ucvtf	s20, s26
	ucvtf	h17, h21
	ucvtf	h13, h21
	ucvtf	h13, h14
	fcmge	s17, s28, #0.0
	fcmge	d17, d0, #0.0
	fcmge	s30, s11, #0.0
	fcmge	h27, h21, #0.0
	fcmge	h26, h21, #0.0
	fcmge	h0, h9, #0.0
	fcmle	d6, d1, #0.0
	fcmle	d0, d6, #0.0
	fcmle	d0, d26, #0.0
	fcmle	h11, h6, #0.0
	fcmle	h2, h31, #0.0
	fcmle	h23, h25, #0.0
	fcvtpu	s14, s7
	fcvtpu	d24, d31
	fcvtpu	s27, s19
	fcvtpu	h13, h26
	fcvtpu	h22, h15
	fcvtpu	h5, h16
	fcvtzu	s23, s7
	fcvtzu	s2, s14
	fcvtzu	s27, s0
	fcvtzu	h26, h16
	fcvtzu	h11, h8
	fcvtzu	h2, h22
	frsqrte	d16, d19
	frsqrte	s7, s23
	frsqrte	s5, s14
	frsqrte	h22, h26
	frsqrte	h6, h8
	frsqrte	h0, h24
	addp	d17, v10.2d
	addp	d17, v4.2d
	addp	d15, v15.2d
	fmaxnmp	s27, v20.2s
	fmaxnmp	s17, v3.2s
	fmaxnmp	s22, v26.2s
	fmaxnmp	h15, v7.2h
	fmaxnmp	h9, v20.2h
	fmaxnmp	h19, v19.2h
	faddp	d14, v20.2d
	faddp	d18, v0.2d
	faddp	d3, v24.2d
	faddp	h25, v19.2h
	faddp	h25, v17.2h
	faddp	h13, v3.2h
	fmaxp	d19, v14.2d
	fmaxp	d2, v5.2d
	fmaxp	s18, v30.2s
	fmaxp	h6, v28.2h
	fmaxp	h13, v9.2h
	fmaxp	h11, v11.2h
	fminnmp	d29, v29.2d
	fminnmp	d12, v20.2d
	fminnmp	s18, v8.2s
	fminnmp	h11, v2.2h
	fminnmp	h2, v31.2h
	fminnmp	h16, v4.2h
	fminp	d23, v2.2d
	fminp	d2, v27.2d
	fminp	d28, v13.2d
	fminp	h23, v20.2h
	fminp	h2, v29.2h
	fminp	h10, v8.2h
	sshr	d10, d9, #3
	sshr	d12, d0, #15
	sshr	d0, d31, #52
	ssra	d30, d30, #49
	ssra	d6, d25, #50
	ssra	d16, d27, #52
	srshr	d1, d22, #56
	srshr	d15, d12, #10
	srshr	d8, d19, #54
	srsra	d29, d0, #41
	srsra	d21, d18, #21
	srsra	d17, d23, #48
	shl	d25, d10, #43
	shl	d0, d22, #29
	shl	d17, d15, #35
	sqshl	d29, d3, #55
	sqshl	h15, h29, #7
	sqshl	d14, d24, #14
	sqshrn	h4, s15, #10
	sqshrn	h23, s29, #15
	sqshrn	b21, h23, #3
	sqrshrn	h10, s23, #8
	sqrshrn	s7, d17, #8
	sqrshrn	s30, d11, #32
	scvtf	s12, s31, #28
	scvtf	d8, d1, #46
	scvtf	d3, d5, #38
	fcvtzs	s16, s3, #32
	fcvtzs	s5, s12, #1
	fcvtzs	s20, s23, #30
	ushr	d3, d30, #14
	ushr	d20, d31, #34
	ushr	d24, d3, #41
	usra	d24, d10, #1
	usra	d27, d25, #38
	usra	d0, d24, #7
	urshr	d15, d1, #60
	urshr	d26, d31, #52
	urshr	d3, d1, #24
	ursra	d7, d17, #8
	ursra	d8, d28, #39
	ursra	d27, d21, #53
	sri	d26, d15, #41
	sri	d15, d27, #10
	sri	d26, d4, #45
	sli	d31, d18, #44
	sli	d21, d17, #2
	sli	d4, d0, #46
	sqshlu	d16, d4, #45
	sqshlu	s17, s0, #8
	sqshlu	d0, d29, #15
	uqshl	d10, d28, #57
	uqshl	d19, d27, #46
	uqshl	s30, s15, #22
	sqshrun	s25, d4, #1
	sqshrun	s29, d9, #3
	sqshrun	s7, d7, #20
	sqrshrun	s2, d25, #26
	sqrshrun	s19, d5, #10
	sqrshrun	s24, d16, #4
	uqshrn	s24, d10, #22
	uqshrn	b15, h3, #5
	uqshrn	s1, d12, #31
	uqrshrn	s14, d7, #25
	uqrshrn	b23, h29, #1
	uqrshrn	s9, d31, #30
	ucvtf	d3, d15, #53
	ucvtf	s29, s19, #24
	ucvtf	s26, s29, #12
	fcvtzu	h19, h7, #3
	fcvtzu	s1, s13, #25
	fcvtzu	s27, s3, #6
	fmla	s14, s12, v28.s[0]
	fmla	s7, s26, v4.s[1]
	fmla	d12, d14, v18.d[0]
	fmla	h0, h12, v12.h[0]
	fmla	h27, h16, v10.h[1]
	fmla	h27, h5, v15.h[3]
	sqdmlal	s24, h30, v4.h[0]
	sqdmlal	d1, s1, v6.s[3]
	sqdmlal	s21, h8, v14.h[1]
	fmls	s6, s2, v21.s[1]
	fmls	s16, s27, v16.s[1]
	fmls	s5, s15, v23.s[3]
	fmls	h28, h25, v11.h[0]
	fmls	h5, h5, v8.h[7]
	fmls	h30, h27, v2.h[0]
	sqdmlsl	s21, h23, v11.h[2]
	sqdmlsl	s14, h5, v6.h[1]
	sqdmlsl	s21, h18, v2.h[1]
	fmul	s13, s6, v31.s[1]
	fmul	s29, s15, v24.s[0]
	fmul	s21, s16, v9.s[2]
	fmul	h30, h11, v11.h[2]
	fmul	h11, h22, v15.h[5]
	fmul	h15, h19, v2.h[0]
	sqdmull	d14, s5, v12.s[2]
	sqdmull	d17, s20, v14.s[3]
	sqdmull	s18, h25, v14.h[2]
	sqdmulh	h24, h27, v12.h[5]
	sqdmulh	s28, s25, v18.s[1]
	sqdmulh	s7, s13, v25.s[3]
	sqrdmulh	s0, s23, v2.s[2]
	sqrdmulh	s25, s27, v12.s[3]
	sqrdmulh	h25, h29, v11.h[7]
	fmulx	s18, s30, v3.s[1]
	fmulx	s5, s24, v28.s[3]
	fmulx	s6, s9, v2.s[3]
	fmulx	h8, h7, v6.h[5]
	fmulx	h6, h7, v12.h[3]
	fmulx	h0, h26, v15.h[6]
	sqrdmlah	h2, h27, v6.h[3]
	sqrdmlah	h8, h15, v9.h[3]
	sqrdmlah	h22, h31, v11.h[0]
	sqrdmlsh	h16, h18, v6.h[0]
	sqrdmlsh	s20, s27, v28.s[0]
	sqrdmlsh	s14, s21, v15.s[2]
