// Package cli holds what the commands share in speaking to a person: the
// translation of a library's argument errors into the command's flags.
package cli

import (
	"errors"

	"github.com/govae/govae/model"
)

// Flags translates an error about a library's argument (model.ArgError)
// into one about the flag that set it: flags maps argument names to flag
// names ("n" → "n" gives "-n 0: ..."). Other errors pass through.
func Flags(err error, flags map[string]string) error {
	var ae *model.ArgError
	if errors.As(err, &ae) {
		if flag, ok := flags[ae.Arg]; ok {
			renamed := *ae
			renamed.Arg = "-" + flag
			return &renamed
		}
	}
	return err
}
