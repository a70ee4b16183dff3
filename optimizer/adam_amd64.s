#include "textflag.h"

// func adamAVX2(w, g, m, v []float32, k *adamStep)
//
// The update of adamStep.updateGo, eight values at a time, with the same
// operations in the same order (no fused multiply-add), so every result is
// bit for bit the loop's. len(w) is a multiple of 8; g, m and v are as long.
TEXT ·adamAVX2(SB), NOSPLIT, $0-104
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ k+96(FP), DX

	VBROADCASTSS 0(DX), Y8   // b1
	VBROADCASTSS 4(DX), Y9   // b2
	VBROADCASTSS 8(DX), Y10  // lrHat
	VBROADCASTSS 12(DX), Y11 // vCorr
	VBROADCASTSS 16(DX), Y12 // eps
	VBROADCASTSS 20(DX), Y13 // 1 - b1
	VBROADCASTSS 24(DX), Y14 // 1 - b2
	VBROADCASTSS 28(DX), Y7  // tinyMoment
	VPCMPEQD     Y15, Y15, Y15
	VPSRLD       $1, Y15, Y15 // 0x7fffffff: |x|

	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPS (SI)(AX*4), Y0 // g

	// m = flush(b1·m + (1-b1)·g)
	VMULPS  (R8)(AX*4), Y8, Y1
	VMULPS  Y0, Y13, Y2
	VADDPS  Y2, Y1, Y1
	VANDPS  Y15, Y1, Y2
	VCMPPS  $1, Y7, Y2, Y2 // |m| < tiny
	VANDNPS Y1, Y2, Y1
	VMOVUPS Y1, (R8)(AX*4)

	// v = flush(b2·v + ((1-b2)·g)·g)
	VMULPS  (R9)(AX*4), Y9, Y3
	VMULPS  Y0, Y14, Y4
	VMULPS  Y0, Y4, Y4
	VADDPS  Y4, Y3, Y3
	VANDPS  Y15, Y3, Y4
	VCMPPS  $1, Y7, Y4, Y4 // |v| < tiny
	VANDNPS Y3, Y4, Y3
	VMOVUPS Y3, (R9)(AX*4)

	// w -= (lrHat·m) / (√(v·vCorr) + eps)
	VMULPS  Y11, Y3, Y3
	VSQRTPS Y3, Y3
	VADDPS  Y12, Y3, Y3
	VMULPS  Y1, Y10, Y1
	VDIVPS  Y3, Y1, Y1
	VMOVUPS (DI)(AX*4), Y5
	VSUBPS  Y1, Y5, Y5
	VMOVUPS Y5, (DI)(AX*4)

	ADDQ $8, AX
	JMP  loop

done:
	VZEROUPPER
	RET

// func nonFiniteAVX2(g []float32) bool
//
// Whether any of g (a multiple of 8 long) is NaN or ±Inf: x - x is 0 for
// every finite x and NaN otherwise; the bits of those differences are ORed
// together, which is NaN exactly when one of them was.
TEXT ·nonFiniteAVX2(SB), NOSPLIT, $0-25
	MOVQ   g_base+0(FP), SI
	MOVQ   g_len+8(FP), CX
	VXORPS Y0, Y0, Y0
	XORQ   AX, AX

scan:
	CMPQ    AX, CX
	JGE     check
	VMOVUPS (SI)(AX*4), Y1
	VSUBPS  Y1, Y1, Y1
	VORPS   Y1, Y0, Y0
	ADDQ    $8, AX
	JMP     scan

check:
	VCMPPS    $3, Y0, Y0, Y0 // unordered: NaN
	VMOVMSKPS Y0, AX
	TESTL     AX, AX
	SETNE     ret+24(FP)
	VZEROUPPER
	RET
