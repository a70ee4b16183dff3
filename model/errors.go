package model

import "fmt"

// ArgError is an argument a caller gave that the model cannot take, named as
// the method's documentation names it ("n", "label", "z", ...), so that a
// command can name its flag and a server its field.
type ArgError struct {
	Arg   string
	Value any // the value given, if it helps to repeat it; nil otherwise
	Msg   string
}

func (e *ArgError) Error() string {
	if e.Value != nil {
		return fmt.Sprintf("%s %v: %s", e.Arg, e.Value, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Arg, e.Msg)
}
