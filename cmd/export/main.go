// Command export writes a trained model's weights for other tools, in the
// format of the extension of -out:
//
//	.safetensors  every weight under the PyTorch example's names and layouts
//	              (fc1.weight [400, 784], fc1.bias [400], …), float32, with the
//	              model's sizes in __metadata__
//	.onnx         the decoder (z [N, 20] → x [N, 784]), or with -part encoder
//	              the encoder (x → mu, logvar); a conditional model also takes y
//	.npz          the same weights as .safetensors, for numpy.load
//
// Usage:
//
//	go run ./cmd/export -checkpoint out/mnist/checkpoint.ckpt -out vae.safetensors
//	go run ./cmd/export -checkpoint out/mnist/checkpoint.ckpt -out decoder.onnx
//	go run ./cmd/export -checkpoint out/mnist/checkpoint.ckpt -part encoder -out encoder.onnx
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("export", commands.Export) }
