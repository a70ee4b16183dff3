package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
)

// Limits of one request.
const (
	MaxBodyBytes = 1 << 20 // a request body
	MaxImages    = 10000   // images one request asks for or sends
	MaxSteps     = 100     // images of one interpolation
)

// fieldError is a request's field that is wrong: the client's error (4xx).
type fieldError struct {
	Field, Msg string
	Status     int // 400 unless set
}

func (e *fieldError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

func bad(field, format string, args ...any) error {
	return &fieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// decodeJSON reads one JSON object into v, strictly: a body over
// MaxBodyBytes, malformed JSON, a value of the wrong type, an unknown field
// or anything after the object is an error naming what is wrong.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, next := dec.Token(); next != io.EOF {
			err = jsonError(next)
			if next == nil {
				err = bad("", "the body holds more than one JSON value")
			}
			return err
		}
	}
	return jsonError(err)
}

// jsonError names the field or place of a decoding error.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return &fieldError{Msg: fmt.Sprintf("the body is over the %d bytes a request may send", tooBig.Limit), Status: http.StatusRequestEntityTooLarge}
	case errors.Is(err, io.EOF):
		return bad("", "empty body: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bad("", "the JSON ends early")
	case errors.As(err, &syntax):
		return bad("", "malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return bad(field, "%s is not a %s", typ.Value, jsonType(typ.Type.String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return bad(name, "unknown field")
	}
	return bad("", "%s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonType names a Go type as the API does.
func jsonType(goType string) string {
	switch {
	case strings.Contains(goType, "[]"):
		return "list of the right shape"
	case strings.Contains(goType, "float"):
		return "finite number"
	case strings.Contains(goType, "int"):
		return "whole number in range"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "string"
	}
	return goType
}

// rows checks a list of rows of width finite values each, within [lo, hi],
// and flattens them.
func rows(field string, in [][]float64, width int, lo, hi float64) ([]float32, error) {
	switch {
	case len(in) == 0:
		return nil, bad(field, "empty: want at least one row of %d values", width)
	case len(in) > MaxImages:
		return nil, bad(field, "%d rows: at most %d", len(in), MaxImages)
	}
	out := make([]float32, 0, len(in)*width)
	for i, row := range in {
		if len(row) != width {
			return nil, bad(fmt.Sprintf("%s[%d]", field, i), "%d values: want %d", len(row), width)
		}
		for j, v := range row {
			if math.IsNaN(v) || v < lo || v > hi {
				return nil, bad(fmt.Sprintf("%s[%d][%d]", field, i, j), "%v is outside [%g, %g]", v, lo, hi)
			}
			out = append(out, float32(v))
		}
	}
	return out, nil
}

// maxCode bounds a latent value a client may send: far beyond any code the
// prior draws, well within float32.
const maxCode = 1e6

// vector checks one row of width values within [lo, hi].
func vector(field string, in []float64, width int, lo, hi float64) ([]float32, error) {
	if len(in) != width {
		return nil, bad(field, "%d values: want %d", len(in), width)
	}
	out := make([]float32, len(in))
	for j, v := range in {
		if math.IsNaN(v) || v < lo || v > hi {
			return nil, bad(fmt.Sprintf("%s[%d]", field, j), "%v is outside [%g, %g]", v, lo, hi)
		}
		out[j] = float32(v)
	}
	return out, nil
}
