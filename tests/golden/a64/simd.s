// Advanced SIMD vector: three same, three different, two-register misc, across lanes (C4.1.96).
// Hand-picked forms first (aliases and the spellings kernel code uses), then three seeded random
// instances of every row of src/a64/table/simd.ts as LLVM 14 prints them. Regenerate the .golden with `npm run golden`.
	mov	v0.16b, v1.16b
	mov	v2.8b, v3.8b
	orr	v0.16b, v1.16b, v2.16b
	and	v0.8b, v1.8b, v2.8b
	bic	v0.16b, v1.16b, v2.16b
	orn	v0.16b, v1.16b, v2.16b
	eor	v0.16b, v1.16b, v2.16b
	bsl	v0.16b, v1.16b, v2.16b
	bit	v0.8b, v1.8b, v2.8b
	bif	v0.16b, v1.16b, v2.16b
	mvn	v0.16b, v1.16b
	mvn	v0.8b, v1.8b
	add	v0.2d, v1.2d, v2.2d
	add	v0.4s, v1.4s, v2.4s
	sub	v0.8h, v1.8h, v2.8h
	addp	v0.4s, v1.4s, v2.4s
	mul	v0.8h, v1.8h, v2.8h
	pmul	v0.16b, v1.16b, v2.16b
	cmeq	v0.16b, v1.16b, #0
	cmeq	v0.2d, v1.2d, v2.2d
	cmhi	v0.4s, v1.4s, v2.4s
	cmlt	v0.8h, v1.8h, #0
	ushl	v0.2d, v1.2d, v2.2d
	pmull	v0.1q, v1.1d, v2.1d
	pmull2	v0.1q, v1.2d, v2.2d
	pmull	v0.8h, v1.8b, v2.8b
	pmull2	v0.8h, v1.16b, v2.16b
	umull	v0.2d, v1.2s, v2.2s
	umull2	v0.4s, v1.8h, v2.8h
	smull	v0.8h, v1.8b, v2.8b
	uaddw	v0.8h, v1.8h, v2.8b
	addhn	v0.8b, v1.8h, v2.8h
	raddhn2	v0.16b, v1.8h, v2.8h
	rev16	v0.16b, v1.16b
	rev32	v0.8h, v1.8h
	rev64	v0.4s, v1.4s
	cnt	v0.8b, v1.8b
	rbit	v0.16b, v1.16b
	xtn	v0.8b, v1.8h
	xtn2	v0.4s, v1.2d
	shll	v0.8h, v1.8b, #8
	shll2	v0.2d, v1.4s, #32
	uaddlp	v0.4h, v1.8b
	abs	v0.2d, v1.2d
	neg	v0.4s, v1.4s
	fcvtn	v0.4h, v1.4s
	fcvtl2	v0.2d, v1.4s
	fcvtxn	v0.2s, v1.2d
	fadd	v0.4s, v1.4s, v2.4s
	fadd	v0.8h, v1.8h, v2.8h
	fcmeq	v0.4s, v1.4s, #0.0
	fcmlt	v0.4h, v1.4h, #0.0
	fabs	v0.2d, v1.2d
	addv	b0, v1.16b
	addv	s0, v1.4s
	uaddlv	d0, v1.4s
	umaxv	h0, v1.8h
	fmaxnmv	s0, v1.4s
	fminv	h0, v1.8h
	sqrdmlah	v0.4s, v1.4s, v2.4s
	sdot	v0.4s, v1.16b, v2.16b
	udot	v0.2s, v1.8b, v2.8b
	fcmla	v0.4s, v1.4s, v2.4s, #90
	fcadd	v0.2d, v1.2d, v2.2d, #270
	shadd	v17.4h, v22.4h, v8.4h
	shadd	v15.8b, v10.8b, v13.8b
	shadd	v24.8h, v23.8h, v17.8h
	sqadd	v25.8h, v3.8h, v9.8h
	sqadd	v29.16b, v31.16b, v17.16b
	sqadd	v21.4h, v6.4h, v19.4h
	srhadd	v12.8h, v23.8h, v18.8h
	srhadd	v7.2s, v30.2s, v30.2s
	srhadd	v7.4h, v20.4h, v24.4h
	shsub	v5.8b, v17.8b, v18.8b
	shsub	v2.8b, v31.8b, v0.8b
	shsub	v2.8h, v14.8h, v0.8h
	sqsub	v17.4h, v24.4h, v9.4h
	sqsub	v28.16b, v28.16b, v13.16b
	sqsub	v31.4h, v12.4h, v10.4h
	cmgt	v4.2d, v1.2d, v11.2d
	cmgt	v26.4h, v20.4h, v16.4h
	cmgt	v9.8b, v29.8b, v13.8b
	cmge	v7.4h, v27.4h, v12.4h
	cmge	v25.8h, v12.8h, v28.8h
	cmge	v31.8h, v11.8h, v11.8h
	sshl	v25.4h, v28.4h, v10.4h
	sshl	v14.8h, v30.8h, v9.8h
	sshl	v19.2s, v7.2s, v10.2s
	sqshl	v16.8h, v21.8h, v5.8h
	sqshl	v10.2s, v1.2s, v2.2s
	sqshl	v28.8h, v22.8h, v21.8h
	srshl	v13.4h, v3.4h, v26.4h
	srshl	v21.8b, v18.8b, v9.8b
	srshl	v30.4s, v21.4s, v4.4s
	sqrshl	v1.2s, v19.2s, v0.2s
	sqrshl	v13.4h, v4.4h, v12.4h
	sqrshl	v17.2s, v2.2s, v0.2s
	smax	v18.16b, v4.16b, v26.16b
	smax	v30.4s, v29.4s, v27.4s
	smax	v22.2s, v24.2s, v13.2s
	smin	v27.2s, v15.2s, v18.2s
	smin	v14.8b, v0.8b, v22.8b
	smin	v14.4s, v8.4s, v12.4s
	sabd	v7.16b, v14.16b, v17.16b
	sabd	v27.16b, v9.16b, v22.16b
	sabd	v1.4s, v9.4s, v20.4s
	saba	v5.4h, v5.4h, v7.4h
	saba	v2.2s, v20.2s, v3.2s
	saba	v9.8h, v5.8h, v5.8h
	add	v1.8h, v25.8h, v28.8h
	add	v19.16b, v22.16b, v22.16b
	add	v3.8h, v15.8h, v2.8h
	cmtst	v31.2s, v9.2s, v20.2s
	cmtst	v21.8h, v9.8h, v1.8h
	cmtst	v21.4h, v1.4h, v20.4h
	mla	v28.16b, v2.16b, v21.16b
	mla	v2.8b, v18.8b, v21.8b
	mla	v19.4h, v0.4h, v22.4h
	mul	v27.4h, v3.4h, v17.4h
	mul	v27.8b, v0.8b, v21.8b
	mul	v25.8h, v11.8h, v13.8h
	smaxp	v2.16b, v31.16b, v2.16b
	smaxp	v5.8h, v26.8h, v25.8h
	smaxp	v11.8h, v17.8h, v5.8h
	sminp	v0.8b, v0.8b, v15.8b
	sminp	v20.4s, v3.4s, v8.4s
	sminp	v17.4h, v30.4h, v27.4h
	sqdmulh	v17.4s, v15.4s, v11.4s
	sqdmulh	v6.2s, v31.2s, v28.2s
	sqdmulh	v22.2s, v22.2s, v30.2s
	addp	v5.4h, v20.4h, v17.4h
	addp	v11.4h, v12.4h, v8.4h
	addp	v5.8b, v26.8b, v3.8b
	uhadd	v23.8b, v14.8b, v26.8b
	uhadd	v18.8b, v20.8b, v16.8b
	uhadd	v20.8h, v19.8h, v16.8h
	uqadd	v15.16b, v10.16b, v7.16b
	uqadd	v28.8h, v4.8h, v20.8h
	uqadd	v15.2d, v21.2d, v10.2d
	urhadd	v31.4h, v23.4h, v12.4h
	urhadd	v11.8b, v20.8b, v18.8b
	urhadd	v23.4s, v9.4s, v13.4s
	uhsub	v18.16b, v13.16b, v0.16b
	uhsub	v27.16b, v28.16b, v24.16b
	uhsub	v26.2s, v7.2s, v15.2s
	uqsub	v26.8b, v16.8b, v2.8b
	uqsub	v15.8h, v28.8h, v4.8h
	uqsub	v26.2d, v23.2d, v16.2d
	cmhi	v22.16b, v19.16b, v22.16b
	cmhi	v21.2d, v7.2d, v16.2d
	cmhi	v15.2s, v18.2s, v12.2s
	cmhs	v17.16b, v29.16b, v21.16b
	cmhs	v11.8h, v11.8h, v6.8h
	cmhs	v23.8b, v20.8b, v27.8b
	ushl	v13.16b, v19.16b, v30.16b
	ushl	v31.16b, v3.16b, v14.16b
	ushl	v10.4h, v8.4h, v23.4h
	uqshl	v2.16b, v26.16b, v23.16b
	uqshl	v1.8h, v20.8h, v21.8h
	uqshl	v14.4h, v15.4h, v13.4h
	urshl	v9.16b, v1.16b, v27.16b
	urshl	v7.16b, v2.16b, v4.16b
	urshl	v27.4h, v16.4h, v3.4h
	uqrshl	v0.8h, v22.8h, v5.8h
	uqrshl	v23.16b, v12.16b, v8.16b
	uqrshl	v11.2s, v8.2s, v1.2s
	umax	v13.4s, v25.4s, v12.4s
	umax	v0.4h, v20.4h, v13.4h
	umax	v2.4s, v0.4s, v14.4s
	umin	v28.4h, v17.4h, v10.4h
	umin	v2.8h, v9.8h, v3.8h
	umin	v1.4h, v5.4h, v18.4h
	uabd	v17.8h, v22.8h, v20.8h
	uabd	v14.8b, v12.8b, v29.8b
	uabd	v8.8b, v29.8b, v28.8b
	uaba	v15.16b, v5.16b, v1.16b
	uaba	v20.2s, v3.2s, v3.2s
	uaba	v12.8h, v24.8h, v1.8h
	sub	v18.16b, v15.16b, v13.16b
	sub	v13.4s, v22.4s, v15.4s
	sub	v24.8b, v4.8b, v3.8b
	cmeq	v22.16b, v22.16b, v27.16b
	cmeq	v28.8h, v13.8h, v13.8h
	cmeq	v20.4h, v7.4h, v0.4h
	mls	v25.4s, v11.4s, v0.4s
	mls	v17.2s, v4.2s, v17.2s
	mls	v11.2s, v9.2s, v17.2s
	pmul	v5.16b, v18.16b, v13.16b
	pmul	v19.8b, v8.8b, v4.8b
	pmul	v29.8b, v24.8b, v3.8b
	umaxp	v6.4h, v12.4h, v11.4h
	umaxp	v30.8h, v27.8h, v9.8h
	umaxp	v21.8h, v11.8h, v29.8h
	uminp	v31.16b, v29.16b, v2.16b
	uminp	v24.16b, v29.16b, v27.16b
	uminp	v24.8b, v16.8b, v12.8b
	sqrdmulh	v31.4s, v5.4s, v3.4s
	sqrdmulh	v3.4s, v5.4s, v15.4s
	sqrdmulh	v25.8h, v16.8h, v26.8h
	and	v14.16b, v10.16b, v5.16b
	and	v3.16b, v8.16b, v0.16b
	and	v20.8b, v21.8b, v31.8b
	bic	v16.16b, v8.16b, v6.16b
	bic	v11.16b, v4.16b, v27.16b
	bic	v18.16b, v20.16b, v6.16b
	orr	v26.8b, v25.8b, v3.8b
	orr	v4.16b, v12.16b, v28.16b
	orr	v23.16b, v18.16b, v1.16b
	orn	v17.16b, v26.16b, v6.16b
	orn	v27.8b, v8.8b, v27.8b
	orn	v19.16b, v23.16b, v19.16b
	eor	v3.16b, v16.16b, v20.16b
	eor	v11.8b, v14.8b, v27.8b
	eor	v11.8b, v0.8b, v17.8b
	bsl	v19.16b, v14.16b, v15.16b
	bsl	v12.8b, v23.8b, v24.8b
	bsl	v19.16b, v10.16b, v9.16b
	bit	v18.16b, v18.16b, v15.16b
	bit	v16.16b, v13.16b, v20.16b
	bit	v8.8b, v5.8b, v5.8b
	bif	v16.8b, v21.8b, v17.8b
	bif	v6.8b, v7.8b, v28.8b
	bif	v30.16b, v17.16b, v19.16b
	fmaxnm	v15.2d, v14.2d, v24.2d
	fmaxnm	v2.2s, v3.2s, v31.2s
	fmaxnm	v29.4s, v1.4s, v21.4s
	fmaxnm	v28.8h, v27.8h, v14.8h
	fmaxnm	v23.4h, v31.4h, v31.4h
	fmaxnm	v27.8h, v16.8h, v14.8h
	fmla	v30.2s, v4.2s, v7.2s
	fmla	v11.4s, v12.4s, v26.4s
	fmla	v3.4s, v0.4s, v10.4s
	fmla	v12.4h, v31.4h, v27.4h
	fmla	v31.4h, v1.4h, v12.4h
	fmla	v29.8h, v9.8h, v17.8h
	fadd	v1.2d, v13.2d, v25.2d
	fadd	v31.2s, v22.2s, v29.2s
	fadd	v2.4s, v18.4s, v29.4s
	fadd	v18.8h, v26.8h, v27.8h
	fadd	v25.4h, v11.4h, v23.4h
	fadd	v29.8h, v0.8h, v21.8h
	fmulx	v4.4s, v15.4s, v22.4s
	fmulx	v26.4s, v24.4s, v26.4s
	fmulx	v29.4s, v2.4s, v1.4s
	fmulx	v1.4h, v6.4h, v31.4h
	fmulx	v9.8h, v5.8h, v13.8h
	fmulx	v7.4h, v21.4h, v2.4h
	fcmeq	v22.2s, v26.2s, v21.2s
	fcmeq	v2.2s, v29.2s, v31.2s
	fcmeq	v29.4s, v16.4s, v15.4s
	fcmeq	v27.8h, v29.8h, v13.8h
	fcmeq	v3.8h, v26.8h, v11.8h
	fcmeq	v21.8h, v11.8h, v20.8h
	fmax	v7.2d, v20.2d, v24.2d
	fmax	v16.2d, v15.2d, v11.2d
	fmax	v31.2d, v16.2d, v5.2d
	fmax	v0.8h, v30.8h, v13.8h
	fmax	v25.8h, v25.8h, v4.8h
	fmax	v0.4h, v12.4h, v11.4h
	frecps	v6.2s, v2.2s, v10.2s
	frecps	v18.4s, v26.4s, v15.4s
	frecps	v28.4s, v0.4s, v5.4s
	frecps	v3.8h, v23.8h, v7.8h
	frecps	v14.4h, v30.4h, v4.4h
	frecps	v21.4h, v6.4h, v24.4h
	fminnm	v28.2s, v27.2s, v24.2s
	fminnm	v25.2d, v11.2d, v26.2d
	fminnm	v1.4s, v23.4s, v16.4s
	fminnm	v20.4h, v7.4h, v11.4h
	fminnm	v22.8h, v6.8h, v27.8h
	fminnm	v29.4h, v1.4h, v11.4h
	fmls	v9.4s, v19.4s, v25.4s
	fmls	v18.2d, v22.2d, v0.2d
	fmls	v29.2s, v29.2s, v8.2s
	fmls	v31.4h, v24.4h, v4.4h
	fmls	v13.8h, v9.8h, v1.8h
	fmls	v10.8h, v1.8h, v7.8h
	fsub	v30.2d, v8.2d, v17.2d
	fsub	v24.4s, v23.4s, v29.4s
	fsub	v15.4s, v15.4s, v6.4s
	fsub	v26.8h, v29.8h, v12.8h
	fsub	v8.4h, v6.4h, v25.4h
	fsub	v23.8h, v15.8h, v16.8h
	fmin	v20.2d, v16.2d, v16.2d
	fmin	v20.4s, v20.4s, v0.4s
	fmin	v18.2d, v24.2d, v21.2d
	fmin	v18.4h, v18.4h, v21.4h
	fmin	v24.8h, v11.8h, v27.8h
	fmin	v22.4h, v22.4h, v4.4h
	frsqrts	v31.4s, v11.4s, v26.4s
	frsqrts	v7.4s, v23.4s, v31.4s
	frsqrts	v13.2d, v5.2d, v11.2d
	frsqrts	v14.4h, v28.4h, v4.4h
	frsqrts	v10.8h, v25.8h, v15.8h
	frsqrts	v23.4h, v10.4h, v3.4h
	fmaxnmp	v0.4s, v15.4s, v16.4s
	fmaxnmp	v25.2s, v28.2s, v13.2s
	fmaxnmp	v28.2s, v9.2s, v27.2s
	fmaxnmp	v9.8h, v6.8h, v1.8h
	fmaxnmp	v31.4h, v25.4h, v17.4h
	fmaxnmp	v16.4h, v0.4h, v22.4h
	faddp	v13.4s, v30.4s, v21.4s
	faddp	v23.2d, v16.2d, v1.2d
	faddp	v13.2s, v14.2s, v9.2s
	faddp	v30.4h, v14.4h, v30.4h
	faddp	v25.4h, v17.4h, v22.4h
	faddp	v21.4h, v14.4h, v19.4h
	fmul	v21.4s, v0.4s, v10.4s
	fmul	v27.2d, v27.2d, v11.2d
	fmul	v9.4s, v24.4s, v0.4s
	fmul	v23.8h, v29.8h, v28.8h
	fmul	v11.8h, v20.8h, v13.8h
	fmul	v2.8h, v14.8h, v18.8h
	fcmge	v0.2d, v15.2d, v11.2d
	fcmge	v24.2d, v9.2d, v14.2d
	fcmge	v26.4s, v11.4s, v21.4s
	fcmge	v22.4h, v22.4h, v9.4h
	fcmge	v30.8h, v8.8h, v15.8h
	fcmge	v19.4h, v22.4h, v14.4h
	facge	v11.4s, v15.4s, v28.4s
	facge	v17.2d, v1.2d, v12.2d
	facge	v20.4s, v21.4s, v31.4s
	facge	v19.8h, v31.8h, v8.8h
	facge	v21.4h, v16.4h, v13.4h
	facge	v25.8h, v27.8h, v21.8h
	fmaxp	v29.2d, v20.2d, v28.2d
	fmaxp	v17.2d, v4.2d, v26.2d
	fmaxp	v21.2s, v31.2s, v15.2s
	fmaxp	v8.4h, v31.4h, v21.4h
	fmaxp	v28.8h, v3.8h, v11.8h
	fmaxp	v18.8h, v25.8h, v18.8h
	fdiv	v22.4s, v6.4s, v25.4s
	fdiv	v5.2d, v20.2d, v24.2d
	fdiv	v15.4s, v11.4s, v11.4s
	fdiv	v6.8h, v7.8h, v23.8h
	fdiv	v0.8h, v9.8h, v25.8h
	fdiv	v17.8h, v6.8h, v4.8h
	fminnmp	v4.4s, v25.4s, v27.4s
	fminnmp	v6.2s, v1.2s, v15.2s
	fminnmp	v23.2d, v3.2d, v19.2d
	fminnmp	v3.8h, v23.8h, v1.8h
	fminnmp	v13.4h, v26.4h, v11.4h
	fminnmp	v14.4h, v7.4h, v2.4h
	fabd	v12.4s, v11.4s, v18.4s
	fabd	v21.2s, v30.2s, v21.2s
	fabd	v24.2d, v5.2d, v12.2d
	fabd	v21.8h, v15.8h, v10.8h
	fabd	v20.8h, v23.8h, v14.8h
	fabd	v18.8h, v15.8h, v12.8h
	fcmgt	v6.2s, v15.2s, v6.2s
	fcmgt	v28.4s, v25.4s, v2.4s
	fcmgt	v15.2s, v31.2s, v16.2s
	fcmgt	v7.4h, v12.4h, v16.4h
	fcmgt	v2.8h, v15.8h, v8.8h
	fcmgt	v19.8h, v14.8h, v10.8h
	facgt	v9.2d, v24.2d, v15.2d
	facgt	v25.4s, v15.4s, v19.4s
	facgt	v7.2d, v4.2d, v23.2d
	facgt	v13.4h, v16.4h, v31.4h
	facgt	v17.4h, v29.4h, v5.4h
	facgt	v19.4h, v1.4h, v22.4h
	fminp	v6.2d, v22.2d, v10.2d
	fminp	v1.2d, v1.2d, v9.2d
	fminp	v1.2d, v26.2d, v17.2d
	fminp	v14.4h, v21.4h, v21.4h
	fminp	v12.8h, v26.8h, v8.8h
	fminp	v31.4h, v15.4h, v27.4h
	sqrdmlah	v19.8h, v4.8h, v17.8h
	sqrdmlah	v13.8h, v10.8h, v3.8h
	sqrdmlah	v2.4s, v8.4s, v15.4s
	sqrdmlsh	v2.8h, v13.8h, v0.8h
	sqrdmlsh	v13.2s, v14.2s, v7.2s
	sqrdmlsh	v10.4h, v22.4h, v16.4h
	sdot	v1.2s, v0.8b, v11.8b
	sdot	v19.2s, v5.8b, v15.8b
	sdot	v25.4s, v16.16b, v16.16b
	udot	v28.4s, v2.16b, v14.16b
	udot	v18.4s, v11.16b, v8.16b
	udot	v30.4s, v9.16b, v15.16b
	fcmla	v17.2s, v11.2s, v2.2s, #270
	fcmla	v1.2s, v26.2s, v20.2s, #90
	fcmla	v5.2s, v11.2s, v28.2s, #180
	fcadd	v30.4h, v20.4h, v19.4h, #90
	fcadd	v14.2d, v1.2d, v17.2d, #270
	fcadd	v18.8h, v28.8h, v22.8h, #90
	saddl	v27.2d, v8.2s, v29.2s
	saddl	v30.8h, v4.8b, v8.8b
	saddl	v23.4s, v13.4h, v18.4h
	saddl2	v10.8h, v27.16b, v5.16b
	saddl2	v10.4s, v28.8h, v16.8h
	saddl2	v17.8h, v18.16b, v3.16b
	saddw	v2.2d, v27.2d, v23.2s
	saddw	v9.8h, v9.8h, v5.8b
	saddw	v19.2d, v6.2d, v31.2s
	saddw2	v15.2d, v0.2d, v10.4s
	saddw2	v10.8h, v30.8h, v0.16b
	saddw2	v19.8h, v19.8h, v16.16b
	ssubl	v17.8h, v15.8b, v15.8b
	ssubl	v7.2d, v11.2s, v5.2s
	ssubl	v28.8h, v29.8b, v19.8b
	ssubl2	v21.2d, v2.4s, v17.4s
	ssubl2	v19.2d, v29.4s, v4.4s
	ssubl2	v2.8h, v28.16b, v3.16b
	ssubw	v12.2d, v27.2d, v9.2s
	ssubw	v29.8h, v22.8h, v28.8b
	ssubw	v23.2d, v6.2d, v23.2s
	ssubw2	v11.2d, v28.2d, v31.4s
	ssubw2	v11.4s, v21.4s, v28.8h
	ssubw2	v17.8h, v25.8h, v26.16b
	addhn	v18.8b, v3.8h, v15.8h
	addhn	v10.8b, v6.8h, v10.8h
	addhn	v6.8b, v6.8h, v8.8h
	addhn2	v17.4s, v18.2d, v12.2d
	addhn2	v31.4s, v23.2d, v31.2d
	addhn2	v10.4s, v22.2d, v26.2d
	sabal	v18.4s, v13.4h, v16.4h
	sabal	v15.8h, v8.8b, v4.8b
	sabal	v29.2d, v3.2s, v4.2s
	sabal2	v11.4s, v24.8h, v5.8h
	sabal2	v6.8h, v18.16b, v20.16b
	sabal2	v12.2d, v3.4s, v6.4s
	subhn	v19.8b, v13.8h, v10.8h
	subhn	v16.8b, v7.8h, v4.8h
	subhn	v29.4h, v9.4s, v15.4s
	subhn2	v9.8h, v6.4s, v13.4s
	subhn2	v8.16b, v7.8h, v15.8h
	subhn2	v26.16b, v10.8h, v24.8h
	sabdl	v25.4s, v29.4h, v4.4h
	sabdl	v13.8h, v26.8b, v6.8b
	sabdl	v15.8h, v1.8b, v10.8b
	sabdl2	v14.2d, v11.4s, v4.4s
	sabdl2	v6.8h, v1.16b, v10.16b
	sabdl2	v7.2d, v15.4s, v30.4s
	smlal	v7.8h, v11.8b, v0.8b
	smlal	v11.2d, v11.2s, v15.2s
	smlal	v17.2d, v17.2s, v11.2s
	smlal2	v7.4s, v1.8h, v30.8h
	smlal2	v5.2d, v21.4s, v10.4s
	smlal2	v13.8h, v14.16b, v14.16b
	sqdmlal	v18.2d, v15.2s, v27.2s
	sqdmlal	v12.4s, v19.4h, v15.4h
	sqdmlal	v28.2d, v23.2s, v30.2s
	sqdmlal2	v1.4s, v7.8h, v19.8h
	sqdmlal2	v16.2d, v17.4s, v1.4s
	sqdmlal2	v14.2d, v13.4s, v29.4s
	smlsl	v7.2d, v18.2s, v30.2s
	smlsl	v21.4s, v6.4h, v14.4h
	smlsl	v21.4s, v2.4h, v25.4h
	smlsl2	v30.4s, v9.8h, v27.8h
	smlsl2	v2.2d, v8.4s, v11.4s
	smlsl2	v1.8h, v24.16b, v19.16b
	sqdmlsl	v0.2d, v25.2s, v4.2s
	sqdmlsl	v8.2d, v25.2s, v31.2s
	sqdmlsl	v18.4s, v19.4h, v3.4h
	sqdmlsl2	v7.4s, v4.8h, v30.8h
	sqdmlsl2	v25.2d, v6.4s, v4.4s
	sqdmlsl2	v26.2d, v16.4s, v20.4s
	smull	v12.8h, v17.8b, v22.8b
	smull	v26.8h, v27.8b, v26.8b
	smull	v25.8h, v24.8b, v30.8b
	smull2	v25.2d, v11.4s, v24.4s
	smull2	v3.4s, v0.8h, v14.8h
	smull2	v24.8h, v1.16b, v2.16b
	sqdmull	v17.4s, v28.4h, v1.4h
	sqdmull	v8.2d, v4.2s, v10.2s
	sqdmull	v13.4s, v9.4h, v22.4h
	sqdmull2	v18.4s, v16.8h, v4.8h
	sqdmull2	v4.4s, v30.8h, v16.8h
	sqdmull2	v31.4s, v9.8h, v9.8h
	pmull	v10.8h, v27.8b, v15.8b
	pmull	v30.8h, v23.8b, v18.8b
	pmull	v14.1q, v22.1d, v19.1d
	pmull2	v15.1q, v4.2d, v20.2d
	pmull2	v10.1q, v22.2d, v0.2d
	pmull2	v27.8h, v24.16b, v22.16b
	uaddl	v15.2d, v0.2s, v9.2s
	uaddl	v28.8h, v18.8b, v28.8b
	uaddl	v26.2d, v25.2s, v5.2s
	uaddl2	v19.2d, v27.4s, v9.4s
	uaddl2	v24.2d, v23.4s, v20.4s
	uaddl2	v21.4s, v30.8h, v13.8h
	uaddw	v18.4s, v26.4s, v18.4h
	uaddw	v6.8h, v26.8h, v13.8b
	uaddw	v1.8h, v5.8h, v6.8b
	uaddw2	v27.8h, v12.8h, v23.16b
	uaddw2	v28.8h, v5.8h, v18.16b
	uaddw2	v11.4s, v22.4s, v13.8h
	usubl	v11.2d, v20.2s, v0.2s
	usubl	v10.2d, v6.2s, v26.2s
	usubl	v25.4s, v18.4h, v1.4h
	usubl2	v17.8h, v26.16b, v4.16b
	usubl2	v17.2d, v23.4s, v1.4s
	usubl2	v28.4s, v2.8h, v28.8h
	usubw	v8.8h, v26.8h, v13.8b
	usubw	v28.4s, v20.4s, v17.4h
	usubw	v3.4s, v15.4s, v21.4h
	usubw2	v15.2d, v13.2d, v7.4s
	usubw2	v31.2d, v6.2d, v22.4s
	usubw2	v27.8h, v5.8h, v3.16b
	raddhn	v11.8b, v11.8h, v23.8h
	raddhn	v25.2s, v20.2d, v27.2d
	raddhn	v0.8b, v20.8h, v3.8h
	raddhn2	v31.8h, v26.4s, v15.4s
	raddhn2	v7.8h, v6.4s, v26.4s
	raddhn2	v8.4s, v22.2d, v15.2d
	uabal	v19.2d, v16.2s, v9.2s
	uabal	v8.2d, v13.2s, v16.2s
	uabal	v31.4s, v24.4h, v9.4h
	uabal2	v30.8h, v8.16b, v11.16b
	uabal2	v20.2d, v29.4s, v11.4s
	uabal2	v2.4s, v27.8h, v7.8h
	rsubhn	v11.4h, v26.4s, v14.4s
	rsubhn	v31.4h, v24.4s, v19.4s
	rsubhn	v19.8b, v14.8h, v13.8h
	rsubhn2	v27.4s, v21.2d, v21.2d
	rsubhn2	v22.8h, v20.4s, v20.4s
	rsubhn2	v15.16b, v21.8h, v22.8h
	uabdl	v14.4s, v9.4h, v20.4h
	uabdl	v5.8h, v29.8b, v25.8b
	uabdl	v15.8h, v5.8b, v30.8b
	uabdl2	v18.2d, v19.4s, v6.4s
	uabdl2	v22.8h, v29.16b, v10.16b
	uabdl2	v22.8h, v11.16b, v19.16b
	umlal	v11.8h, v5.8b, v16.8b
	umlal	v20.8h, v18.8b, v6.8b
	umlal	v1.8h, v3.8b, v18.8b
	umlal2	v0.4s, v16.8h, v31.8h
	umlal2	v29.2d, v19.4s, v9.4s
	umlal2	v28.8h, v29.16b, v17.16b
	umlsl	v9.8h, v27.8b, v24.8b
	umlsl	v15.8h, v12.8b, v28.8b
	umlsl	v28.8h, v30.8b, v7.8b
	umlsl2	v11.2d, v13.4s, v9.4s
	umlsl2	v4.8h, v21.16b, v18.16b
	umlsl2	v27.4s, v25.8h, v7.8h
	umull	v1.8h, v3.8b, v26.8b
	umull	v2.8h, v29.8b, v22.8b
	umull	v3.8h, v31.8b, v1.8b
	umull2	v9.2d, v13.4s, v0.4s
	umull2	v30.4s, v5.8h, v19.8h
	umull2	v17.2d, v26.4s, v7.4s
	rev64	v2.16b, v5.16b
	rev64	v6.4h, v22.4h
	rev64	v3.8b, v28.8b
	rev16	v14.16b, v30.16b
	rev16	v25.16b, v1.16b
	rev16	v6.16b, v10.16b
	saddlp	v20.4h, v8.8b
	saddlp	v13.2s, v16.4h
	saddlp	v5.1d, v30.2s
	suqadd	v28.16b, v30.16b
	suqadd	v14.2s, v0.2s
	suqadd	v10.4h, v24.4h
	cls	v12.8b, v1.8b
	cls	v8.16b, v4.16b
	cls	v20.8b, v15.8b
	cnt	v24.8b, v20.8b
	cnt	v23.16b, v18.16b
	cnt	v21.16b, v30.16b
	sadalp	v2.4s, v27.8h
	sadalp	v15.4h, v4.8b
	sadalp	v12.8h, v16.16b
	sqabs	v15.8b, v17.8b
	sqabs	v7.8b, v8.8b
	sqabs	v14.2d, v28.2d
	cmgt	v27.16b, v25.16b, #0
	cmgt	v15.4h, v20.4h, #0
	cmgt	v28.8b, v19.8b, #0
	cmeq	v21.16b, v22.16b, #0
	cmeq	v8.8b, v30.8b, #0
	cmeq	v10.4s, v15.4s, #0
	cmlt	v13.16b, v24.16b, #0
	cmlt	v27.8h, v13.8h, #0
	cmlt	v31.8b, v29.8b, #0
	abs	v7.2d, v14.2d
	abs	v22.2s, v30.2s
	abs	v11.8h, v17.8h
	xtn	v8.8b, v31.8h
	xtn	v7.2s, v19.2d
	xtn	v24.4h, v29.4s
	xtn2	v24.16b, v14.8h
	xtn2	v28.8h, v23.4s
	xtn2	v6.4s, v6.2d
	sqxtn	v23.8b, v11.8h
	sqxtn	v16.8b, v13.8h
	sqxtn	v28.8b, v2.8h
	sqxtn2	v14.8h, v9.4s
	sqxtn2	v31.4s, v31.2d
	sqxtn2	v8.8h, v7.4s
	fcvtn	v25.2s, v10.2d
	fcvtn	v16.2s, v30.2d
	fcvtn	v25.4h, v8.4s
	fcvtn2	v3.8h, v2.4s
	fcvtn2	v25.4s, v10.2d
	fcvtn2	v4.4s, v25.2d
	fcvtl	v11.4s, v15.4h
	fcvtl	v24.4s, v5.4h
	fcvtl	v13.2d, v21.2s
	fcvtl2	v19.2d, v26.4s
	fcvtl2	v14.4s, v18.8h
	fcvtl2	v23.2d, v17.4s
	urecpe	v27.4s, v18.4s
	urecpe	v21.2s, v8.2s
	urecpe	v31.4s, v29.4s
	rev32	v11.8h, v18.8h
	rev32	v30.8b, v14.8b
	rev32	v5.8b, v30.8b
	uaddlp	v12.4s, v6.8h
	uaddlp	v27.4s, v6.8h
	uaddlp	v9.4s, v18.8h
	usqadd	v6.16b, v29.16b
	usqadd	v6.4h, v18.4h
	usqadd	v17.4s, v2.4s
	clz	v23.4h, v6.4h
	clz	v1.8h, v29.8h
	clz	v4.8h, v11.8h
	mvn	v30.16b, v25.16b
	mvn	v27.8b, v21.8b
	mvn	v24.16b, v21.16b
	rbit	v26.16b, v15.16b
	rbit	v14.16b, v17.16b
	rbit	v6.16b, v20.16b
	uadalp	v0.1d, v15.2s
	uadalp	v23.2d, v5.4s
	uadalp	v24.2d, v13.4s
	sqneg	v22.2s, v28.2s
	sqneg	v18.4s, v12.4s
	sqneg	v28.4h, v20.4h
	cmge	v22.16b, v5.16b, #0
	cmge	v6.2s, v31.2s, #0
	cmge	v7.4h, v8.4h, #0
	cmle	v31.8h, v25.8h, #0
	cmle	v0.4s, v20.4s, #0
	cmle	v14.2d, v7.2d, #0
	neg	v24.4h, v31.4h
	neg	v8.4h, v4.4h
	neg	v6.8b, v15.8b
	sqxtun	v16.4h, v10.4s
	sqxtun	v17.8b, v27.8h
	sqxtun	v5.4h, v11.4s
	sqxtun2	v10.8h, v16.4s
	sqxtun2	v23.16b, v11.8h
	sqxtun2	v2.4s, v12.2d
	shll	v7.8h, v1.8b, #8
	shll	v12.2d, v1.2s, #32
	shll	v7.2d, v29.2s, #32
	shll2	v14.8h, v20.16b, #8
	shll2	v25.4s, v20.8h, #16
	shll2	v29.8h, v7.16b, #8
	uqxtn	v8.2s, v29.2d
	uqxtn	v10.4h, v25.4s
	uqxtn	v1.8b, v12.8h
	uqxtn2	v12.8h, v21.4s
	uqxtn2	v23.8h, v15.4s
	uqxtn2	v13.4s, v4.2d
	fcvtxn	v29.2s, v15.2d
	fcvtxn	v1.2s, v3.2d
	fcvtxn	v10.2s, v3.2d
	fcvtxn2	v17.4s, v16.2d
	fcvtxn2	v20.4s, v14.2d
	fcvtxn2	v1.4s, v13.2d
	ursqrte	v15.4s, v8.4s
	ursqrte	v5.2s, v13.2s
	ursqrte	v14.4s, v19.4s
	frintn	v6.2d, v1.2d
	frintn	v6.2d, v9.2d
	frintn	v5.4s, v0.4s
	frintn	v26.4h, v25.4h
	frintn	v19.4h, v14.4h
	frintn	v0.4h, v9.4h
	frintm	v22.2d, v6.2d
	frintm	v27.2d, v5.2d
	frintm	v10.2s, v6.2s
	frintm	v15.8h, v27.8h
	frintm	v6.8h, v2.8h
	frintm	v6.8h, v22.8h
	fcvtns	v15.2d, v10.2d
	fcvtns	v18.2d, v31.2d
	fcvtns	v17.4s, v11.4s
	fcvtns	v20.4h, v20.4h
	fcvtns	v17.8h, v12.8h
	fcvtns	v25.4h, v6.4h
	fcvtms	v7.2s, v14.2s
	fcvtms	v7.2s, v28.2s
	fcvtms	v18.2s, v8.2s
	fcvtms	v27.8h, v20.8h
	fcvtms	v4.4h, v28.4h
	fcvtms	v27.8h, v26.8h
	fcvtas	v0.4s, v22.4s
	fcvtas	v25.2s, v2.2s
	fcvtas	v19.2s, v27.2s
	fcvtas	v2.8h, v4.8h
	fcvtas	v5.4h, v22.4h
	fcvtas	v2.8h, v27.8h
	scvtf	v11.4s, v10.4s
	scvtf	v0.4s, v18.4s
	scvtf	v13.2d, v3.2d
	scvtf	v3.8h, v16.8h
	scvtf	v31.4h, v17.4h
	scvtf	v28.8h, v10.8h
	frint32z	v31.2s, v29.2s
	frint32z	v14.4s, v11.4s
	frint32z	v27.2s, v7.2s
	frint64z	v31.2s, v24.2s
	frint64z	v30.2s, v18.2s
	frint64z	v22.2s, v1.2s
	fcmgt	v19.2d, v12.2d, #0.0
	fcmgt	v15.2d, v14.2d, #0.0
	fcmgt	v7.2s, v29.2s, #0.0
	fcmgt	v15.8h, v26.8h, #0.0
	fcmgt	v12.8h, v14.8h, #0.0
	fcmgt	v9.4h, v7.4h, #0.0
	fcmeq	v30.4s, v3.4s, #0.0
	fcmeq	v26.2d, v20.2d, #0.0
	fcmeq	v24.4s, v5.4s, #0.0
	fcmeq	v27.8h, v25.8h, #0.0
	fcmeq	v9.4h, v7.4h, #0.0
	fcmeq	v29.4h, v10.4h, #0.0
	fcmlt	v5.2d, v0.2d, #0.0
	fcmlt	v13.4s, v28.4s, #0.0
	fcmlt	v5.2s, v11.2s, #0.0
	fcmlt	v8.4h, v25.4h, #0.0
	fcmlt	v18.8h, v1.8h, #0.0
	fcmlt	v18.4h, v26.4h, #0.0
	fabs	v24.2d, v13.2d
	fabs	v27.2s, v16.2s
	fabs	v23.2s, v6.2s
	fabs	v29.4h, v22.4h
	fabs	v4.8h, v1.8h
	fabs	v9.4h, v26.4h
	frintp	v28.4s, v18.4s
	frintp	v4.2s, v29.2s
	frintp	v20.2s, v17.2s
	frintp	v21.4h, v11.4h
	frintp	v5.4h, v5.4h
	frintp	v23.8h, v11.8h
	frintz	v10.2s, v26.2s
	frintz	v15.4s, v5.4s
	frintz	v3.2s, v14.2s
	frintz	v2.4h, v19.4h
	frintz	v1.4h, v28.4h
	frintz	v23.4h, v6.4h
	fcvtps	v26.2s, v18.2s
	fcvtps	v9.2s, v24.2s
	fcvtps	v28.2s, v17.2s
	fcvtps	v19.4h, v12.4h
	fcvtps	v23.8h, v23.8h
	fcvtps	v25.4h, v10.4h
	fcvtzs	v7.2d, v18.2d
	fcvtzs	v18.2s, v20.2s
	fcvtzs	v25.2s, v13.2s
	fcvtzs	v30.4h, v13.4h
	fcvtzs	v21.8h, v26.8h
	fcvtzs	v14.8h, v19.8h
	frecpe	v9.4s, v19.4s
	frecpe	v12.4s, v10.4s
	frecpe	v24.2s, v22.2s
	frecpe	v15.4h, v17.4h
	frecpe	v15.8h, v13.8h
	frecpe	v27.8h, v10.8h
	frinta	v0.2d, v31.2d
	frinta	v12.4s, v11.4s
	frinta	v29.4s, v13.4s
	frinta	v12.4h, v28.4h
	frinta	v21.4h, v2.4h
	frinta	v11.4h, v5.4h
	frintx	v19.2d, v5.2d
	frintx	v24.4s, v3.4s
	frintx	v25.4s, v5.4s
	frintx	v20.8h, v19.8h
	frintx	v26.4h, v1.4h
	frintx	v26.4h, v24.4h
	fcvtnu	v31.2s, v3.2s
	fcvtnu	v1.2d, v21.2d
	fcvtnu	v16.4s, v14.4s
	fcvtnu	v12.4h, v24.4h
	fcvtnu	v27.8h, v18.8h
	fcvtnu	v13.4h, v6.4h
	fcvtmu	v19.4s, v26.4s
	fcvtmu	v9.2d, v3.2d
	fcvtmu	v4.2d, v21.2d
	fcvtmu	v30.4h, v26.4h
	fcvtmu	v29.8h, v17.8h
	fcvtmu	v24.8h, v17.8h
	fcvtau	v15.2d, v28.2d
	fcvtau	v18.4s, v20.4s
	fcvtau	v12.2d, v14.2d
	fcvtau	v9.8h, v14.8h
	fcvtau	v4.8h, v23.8h
	fcvtau	v15.8h, v15.8h
	ucvtf	v12.4s, v2.4s
	ucvtf	v13.2d, v7.2d
	ucvtf	v19.2d, v5.2d
	ucvtf	v26.4h, v27.4h
	ucvtf	v8.4h, v3.4h
	ucvtf	v25.8h, v22.8h
	frint32x	v27.2s, v29.2s
	frint32x	v4.4s, v27.4s
	frint32x	v9.2d, v11.2d
	frint64x	v26.4s, v26.4s
	frint64x	v24.4s, v4.4s
	frint64x	v7.2s, v9.2s
	fcmge	v23.2d, v8.2d, #0.0
	fcmge	v8.2d, v5.2d, #0.0
	fcmge	v28.2s, v17.2s, #0.0
	fcmge	v2.8h, v3.8h, #0.0
	fcmge	v21.4h, v26.4h, #0.0
	fcmge	v1.8h, v1.8h, #0.0
	fcmle	v1.4s, v25.4s, #0.0
	fcmle	v0.4s, v24.4s, #0.0
	fcmle	v0.4s, v14.4s, #0.0
	fcmle	v26.8h, v18.8h, #0.0
	fcmle	v28.4h, v17.4h, #0.0
	fcmle	v18.8h, v7.8h, #0.0
	fneg	v13.4s, v9.4s
	fneg	v9.4s, v13.4s
	fneg	v3.4s, v19.4s
	fneg	v10.8h, v22.8h
	fneg	v18.8h, v1.8h
	fneg	v8.8h, v30.8h
	frinti	v22.2d, v5.2d
	frinti	v25.2d, v26.2d
	frinti	v5.4s, v20.4s
	frinti	v28.8h, v11.8h
	frinti	v12.8h, v14.8h
	frinti	v7.4h, v31.4h
	fcvtpu	v11.2s, v2.2s
	fcvtpu	v30.4s, v4.4s
	fcvtpu	v11.2s, v14.2s
	fcvtpu	v3.4h, v2.4h
	fcvtpu	v16.8h, v23.8h
	fcvtpu	v15.4h, v22.4h
	fcvtzu	v7.2d, v7.2d
	fcvtzu	v14.2s, v2.2s
	fcvtzu	v0.4s, v20.4s
	fcvtzu	v1.4h, v20.4h
	fcvtzu	v23.8h, v16.8h
	fcvtzu	v27.4h, v27.4h
	frsqrte	v3.4s, v5.4s
	frsqrte	v5.4s, v4.4s
	frsqrte	v28.2d, v7.2d
	frsqrte	v31.4h, v4.4h
	frsqrte	v9.4h, v29.4h
	frsqrte	v20.4h, v26.4h
	fsqrt	v10.2s, v0.2s
	fsqrt	v22.2d, v26.2d
	fsqrt	v18.2s, v19.2s
	fsqrt	v22.8h, v6.8h
	fsqrt	v31.8h, v21.8h
	fsqrt	v1.4h, v16.4h
	saddlv	d31, v4.4s
	saddlv	h11, v14.16b
	saddlv	s20, v6.4h
	smaxv	b13, v26.16b
	smaxv	h27, v6.8h
	smaxv	h17, v10.8h
	sminv	s4, v25.4s
	sminv	b15, v29.16b
	sminv	h25, v7.4h
	addv	b28, v28.16b
	addv	h26, v7.4h
	addv	s30, v22.4s
	uaddlv	h6, v8.16b
	uaddlv	s8, v5.8h
	uaddlv	s21, v31.4h
	umaxv	h15, v24.4h
	umaxv	s0, v14.4s
	umaxv	h30, v14.4h
	uminv	s19, v1.4s
	uminv	b1, v29.16b
	uminv	s29, v25.4s
	fmaxnmv	s3, v4.4s
	fmaxnmv	s21, v20.4s
	fmaxnmv	s5, v25.4s
	fmaxnmv	h18, v8.4h
	fmaxnmv	h23, v19.8h
	fmaxnmv	h18, v25.4h
	fmaxv	s14, v2.4s
	fmaxv	s31, v2.4s
	fmaxv	s16, v5.4s
	fmaxv	h24, v10.8h
	fmaxv	h28, v4.8h
	fmaxv	h29, v19.8h
	fminnmv	s17, v21.4s
	fminnmv	s29, v26.4s
	fminnmv	s22, v5.4s
	fminnmv	h14, v15.4h
	fminnmv	h13, v2.4h
	fminnmv	h5, v2.8h
	fminv	s0, v22.4s
	fminv	s27, v26.4s
	fminv	s30, v8.4s
	fminv	h15, v4.4h
	fminv	h16, v25.4h
	fminv	h9, v25.8h
