#include "textflag.h"

// The element-wise loops of sigmoid32 and maskNegatives, eight values at a
// time, with the scalar loops' operations in their order, so every result is
// bit for bit theirs (kernels_test.go). Lengths are multiples of 8.

// func negAbsFloorAVX2(dst, l []float32)
// dst = max(-|l|, -87), NaN staying NaN.
TEXT ·negAbsFloorAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ l_base+24(FP), SI
	MOVQ l_len+32(FP), CX
	VPCMPEQD Y15, Y15, Y15
	VPSLLD   $31, Y15, Y15 // sign bit
	MOVL     $0xc2ae0000, AX // -87
	VMOVD    AX, X14
	VBROADCASTSS X14, Y14
	XORQ     AX, AX

negloop:
	CMPQ    AX, CX
	JGE     negdone
	VMOVUPS (SI)(AX*4), Y0
	VORPS   Y15, Y0, Y0  // -|l|
	VMAXPS  Y0, Y14, Y0  // max(-87, -|l|): a NaN in -|l| is returned
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     negloop

negdone:
	VZEROUPPER
	RET

// func sigmoidFromExpAVX2(s, l []float32)
// s holds e = exp(-|l|); s = 1/(1 + e), times e where l < 0.
TEXT ·sigmoidFromExpAVX2(SB), NOSPLIT, $0-48
	MOVQ s_base+0(FP), DI
	MOVQ l_base+24(FP), SI
	MOVQ l_len+32(FP), CX
	MOVL $0x3f800000, AX // 1
	VMOVD AX, X15
	VBROADCASTSS X15, Y15
	VXORPS Y14, Y14, Y14
	XORQ   AX, AX

sigloop:
	CMPQ      AX, CX
	JGE       sigdone
	VMOVUPS   (DI)(AX*4), Y0 // e
	VADDPS    Y15, Y0, Y1    // 1 + e
	VDIVPS    Y1, Y15, Y1    // 1/(1 + e)
	VMULPS    Y0, Y1, Y2     // e/(1 + e)
	VMOVUPS   (SI)(AX*4), Y3 // l
	VCMPPS    $1, Y14, Y3, Y3 // l < 0
	VBLENDVPS Y3, Y2, Y1, Y1
	VMOVUPS   Y1, (DI)(AX*4)
	ADDQ      $8, AX
	JMP       sigloop

sigdone:
	VZEROUPPER
	RET

// func maskNegativesAVX2(dst, v, a []float32)
// dst = v · [a ≥ 0], the mask 1 or 0.
TEXT ·maskNegativesAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ v_base+24(FP), SI
	MOVQ a_base+48(FP), DX
	MOVQ dst_len+8(FP), CX
	MOVL $0x3f800000, AX // 1
	VMOVD AX, X15
	VBROADCASTSS X15, Y15
	VXORPS Y14, Y14, Y14
	XORQ   AX, AX

maskloop:
	CMPQ    AX, CX
	JGE     maskdone
	VMOVUPS (DX)(AX*4), Y0
	VCMPPS  $13, Y14, Y0, Y0 // a ≥ 0 (false for NaN)
	VANDPS  Y15, Y0, Y0      // 1 or 0
	VMULPS  (SI)(AX*4), Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     maskloop

maskdone:
	VZEROUPPER
	RET

// func bceTailAVX2(l, x, e []float32) float32
// Σ (max(l, 0) - x·l) + e over the values, in eight running sums.
TEXT ·bceTailAVX2(SB), NOSPLIT, $0-76
	MOVQ   l_base+0(FP), SI
	MOVQ   l_len+8(FP), CX
	MOVQ   x_base+24(FP), DX
	MOVQ   e_base+48(FP), DI
	VXORPS Y0, Y0, Y0   // the sums
	VXORPS Y14, Y14, Y14
	XORQ   AX, AX

tailloop:
	CMPQ    AX, CX
	JGE     taildone
	VMOVUPS (SI)(AX*4), Y1     // l
	VMAXPS  Y1, Y14, Y2        // max(0, l): a NaN l is returned
	VMULPS  (DX)(AX*4), Y1, Y3 // x·l
	VSUBPS  Y3, Y2, Y2
	VADDPS  (DI)(AX*4), Y2, Y2
	VADDPS  Y2, Y0, Y0
	ADDQ    $8, AX
	JMP     tailloop

taildone:
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	MOVSS        X0, ret+72(FP)
	VZEROUPPER
	RET
