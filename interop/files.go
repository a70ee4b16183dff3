package interop

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/govae/govae/internal/atomicfile"
	"github.com/govae/govae/internal/npy"
	"github.com/govae/govae/model"
)

// Formats are the extensions Export writes.
var Formats = []string{".safetensors", ".onnx", ".npz"}

// maxWeightsFile bounds a weights file this package reads whole (the
// reference model's weights are 2.6 MB).
const maxWeightsFile = 1 << 30

// Metadata describes a model in the string pairs that safetensors and ONNX
// files carry: its sizes and how long it trained.
func Metadata(m *model.Model) map[string]string {
	s := m.Config()
	meta := map[string]string{
		"producer": "govae", "input_size": strconv.Itoa(s.Input), "hidden_size": strconv.Itoa(s.Hidden),
		"latent_size": strconv.Itoa(s.Latent), "classes": strconv.Itoa(s.Classes), "epochs": strconv.Itoa(m.Epochs()),
		"arch": s.Arch.String(), "channels": strconv.Itoa(max(1, s.Channels)),
		"likelihood": s.Likelihood.String(), "variational": strconv.FormatBool(s.Variational()),
		"hidden_layers": strconv.Itoa(max(1, s.Depth)), "activation": s.Activation.String(),
		"stochastic_layers": strconv.Itoa(max(1, s.Stochastic)),
	}
	if s.TwoLayers() {
		meta["hidden_size_2"], meta["latent_size_2"] = strconv.Itoa(s.Hidden2), strconv.Itoa(s.Latent2)
	}
	return meta
}

// Export writes the model's weights, or for .onnx one part of it (decoder
// or encoder), in the format of path's extension. The file appears whole or
// not at all.
func Export(path string, m *model.Model, part string) error {
	ext := strings.ToLower(filepath.Ext(path))
	if part != PartDecoder && ext != ".onnx" {
		return fmt.Errorf("part %q: only an .onnx file holds one part; %s files hold all the weights", part, ext)
	}
	var write func(io.Writer) error
	switch ext {
	case ".safetensors":
		write = func(w io.Writer) error { return WriteSafetensors(w, ToTorch(m.Params()), Metadata(m)) }
	case ".onnx":
		data, err := ONNX(m.Params(), part, Metadata(m))
		if err != nil {
			return err
		}
		write = func(w io.Writer) error { _, err := w.Write(data); return err }
	case ".npz":
		write = func(w io.Writer) error { return writeNPZ(w, ToTorch(m.Params())) }
	default:
		return fmt.Errorf("%s: unknown extension %q: want one of %s", path, ext, strings.Join(Formats, ", "))
	}
	return atomicfile.Write(path, write)
}

// writeNPZ writes tensors as NumPy's .npz: a zip of one .npy per name.
func writeNPZ(w io.Writer, tensors []model.Tensor) error {
	z := zip.NewWriter(w)
	for _, t := range tensors {
		f, err := z.CreateHeader(&zip.FileHeader{Name: t.Name + ".npy", Method: zip.Store})
		if err != nil {
			return err
		}
		if err := npy.Write(f, t.Data, t.Shape...); err != nil {
			return err
		}
	}
	return z.Close()
}

// ReadWeights reads a .safetensors file of weights under PyTorch's names
// and layouts into the weights of a model of the given sizes. Errors name
// the file and the tensor.
func ReadWeights(path string, s model.Config) (*model.Params, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	switch {
	case st.IsDir():
		return nil, fmt.Errorf("weights %s: is a directory", path)
	case strings.ToLower(filepath.Ext(path)) != ".safetensors":
		return nil, fmt.Errorf("weights %s: want a .safetensors file", path)
	case st.Size() > maxWeightsFile:
		return nil, fmt.Errorf("weights %s: %d bytes, more than the %d this reads", path, st.Size(), maxWeightsFile)
	}
	tensors, _, err := ReadSafetensors(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("weights %s: %w", path, err)
	}
	p, err := FromTorch(s, tensors)
	if err != nil {
		return nil, fmt.Errorf("weights %s: %w", path, err)
	}
	return p, nil
}
