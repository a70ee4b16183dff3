package model

import "fmt"

// The checks and conversions of a Model's arguments: rows, labels.

// sampleLabels are the labels of samples [start, start+size): nil for a plain
// model, label, or every label in turn.
func (m *Model) sampleLabels(start, size, label int) []int {
	c := m.params.Config.Classes
	if c == 0 {
		return nil
	}
	labels := make([]int, size)
	for i := range labels {
		labels[i] = label
		if label == NoLabel {
			labels[i] = (start + i) % c
		}
	}
	return labels
}

// checkLabel accepts NoLabel, and a label 0 ≤ label < Classes of a
// conditional model.
func (m *Model) checkLabel(label int) error {
	c := m.params.Config.Classes
	switch {
	case label == NoLabel:
		return nil
	case c == 0:
		return &ArgError{Arg: "label", Value: label, Msg: "the model is not conditional: it takes no label"}
	case label < 0 || label >= c:
		return &ArgError{Arg: "label", Value: label, Msg: fmt.Sprintf("outside 0–%d", c-1)}
	}
	return nil
}

// checkLabels demands one label per row of a conditional model, and none of
// a plain one.
func (m *Model) checkLabels(labels []int, n int) error {
	c := m.params.Config.Classes
	switch {
	case c == 0 && len(labels) > 0:
		return &ArgError{Arg: "labels", Msg: "the model is not conditional: it takes no labels"}
	case c > 0 && len(labels) != n:
		return &ArgError{Arg: "labels", Msg: fmt.Sprintf("the model is conditional: it needs one label per row, %d, got %d", n, len(labels))}
	}
	for _, l := range labels {
		if l < 0 || l >= c {
			return &ArgError{Arg: "labels", Msg: fmt.Sprintf("label %d is outside 0–%d", l, c-1)}
		}
	}
	return nil
}

// rows checks that values hold whole rows of width and counts them.
func (m *Model) rows(values []float32, width int, arg, what string) (int, error) {
	if len(values) == 0 || len(values)%width != 0 {
		return 0, &ArgError{Arg: arg, Msg: fmt.Sprintf("%d values are not a whole number of %d-value %s", len(values), width, what)}
	}
	return len(values) / width, nil
}

// oneHot is the label input of a conditional model, nil for a plain one.
func (m *Model) oneHot(labels []int) ([]float32, error) {
	if m.params.Config.Classes == 0 {
		return nil, nil
	}
	return OneHot(labels, m.params.Config.Classes)
}

// rowsOf is rows [start, start+size) of width values each, or nil.
func rowsOf(y []float32, start, size, width int) []float32 {
	if y == nil {
		return nil
	}
	return y[start*width : (start+size)*width]
}
