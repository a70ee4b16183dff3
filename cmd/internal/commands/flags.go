package commands

import (
	"errors"
	"flag"
	"fmt"

	"github.com/govae/govae/model"
)

// flagErrors translates an error about a library's argument (model.ArgError)
// into one about the flag that set it: flags maps argument names to flag
// names ("n" → "n" gives "-n 0: ..."). Other errors pass through.
func flagErrors(err error, flags map[string]string) error {
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

// parseFlags reads a command's flags. It reports help when -h asked for the
// usage (which the flag set has printed), and an error for a bad flag or an
// argument that is not one ("flags start with -").
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		return errors.Is(err, flag.ErrHelp), ignoreHelp(err)
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("unexpected argument %q (flags start with -)", fs.Arg(0))
	}
	return false, nil
}

func ignoreHelp(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
