#include "textflag.h"

// func kernel6x16(kc int, a, b, c *float32, ldc int, accumulate bool)
//
// C[0:6, 0:16] (+)= A·B for a packed panel a of A (kc steps of 6 values,
// one per row) and a packed panel b of B (kc steps of 16 values): twelve
// registers of sums, each step two loads of B, six broadcasts of A and
// twelve fused multiply-adds. ldc is C's row stride in values.
TEXT ·kernel6x16(SB), NOSPLIT, $0-41
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

loop:
	TESTQ CX, CX
	JZ    store
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VBROADCASTSS (SI), Y14
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VBROADCASTSS 4(SI), Y15
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS 8(SI), Y14
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VBROADCASTSS 12(SI), Y15
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS 16(SI), Y14
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VBROADCASTSS 20(SI), Y15
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11
	ADDQ         $24, SI
	ADDQ         $64, DX
	DECQ         CX
	JMP          loop

store:
	MOVBLZX accumulate+40(FP), AX
	TESTQ   AX, AX
	JZ      write
	VADDPS  (DI), Y0, Y0
	VADDPS  32(DI), Y1, Y1
	ADDQ    R8, DI
	VADDPS  (DI), Y2, Y2
	VADDPS  32(DI), Y3, Y3
	ADDQ    R8, DI
	VADDPS  (DI), Y4, Y4
	VADDPS  32(DI), Y5, Y5
	ADDQ    R8, DI
	VADDPS  (DI), Y6, Y6
	VADDPS  32(DI), Y7, Y7
	ADDQ    R8, DI
	VADDPS  (DI), Y8, Y8
	VADDPS  32(DI), Y9, Y9
	ADDQ    R8, DI
	VADDPS  (DI), Y10, Y10
	VADDPS  32(DI), Y11, Y11
	MOVQ    c+24(FP), DI

write:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    R8, DI
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ    R8, DI
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, 32(DI)
	ADDQ    R8, DI
	VMOVUPS Y6, (DI)
	VMOVUPS Y7, 32(DI)
	ADDQ    R8, DI
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, 32(DI)
	ADDQ    R8, DI
	VMOVUPS Y10, (DI)
	VMOVUPS Y11, 32(DI)
	VZEROUPPER
	RET
