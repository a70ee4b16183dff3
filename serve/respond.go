package serve

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/govae/govae/internal/grid"
	"github.com/govae/govae/model"
)

// writeJSON answers 200 with v.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// writeError answers a client's error with its status (400 unless said) and
// {"error": "field: problem"}; anything else is the server's (500), whose
// detail is not the client's business beyond its message.
func writeError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var fe *fieldError
	var ae *model.ArgError
	switch {
	case errors.As(err, &fe):
		status = http.StatusBadRequest
		if fe.Status != 0 {
			status = fe.Status
		}
	case errors.As(err, &ae):
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

// writeImages answers {"images": [...]} with n images of the model's input
// size: rows of floats, written as they go rather than built in memory, or
// base64 PNGs.
func writeImages(w http.ResponseWriter, pixels []float32, shape grid.Shape, format string) {
	width := shape.Size()
	w.Header().Set("Content-Type", "application/json")
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush()
	bw.WriteString(`{"images":[`)
	var buf []byte
	for i := 0; i*width < len(pixels); i++ {
		if i > 0 {
			bw.WriteByte(',')
		}
		buf = appendImage(buf[:0], pixels[i*width:(i+1)*width], shape, format)
		bw.Write(buf)
	}
	bw.WriteString("]}\n")
}

// appendImage appends one image of an answer: a JSON list of its values,
// or a base64 PNG in quotes for format "png".
func appendImage(buf []byte, row []float32, shape grid.Shape, format string) []byte {
	if format != "png" {
		return appendFloats(buf, row)
	}
	buf = append(buf, '"')
	buf = base64.StdEncoding.AppendEncode(buf, pngOf(row, shape))
	return append(buf, '"')
}

// appendFloats appends a JSON list of float32 values, shortest form.
func appendFloats(buf []byte, row []float32) []byte {
	buf = append(buf, '[')
	for j, v := range row {
		if j > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendFloat(buf, float64(v), 'g', -1, 32)
	}
	return append(buf, ']')
}

// pngOf is one image as a PNG.
func pngOf(pixels []float32, shape grid.Shape) []byte {
	var out bytes.Buffer
	grid.Tile(&out, pixels, shape)
	return out.Bytes()
}
