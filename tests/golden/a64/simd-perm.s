// Advanced SIMD table lookup, permute, extract, copy (C4.1.96).
// Hand-picked forms first (aliases and the spellings kernel code uses), then three seeded random
// instances of every row of src/a64/table/simd-perm.ts as LLVM 14 prints them. Regenerate the .golden with `npm run golden`.
	tbl	v0.16b, { v30.16b, v31.16b, v0.16b }, v1.16b
	tbl	v0.16b, { v1.16b }, v2.16b
	tbx	v0.8b, { v1.16b, v2.16b, v3.16b, v4.16b }, v5.8b
	zip1	v0.16b, v1.16b, v2.16b
	uzp2	v0.2d, v1.2d, v2.2d
	trn1	v0.4s, v1.4s, v2.4s
	ext	v0.16b, v1.16b, v2.16b, #8
	ext	v0.8b, v1.8b, v2.8b, #7
	dup	v0.4s, w1
	dup	v0.2d, x1
	dup	v0.16b, wzr
	dup	v0.4s, v1.s[1]
	dup	v0.2d, v1.d[1]
	dup	v0.8b, v1.b[15]
	mov	v0.s[1], w1
	mov	v0.d[0], x1
	mov	v0.b[15], wzr
	mov	v0.s[1], v2.s[3]
	mov	v0.d[1], v2.d[0]
	mov	v0.h[7], v2.h[0]
	mov	w0, v0.s[1]
	mov	x0, v0.d[1]
	umov	w0, v0.b[1]
	umov	w0, v0.h[7]
	smov	x0, v0.h[1]
	smov	x0, v0.s[3]
	smov	w0, v0.b[15]
	tbl	v16.8b, { v2.16b, v3.16b, v4.16b }, v11.8b
	tbl	v11.8b, { v17.16b, v18.16b, v19.16b, v20.16b }, v7.8b
	tbl	v27.16b, { v12.16b }, v6.16b
	tbx	v26.16b, { v6.16b, v7.16b, v8.16b }, v6.16b
	tbx	v18.8b, { v16.16b, v17.16b }, v7.8b
	tbx	v1.8b, { v6.16b, v7.16b, v8.16b, v9.16b }, v9.8b
	uzp1	v31.8b, v2.8b, v23.8b
	uzp1	v0.16b, v9.16b, v2.16b
	uzp1	v29.8h, v0.8h, v16.8h
	trn1	v25.4s, v22.4s, v6.4s
	trn1	v18.4s, v26.4s, v31.4s
	trn1	v9.2d, v11.2d, v9.2d
	zip1	v25.8b, v25.8b, v22.8b
	zip1	v12.4s, v4.4s, v9.4s
	zip1	v20.8b, v16.8b, v1.8b
	uzp2	v22.8b, v5.8b, v7.8b
	uzp2	v17.8h, v31.8h, v12.8h
	uzp2	v2.16b, v24.16b, v16.16b
	trn2	v25.4s, v22.4s, v13.4s
	trn2	v24.4h, v15.4h, v4.4h
	trn2	v26.2d, v11.2d, v24.2d
	zip2	v31.2d, v8.2d, v10.2d
	zip2	v12.16b, v31.16b, v24.16b
	zip2	v21.4h, v15.4h, v31.4h
	ext	v26.8b, v10.8b, v29.8b, #5
	ext	v13.16b, v8.16b, v4.16b, #8
	ext	v27.16b, v4.16b, v14.16b, #11
	dup	v31.8b, v10.b[6]
	dup	v18.8b, v20.b[6]
	dup	v7.8b, v2.b[5]
	dup	v5.16b, w13
	dup	v20.2s, w14
	dup	v22.16b, w8
	mov	v7.b[3], w17
	mov	v3.b[0], w21
	mov	v19.b[1], w25
	smov	x7, v27.b[5]
	smov	wzr, v13.b[4]
	smov	x11, v0.b[6]
	umov	w18, v12.b[13]
	umov	w18, v31.b[15]
	umov	w14, v25.b[5]
	mov	v15.b[15], v20.b[3]
	mov	v10.b[9], v10.b[12]
	mov	v5.b[8], v29.b[15]
