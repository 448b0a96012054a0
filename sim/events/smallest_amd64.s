//go:build !purego

#include "textflag.h"

// func replaceSmallestAVX2(v []uint64, k uint64) uint64
//
// replaceSmallestGo (smallest.go), the slots four at a time: for i = 0, 4,
// ... while slot i+4 exists, v[i..i+3] = min(max(v[i..i+3], k), v[i+1..i+4])
// on the old values (a chunk reads v[i+4], which the next chunk writes
// after this one has read it), then the remaining slots one by one as the
// Go code does, the last max(v[n−1], k). The times are bits of
// non-negative float64s, below 2⁶³, so AVX2's signed 64-bit comparison
// orders them as the unsigned one would.
TEXT ·replaceSmallestAVX2(SB), NOSPLIT, $0-40
	MOVQ v_base+0(FP), SI
	MOVQ v_len+8(FP), CX
	MOVQ k+24(FP), DX
	CMPQ CX, $1
	JGT  several
	JLT  none
	MOVQ DX, (SI)

none: // no slot (never asked): nothing read or written
	MOVQ DX, ret+32(FP)
	RET

several:
	// The new minimum: min(k, v[1]).
	MOVQ    8(SI), AX
	CMPQ    AX, DX
	CMOVQHI DX, AX
	MOVQ    AX, ret+32(FP)

	VPBROADCASTQ k+24(FP), Y0
	XORQ         BX, BX     // slot i
	LEAQ         -5(CX), R8 // the last i a chunk starts at: n−5

chunk:
	CMPQ      BX, R8
	JGT       one
	VMOVDQU   (SI)(BX*8), Y1      // v[i..i+3]
	VMOVDQU   8(SI)(BX*8), Y2     // v[i+1..i+4]
	VPCMPGTQ  Y0, Y1, Y3          // v[i] > k
	VPBLENDVB Y3, Y1, Y0, Y4      // max(v[i], k)
	VPCMPGTQ  Y2, Y4, Y5          // that > v[i+1]
	VPBLENDVB Y5, Y2, Y4, Y6      // min(that, v[i+1])
	VMOVDQU   Y6, (SI)(BX*8)
	ADDQ      $4, BX
	JMP       chunk

one:
	VZEROUPPER
	LEAQ -1(CX), R8      // the last slot
	MOVQ (SI)(BX*8), R9  // v[i], not yet written

loop:
	CMPQ    BX, R8
	JGE     last
	MOVQ    8(SI)(BX*8), R10 // v[i+1]
	MOVQ    R9, R11
	CMPQ    R11, DX
	CMOVQCS DX, R11          // max(v[i], k)
	CMPQ    R11, R10
	CMOVQHI R10, R11         // min(that, v[i+1])
	MOVQ    R11, (SI)(BX*8)
	MOVQ    R10, R9
	INCQ    BX
	JMP     loop

last:
	CMPQ    R9, DX
	CMOVQCS DX, R9           // max(v[n−1], k)
	MOVQ    R9, (SI)(BX*8)
	RET
