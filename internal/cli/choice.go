package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sgc-dev/sgc/emit/targets"
)

// choice is a flag whose value is one of a fixed list: a report declares
// its formats once, where its flag is made, and a value outside the list
// is refused while the flags are parsed (exit status 2), before any work.
type choice struct {
	p       *string
	choices []string
}

func (c *choice) String() string { return *c.p }
func (c *choice) Type() string   { return "string" }

func (c *choice) Set(v string) error {
	if !slices.Contains(c.choices, v) {
		return fmt.Errorf("want one of %s", strings.Join(c.choices, ", "))
	}
	*c.p = v
	return nil
}

// choiceVar defines the flag name on fs, storing into p one of choices,
// the first being the default; usage is followed by the list.
func choiceVar(fs *pflag.FlagSet, p *string, name, usage string, choices ...string) {
	*p = choices[0]
	fs.Var(&choice{p, choices}, name, usage+": "+strings.Join(choices, ", "))
}

// targetVar defines -t/--target, one of the target table's names (the
// table is the one list: a new target needs no change here).
func targetVar(fs *pflag.FlagSet, p *string, usage string) {
	names := targets.Names()
	fs.VarP(&choice{p, names}, "target", "t", usage+": "+strings.Join(names, ", "))
}
