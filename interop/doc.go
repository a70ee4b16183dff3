// Package interop moves a model's weights to and from other tools: the
// safetensors format under the names and layouts of the PyTorch example's
// nn.Module (fc1.weight [400, 784], fc1.bias [400], …), NumPy's .npz with the
// same names, and ONNX graphs of the decoder and the encoder built from
// standard operators (Gemm, Relu, Sigmoid, Concat; Conv, ConvTranspose,
// Reshape and Flatten for the conv model).
//
// Our weights are x·W + b with W [in, out]; PyTorch's nn.Linear computes
// x·Wᵀ + b with weight [out, in]. The name table and the transposition live
// in torch.go, and every format here uses PyTorch's side of it.
package interop
