// Command import turns weights trained elsewhere (a .safetensors file under
// the PyTorch example's names and layouts, as cmd/export writes them or
// PyTorch's state_dict saved as safetensors) and a config into a checkpoint
// that every command accepts: cmd/sample, cmd/eval, cmd/serve, and cmd/train
// -resume, which continues from those weights with a fresh optimizer.
//
// Usage:
//
//	go run ./cmd/import -weights model.safetensors -config configs/mnist.yaml -out model.ckpt
//
// The tensors' names, shapes and dtype are checked against the config's
// model: a missing, extra or mis-shaped tensor is one line naming it, and
// nothing is written.
package main

import "github.com/govae/govae/cmd/internal/commands"

func main() { commands.Main("import", commands.Import) }
