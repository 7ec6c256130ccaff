// Advanced SIMD modified immediate, shift by immediate, vector x indexed element (C4.1.96).
// Hand-picked forms first (aliases and the spellings kernel code uses), then three seeded random
// instances of every row of src/a64/table/simd-imm.ts as LLVM 14 prints them. Regenerate the .golden with `npm run golden`.
	movi	v0.16b, #255
	movi	v0.8b, #18
	movi	v0.4s, #1, lsl #8
	movi	v0.4s, #18
	movi	v0.2s, #1, msl #16
	movi	v0.4h, #200
	movi	d0, #0000000000000000
	movi	v1.2d, #0000000000000000
	movi	d0, #0xff00ff00ff00ff00
	movi	v0.2d, #0x000000000000ff
	movi	d0, #0xffffffffffffffff
	mvni	v0.4h, #1, lsl #8
	mvni	v0.4s, #200, msl #16
	orr	v0.4s, #1, lsl #8
	orr	v1.8h, #18, lsl #8
	bic	v0.8h, #255
	bic	v1.2s, #200
	fmov	v0.4s, #1.00000000
	fmov	v0.2d, #-31.00000000
	fmov	v0.2s, #0.12500000
	fmov	v0.8h, #2.50000000
	ushr	v0.2d, v1.2d, #64
	ushr	v0.16b, v1.16b, #1
	sshr	v0.4s, v1.4s, #31
	shl	v0.2d, v1.2d, #63
	shl	v0.8b, v1.8b, #0
	sri	v0.2d, v1.2d, #1
	sli	v0.4s, v1.4s, #7
	usra	v0.8h, v1.8h, #16
	shrn	v0.8b, v1.8h, #8
	rshrn2	v0.8h, v1.4s, #16
	ushll	v0.8h, v1.8b, #0
	ushll	v0.8h, v1.8b, #3
	sshll2	v0.4s, v1.8h, #0
	ushll2	v0.2d, v1.4s, #31
	scvtf	v0.4s, v1.4s, #16
	fcvtzu	v0.2d, v1.2d, #64
	mul	v0.4s, v1.4s, v2.s[1]
	mla	v0.8h, v1.8h, v15.h[7]
	sqrdmlah	v0.4s, v1.4s, v2.s[1]
	umull	v0.2d, v1.2s, v2.s[3]
	smlal2	v0.4s, v1.8h, v2.h[0]
	fmla	v0.2d, v1.2d, v2.d[1]
	fmul	v0.4s, v1.4s, v31.s[3]
	fmul	v0.8h, v1.8h, v15.h[7]
	sdot	v0.4s, v1.16b, v2.4b[1]
	udot	v0.2s, v1.8b, v31.4b[3]
	fcmla	v0.8h, v1.8h, v2.h[3], #180
	fcmla	v0.4s, v1.4s, v2.s[1], #270
	movi	v24.4s, #141, lsl #8
	movi	v4.2s, #242
	movi	v4.4s, #247
	orr	v31.2s, #92, lsl #16
	orr	v25.2s, #71
	orr	v18.4s, #233, lsl #24
	movi	v31.4h, #209, lsl #8
	movi	v3.4h, #124, lsl #8
	movi	v11.4h, #158
	orr	v1.4h, #192
	orr	v15.8h, #112
	orr	v23.8h, #0
	movi	v2.2s, #116, msl #8
	movi	v9.4s, #250, msl #16
	movi	v27.4s, #221, msl #16
	movi	v24.16b, #117
	movi	v1.16b, #50
	movi	v25.16b, #70
	fmov	v28.2s, #-31.00000000
	fmov	v17.4s, #-28.00000000
	fmov	v5.4s, #-13.00000000
	fmov	v0.8h, #-0.68750000
	fmov	v7.4h, #8.50000000
	fmov	v7.4h, #-1.06250000
	mvni	v17.4s, #31, lsl #24
	mvni	v25.4s, #130, lsl #16
	mvni	v14.4s, #213, lsl #24
	bic	v23.2s, #239, lsl #24
	bic	v16.4s, #16
	bic	v5.4s, #147, lsl #16
	mvni	v4.4h, #147
	mvni	v3.4h, #110, lsl #8
	mvni	v10.8h, #73, lsl #8
	bic	v21.4h, #59
	bic	v10.4h, #87
	bic	v29.4h, #107, lsl #8
	mvni	v20.4s, #188, msl #8
	mvni	v28.2s, #226, msl #8
	mvni	v17.2s, #246, msl #8
	movi	d28, #0xff000000ffff0000
	movi	d20, #0xffff0000ff00ff00
	movi	d24, #0xffffff00ffff0000
	movi	v15.2d, #0x000000000000ff
	movi	v29.2d, #0xff0000ff00ffff00
	movi	v7.2d, #0xffff00000000ff
	fmov	v30.2d, #1.12500000
	fmov	v28.2d, #21.00000000
	fmov	v12.2d, #-29.00000000
	sshr	v29.2d, v11.2d, #40
	sshr	v29.2d, v28.2d, #49
	sshr	v4.2d, v10.2d, #34
	ssra	v29.2d, v5.2d, #18
	ssra	v9.2d, v0.2d, #4
	ssra	v22.2d, v31.2d, #37
	srshr	v17.2d, v23.2d, #60
	srshr	v3.2d, v6.2d, #19
	srshr	v6.4h, v4.4h, #8
	srsra	v3.2d, v27.2d, #18
	srsra	v26.4s, v16.4s, #19
	srsra	v18.2d, v12.2d, #48
	shl	v31.4h, v20.4h, #15
	shl	v29.8h, v24.8h, #11
	shl	v7.2d, v27.2d, #27
	sqshl	v0.2d, v11.2d, #26
	sqshl	v6.2d, v16.2d, #40
	sqshl	v9.8h, v13.8h, #4
	shrn	v7.4h, v7.4s, #2
	shrn	v29.2s, v25.2d, #5
	shrn	v8.2s, v8.2d, #14
	shrn2	v10.8h, v21.4s, #14
	shrn2	v1.4s, v20.2d, #32
	shrn2	v28.4s, v27.2d, #1
	rshrn	v12.2s, v7.2d, #4
	rshrn	v25.2s, v24.2d, #26
	rshrn	v8.4h, v21.4s, #7
	rshrn2	v22.4s, v15.2d, #23
	rshrn2	v3.8h, v20.4s, #15
	rshrn2	v27.4s, v12.2d, #16
	sqshrn	v26.2s, v15.2d, #12
	sqshrn	v3.4h, v19.4s, #7
	sqshrn	v19.8b, v29.8h, #8
	sqshrn2	v11.4s, v25.2d, #11
	sqshrn2	v14.8h, v23.4s, #5
	sqshrn2	v3.8h, v15.4s, #4
	sqrshrn	v25.2s, v2.2d, #21
	sqrshrn	v31.2s, v9.2d, #16
	sqrshrn	v7.2s, v26.2d, #26
	sqrshrn2	v11.8h, v6.4s, #13
	sqrshrn2	v1.4s, v10.2d, #13
	sqrshrn2	v16.4s, v12.2d, #1
	sshll	v6.4s, v29.4h, #5
	sshll	v26.2d, v26.2s, #28
	sshll	v12.8h, v7.8b, #6
	sshll2	v8.2d, v7.4s, #8
	sshll2	v15.2d, v16.4s, #2
	sshll2	v16.2d, v15.4s, #30
	scvtf	v23.2s, v8.2s, #9
	scvtf	v16.2d, v13.2d, #51
	scvtf	v4.2d, v14.2d, #41
	fcvtzs	v4.2d, v11.2d, #50
	fcvtzs	v31.4h, v23.4h, #6
	fcvtzs	v24.2s, v2.2s, #30
	ushr	v29.2d, v4.2d, #19
	ushr	v5.8h, v12.8h, #2
	ushr	v30.2d, v12.2d, #20
	usra	v9.4s, v31.4s, #17
	usra	v28.2s, v28.2s, #7
	usra	v0.16b, v6.16b, #7
	urshr	v22.2d, v13.2d, #31
	urshr	v8.2d, v10.2d, #14
	urshr	v4.4h, v20.4h, #7
	ursra	v27.8h, v10.8h, #12
	ursra	v7.2d, v13.2d, #31
	ursra	v24.2s, v9.2s, #6
	sri	v6.4s, v23.4s, #25
	sri	v9.2d, v2.2d, #54
	sri	v30.2d, v31.2d, #18
	sli	v20.2d, v15.2d, #6
	sli	v3.2s, v9.2s, #7
	sli	v10.4s, v0.4s, #11
	sqshlu	v7.2d, v21.2d, #33
	sqshlu	v26.2d, v22.2d, #16
	sqshlu	v11.4s, v18.4s, #31
	uqshl	v26.4h, v10.4h, #9
	uqshl	v1.8h, v15.8h, #8
	uqshl	v0.2s, v8.2s, #25
	sqshrun	v10.2s, v26.2d, #32
	sqshrun	v4.4h, v18.4s, #3
	sqshrun	v16.2s, v9.2d, #3
	sqshrun2	v16.4s, v3.2d, #11
	sqshrun2	v5.4s, v14.2d, #24
	sqshrun2	v13.4s, v29.2d, #30
	sqrshrun	v10.4h, v9.4s, #16
	sqrshrun	v25.2s, v22.2d, #9
	sqrshrun	v28.8b, v11.8h, #8
	sqrshrun2	v14.8h, v31.4s, #9
	sqrshrun2	v26.4s, v24.2d, #27
	sqrshrun2	v11.8h, v26.4s, #9
	uqshrn	v24.2s, v7.2d, #3
	uqshrn	v11.2s, v12.2d, #13
	uqshrn	v13.2s, v2.2d, #22
	uqshrn2	v22.4s, v12.2d, #7
	uqshrn2	v20.16b, v1.8h, #4
	uqshrn2	v19.4s, v8.2d, #20
	uqrshrn	v31.2s, v26.2d, #28
	uqrshrn	v31.2s, v1.2d, #1
	uqrshrn	v10.4h, v26.4s, #1
	uqrshrn2	v20.4s, v28.2d, #9
	uqrshrn2	v16.8h, v30.4s, #16
	uqrshrn2	v11.4s, v7.2d, #24
	ushll	v1.2d, v13.2s, #9
	ushll	v28.4s, v12.4h, #10
	ushll	v24.2d, v6.2s, #23
	ushll2	v16.2d, v29.4s, #8
	ushll2	v24.2d, v21.4s, #18
	ushll2	v22.2d, v25.4s, #16
	ucvtf	v19.4h, v11.4h, #14
	ucvtf	v20.4h, v0.4h, #13
	ucvtf	v25.4h, v31.4h, #14
	fcvtzu	v20.4s, v7.4s, #3
	fcvtzu	v20.4s, v10.4s, #21
	fcvtzu	v3.2s, v27.2s, #16
	fmla	v9.2s, v20.2s, v2.s[2]
	fmla	v29.4s, v10.4s, v29.s[3]
	fmla	v3.4s, v20.4s, v14.s[1]
	fmla	v16.4h, v8.4h, v11.h[7]
	fmla	v29.8h, v22.8h, v11.h[0]
	fmla	v6.4h, v9.4h, v13.h[6]
	smlal	v14.4s, v17.4h, v0.h[7]
	smlal	v28.2d, v18.2s, v2.s[1]
	smlal	v19.4s, v28.4h, v1.h[0]
	smlal2	v21.4s, v8.8h, v6.h[6]
	smlal2	v27.2d, v0.4s, v3.s[2]
	smlal2	v26.4s, v18.8h, v0.h[6]
	sqdmlal	v9.2d, v20.2s, v28.s[0]
	sqdmlal	v3.2d, v0.2s, v27.s[3]
	sqdmlal	v19.2d, v21.2s, v21.s[1]
	sqdmlal2	v8.4s, v26.8h, v8.h[4]
	sqdmlal2	v21.4s, v5.8h, v5.h[3]
	sqdmlal2	v19.2d, v25.4s, v2.s[1]
	fmls	v13.4s, v17.4s, v7.s[2]
	fmls	v27.2s, v29.2s, v13.s[2]
	fmls	v28.4s, v10.4s, v0.s[1]
	fmls	v10.8h, v26.8h, v6.h[2]
	fmls	v7.8h, v19.8h, v4.h[3]
	fmls	v31.4h, v31.4h, v0.h[7]
	smlsl	v26.4s, v18.4h, v6.h[2]
	smlsl	v2.4s, v6.4h, v8.h[7]
	smlsl	v9.4s, v2.4h, v14.h[3]
	smlsl2	v9.4s, v7.8h, v11.h[6]
	smlsl2	v21.4s, v8.8h, v0.h[0]
	smlsl2	v28.2d, v24.4s, v4.s[3]
	sqdmlsl	v26.2d, v7.2s, v11.s[3]
	sqdmlsl	v15.2d, v4.2s, v13.s[2]
	sqdmlsl	v26.2d, v4.2s, v4.s[3]
	sqdmlsl2	v12.4s, v4.8h, v14.h[7]
	sqdmlsl2	v5.4s, v4.8h, v1.h[5]
	sqdmlsl2	v4.4s, v7.8h, v11.h[2]
	mul	v12.2s, v8.2s, v23.s[3]
	mul	v18.8h, v21.8h, v1.h[2]
	mul	v0.4h, v0.4h, v15.h[5]
	fmul	v17.2s, v15.2s, v29.s[0]
	fmul	v19.4s, v11.4s, v7.s[2]
	fmul	v13.4s, v1.4s, v7.s[3]
	fmul	v31.8h, v2.8h, v12.h[2]
	fmul	v11.4h, v7.4h, v15.h[1]
	fmul	v14.8h, v8.8h, v5.h[6]
	smull	v16.2d, v0.2s, v4.s[0]
	smull	v23.4s, v18.4h, v9.h[6]
	smull	v8.4s, v6.4h, v8.h[7]
	smull2	v8.4s, v6.8h, v11.h[2]
	smull2	v19.4s, v9.8h, v2.h[5]
	smull2	v29.2d, v26.4s, v10.s[3]
	sqdmull	v23.2d, v3.2s, v22.s[0]
	sqdmull	v24.4s, v1.4h, v14.h[5]
	sqdmull	v5.2d, v21.2s, v24.s[3]
	sqdmull2	v20.4s, v5.8h, v3.h[1]
	sqdmull2	v26.4s, v30.8h, v4.h[1]
	sqdmull2	v5.4s, v26.8h, v8.h[5]
	sqdmulh	v18.2s, v4.2s, v6.s[0]
	sqdmulh	v20.2s, v27.2s, v4.s[0]
	sqdmulh	v2.4h, v18.4h, v14.h[5]
	sqrdmulh	v18.8h, v8.8h, v9.h[0]
	sqrdmulh	v27.4h, v6.4h, v11.h[3]
	sqrdmulh	v10.4h, v25.4h, v2.h[0]
	sdot	v1.4s, v17.16b, v14.4b[3]
	sdot	v2.2s, v1.8b, v1.4b[1]
	sdot	v30.2s, v16.8b, v9.4b[0]
	mla	v4.2s, v16.2s, v24.s[0]
	mla	v25.4s, v23.4s, v10.s[3]
	mla	v4.4s, v28.4s, v27.s[3]
	umlal	v12.4s, v6.4h, v10.h[6]
	umlal	v16.2d, v3.2s, v20.s[2]
	umlal	v19.4s, v14.4h, v14.h[2]
	umlal2	v1.4s, v6.8h, v11.h[2]
	umlal2	v12.2d, v29.4s, v6.s[2]
	umlal2	v4.4s, v30.8h, v4.h[6]
	mls	v23.4h, v7.4h, v12.h[1]
	mls	v14.4s, v7.4s, v15.s[3]
	mls	v12.4h, v15.4h, v2.h[6]
	umlsl	v0.4s, v29.4h, v2.h[7]
	umlsl	v11.2d, v21.2s, v18.s[3]
	umlsl	v4.4s, v31.4h, v5.h[0]
	umlsl2	v15.2d, v7.4s, v18.s[1]
	umlsl2	v7.2d, v24.4s, v14.s[3]
	umlsl2	v10.4s, v10.8h, v15.h[1]
	fmulx	v13.2d, v13.2d, v17.d[0]
	fmulx	v4.2s, v11.2s, v25.s[0]
	fmulx	v5.2d, v21.2d, v4.d[1]
	fmulx	v18.4h, v6.4h, v15.h[0]
	fmulx	v31.8h, v25.8h, v2.h[4]
	fmulx	v7.4h, v15.4h, v1.h[2]
	umull	v4.2d, v17.2s, v17.s[2]
	umull	v16.4s, v5.4h, v12.h[7]
	umull	v13.4s, v18.4h, v6.h[7]
	umull2	v17.2d, v18.4s, v26.s[0]
	umull2	v17.4s, v25.8h, v11.h[1]
	umull2	v20.4s, v18.8h, v7.h[5]
	sqrdmlah	v17.2s, v8.2s, v26.s[1]
	sqrdmlah	v28.4s, v13.4s, v27.s[0]
	sqrdmlah	v15.4s, v10.4s, v24.s[0]
	udot	v6.2s, v0.8b, v22.4b[0]
	udot	v2.2s, v5.8b, v30.4b[3]
	udot	v13.2s, v12.8b, v18.4b[3]
	sqrdmlsh	v19.4h, v3.4h, v5.h[0]
	sqrdmlsh	v27.4s, v20.4s, v10.s[1]
	sqrdmlsh	v6.4s, v1.4s, v27.s[3]
	fcmla	v2.8h, v25.8h, v16.h[3], #0
	fcmla	v8.8h, v29.8h, v22.h[1], #0
	fcmla	v8.4h, v28.4h, v3.h[1], #270
	fcmla	v31.4s, v18.4s, v12.s[0], #180
	fcmla	v13.4s, v8.4s, v13.s[1], #180
	fcmla	v11.4s, v4.4s, v16.s[0], #270
