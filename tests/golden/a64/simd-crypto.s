// Cryptographic extension rows (C4.1.96).
// Hand-picked forms first (aliases and the spellings kernel code uses), then three seeded random
// instances of every row of src/a64/table/simd-crypto.ts as LLVM 14 prints them. Regenerate the .golden with `npm run golden`.
	aese	v0.16b, v1.16b
	aesd	v0.16b, v1.16b
	aesmc	v0.16b, v0.16b
	aesimc	v0.16b, v0.16b
	sha1c	q0, s1, v2.4s
	sha1h	s0, s1
	sha1su1	v0.4s, v1.4s
	sha256h	q0, q1, v2.4s
	sha256h2	q0, q1, v2.4s
	sha256su0	v0.4s, v1.4s
	sha256su1	v0.4s, v1.4s, v2.4s
	sha512h	q0, q1, v2.2d
	sha512su0	v0.2d, v1.2d
	eor3	v0.16b, v1.16b, v2.16b, v3.16b
	bcax	v0.16b, v1.16b, v2.16b, v3.16b
	rax1	v0.2d, v1.2d, v2.2d
	xar	v0.2d, v1.2d, v2.2d, #63
	sm3tt1a	v0.4s, v1.4s, v2.s[3]
	sm4e	v0.4s, v1.4s
	aese	v15.16b, v22.16b
	aese	v31.16b, v15.16b
	aese	v12.16b, v4.16b
	aesd	v30.16b, v8.16b
	aesd	v7.16b, v13.16b
	aesd	v13.16b, v3.16b
	aesmc	v21.16b, v29.16b
	aesmc	v11.16b, v29.16b
	aesmc	v14.16b, v1.16b
	aesimc	v12.16b, v5.16b
	aesimc	v20.16b, v16.16b
	aesimc	v31.16b, v28.16b
	sha1c	q20, s17, v18.4s
	sha1c	q31, s6, v19.4s
	sha1c	q29, s15, v2.4s
	sha1p	q0, s18, v29.4s
	sha1p	q14, s6, v7.4s
	sha1p	q2, s0, v4.4s
	sha1m	q2, s13, v8.4s
	sha1m	q16, s22, v8.4s
	sha1m	q27, s10, v16.4s
	sha1su0	v5.4s, v13.4s, v5.4s
	sha1su0	v15.4s, v18.4s, v25.4s
	sha1su0	v2.4s, v27.4s, v0.4s
	sha256h	q2, q17, v28.4s
	sha256h	q23, q17, v14.4s
	sha256h	q8, q18, v18.4s
	sha256h2	q16, q19, v0.4s
	sha256h2	q22, q20, v6.4s
	sha256h2	q4, q2, v3.4s
	sha256su1	v29.4s, v19.4s, v28.4s
	sha256su1	v3.4s, v28.4s, v2.4s
	sha256su1	v7.4s, v13.4s, v16.4s
	sha1h	s12, s8
	sha1h	s11, s11
	sha1h	s19, s0
	sha1su1	v24.4s, v19.4s
	sha1su1	v15.4s, v9.4s
	sha1su1	v5.4s, v27.4s
	sha256su0	v29.4s, v27.4s
	sha256su0	v19.4s, v29.4s
	sha256su0	v25.4s, v14.4s
	sha512h	q18, q28, v18.2d
	sha512h	q30, q19, v29.2d
	sha512h	q30, q27, v27.2d
	sha512h2	q1, q8, v24.2d
	sha512h2	q19, q6, v5.2d
	sha512h2	q3, q13, v16.2d
	sha512su1	v27.2d, v22.2d, v31.2d
	sha512su1	v30.2d, v14.2d, v2.2d
	sha512su1	v10.2d, v14.2d, v1.2d
	rax1	v0.2d, v15.2d, v29.2d
	rax1	v15.2d, v10.2d, v3.2d
	rax1	v6.2d, v27.2d, v27.2d
	sm3partw1	v10.4s, v18.4s, v0.4s
	sm3partw1	v22.4s, v9.4s, v23.4s
	sm3partw1	v5.4s, v22.4s, v23.4s
	sm3partw2	v7.4s, v29.4s, v11.4s
	sm3partw2	v26.4s, v23.4s, v7.4s
	sm3partw2	v12.4s, v29.4s, v2.4s
	sm4ekey	v20.4s, v7.4s, v22.4s
	sm4ekey	v13.4s, v28.4s, v16.4s
	sm4ekey	v0.4s, v11.4s, v21.4s
	eor3	v6.16b, v21.16b, v0.16b, v30.16b
	eor3	v31.16b, v2.16b, v0.16b, v28.16b
	eor3	v10.16b, v6.16b, v24.16b, v17.16b
	bcax	v11.16b, v4.16b, v20.16b, v22.16b
	bcax	v2.16b, v9.16b, v9.16b, v21.16b
	bcax	v6.16b, v20.16b, v13.16b, v5.16b
	sm3ss1	v30.4s, v13.4s, v5.4s, v3.4s
	sm3ss1	v22.4s, v10.4s, v6.4s, v5.4s
	sm3ss1	v17.4s, v25.4s, v10.4s, v28.4s
	sha512su0	v15.2d, v30.2d
	sha512su0	v23.2d, v27.2d
	sha512su0	v15.2d, v6.2d
	sm4e	v6.4s, v16.4s
	sm4e	v23.4s, v27.4s
	sm4e	v5.4s, v29.4s
	xar	v0.2d, v16.2d, v27.2d, #50
	xar	v6.2d, v12.2d, v6.2d, #4
	xar	v16.2d, v12.2d, v17.2d, #8
	sm3tt1a	v20.4s, v24.4s, v17.s[1]
	sm3tt1a	v5.4s, v6.4s, v23.s[1]
	sm3tt1a	v25.4s, v21.4s, v13.s[1]
	sm3tt1b	v14.4s, v8.4s, v5.s[1]
	sm3tt1b	v22.4s, v19.4s, v5.s[0]
	sm3tt1b	v21.4s, v21.4s, v6.s[0]
	sm3tt2a	v25.4s, v2.4s, v16.s[2]
	sm3tt2a	v15.4s, v17.4s, v9.s[2]
	sm3tt2a	v24.4s, v6.4s, v18.s[1]
	sm3tt2b	v30.4s, v9.4s, v9.s[0]
	sm3tt2b	v2.4s, v7.4s, v13.s[0]
	sm3tt2b	v4.4s, v10.4s, v6.s[3]
