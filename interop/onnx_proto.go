package interop

import (
	"encoding/binary"
	"sort"

	"github.com/govae/govae/internal/le"
	"github.com/govae/govae/model"
	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX's protobuf messages, written field by field with protowire: a
// ModelProto holding one GraphProto of nodes, float32 initializers and
// inputs and outputs [N, width]. onnx.go says what the graph computes.

// ONNX versions written: IR version 8, the default opset at version 13,
// which every current runtime reads.
const (
	irVersion = 8
	opset     = 13
)

// modelProto is a ModelProto holding graph, with the versions above and
// metadata as its metadata_props, in the order of their keys.
func modelProto(graph []byte, metadata map[string]string) []byte {
	var m []byte
	m = protowire.AppendTag(m, 1, protowire.VarintType) // ir_version
	m = protowire.AppendVarint(m, irVersion)
	m = appendString(m, 2, "govae") // producer_name
	m = appendMessage(m, 7, graph)
	m = appendMessage(m, 8, appendVarintField(appendString(nil, 1, ""), 2, opset)) // opset_import
	keys := make([]string, 0, len(metadata))
	for k := range metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m = appendMessage(m, 14, appendString(appendString(nil, 1, k), 2, metadata[k]))
	}
	return m
}

// graphBuilder collects a GraphProto's nodes, initializers, inputs and outputs.
type graphBuilder struct {
	nodes, inits, inputs, outputs [][]byte
}

// initializer adds the float32 tensor t, under its own name and shape.
func (g *graphBuilder) initializer(t model.Tensor) {
	var b []byte
	for _, d := range t.Shape {
		b = appendVarintField(b, 1, uint64(d)) // dims
	}
	b = appendVarintField(b, 2, 1) // data_type FLOAT
	b = appendString(b, 8, t.Name)
	b = protowire.AppendTag(b, 9, protowire.BytesType) // raw_data
	b = protowire.AppendBytes(b, le.AppendFloat32s(nil, t.Data))
	g.inits = append(g.inits, b)
}

// valueInfo is a float tensor [N, width] named name.
func valueInfo(name string, width int) []byte {
	dimN := appendString(nil, 2, "N") // dim_param
	dimW := appendVarintField(nil, 1, uint64(width))
	shape := appendMessage(appendMessage(nil, 1, dimN), 1, dimW)
	tensorType := appendMessage(appendVarintField(nil, 1, 1), 2, shape) // elem_type FLOAT, shape
	typ := appendMessage(nil, 1, tensorType)
	return appendMessage(appendString(nil, 1, name), 2, typ)
}

func (g *graphBuilder) input(name string, width int) {
	g.inputs = append(g.inputs, valueInfo(name, width))
}
func (g *graphBuilder) output(name string, width int) {
	g.outputs = append(g.outputs, valueInfo(name, width))
}

// int64s adds a 1-D int64 initializer.
func (g *graphBuilder) int64s(name string, values []int) {
	b := appendVarintField(nil, 1, uint64(len(values))) // dims
	b = appendVarintField(b, 2, 7)                      // data_type INT64
	b = appendString(b, 8, name)
	raw := make([]byte, 8*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(int64(v)))
	}
	b = protowire.AppendTag(b, 9, protowire.BytesType) // raw_data
	b = protowire.AppendBytes(b, raw)
	g.inits = append(g.inits, b)
}

// node adds an operation and returns the name of its output.
func (g *graphBuilder) node(op, out string, in []string, attrs ...[]byte) string {
	var b []byte
	for _, i := range in {
		b = appendString(b, 1, i)
	}
	b = appendString(b, 2, out)
	b = appendString(b, 3, op+"_"+out)
	b = appendString(b, 4, op)
	for _, a := range attrs {
		b = appendMessage(b, 5, a)
	}
	g.nodes = append(g.nodes, b)
	return out
}

func attrInt(name string, v int64) []byte {
	b := appendString(nil, 1, name)
	b = appendVarintField(b, 3, uint64(v)) // i
	return appendVarintField(b, 20, 2)     // type INT
}

func attrInts(name string, v ...int64) []byte {
	b := appendString(nil, 1, name)
	for _, x := range v {
		b = appendVarintField(b, 8, uint64(x)) // ints
	}
	return appendVarintField(b, 20, 7) // type INTS
}

func (g *graphBuilder) graph(name string) []byte {
	var b []byte
	for _, n := range g.nodes {
		b = appendMessage(b, 1, n)
	}
	b = appendString(b, 2, name)
	for _, t := range g.inits {
		b = appendMessage(b, 5, t)
	}
	for _, v := range g.inputs {
		b = appendMessage(b, 11, v)
	}
	for _, v := range g.outputs {
		b = appendMessage(b, 12, v)
	}
	return b
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendMessage(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}
