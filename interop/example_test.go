package interop_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/govae/govae/interop"
	"github.com/govae/govae/model"
)

// Export a checkpoint's weights under PyTorch's names, then read them back
// as the model's weights; ONNX and npz work the same way by extension.
func ExampleExport() {
	m, err := model.Open("../model/testdata/tiny.ckpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "vae.safetensors")
	if err := interop.Export(path, m, interop.PartDecoder); err != nil {
		fmt.Println(err)
		return
	}
	p, err := interop.ReadWeights(path, m.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Count(), "weights read back")

	err = interop.Export(filepath.Join(os.TempDir(), "vae.txt"), m, interop.PartDecoder)
	fmt.Println(err != nil)
	// Output:
	// 102040 weights read back
	// true
}
