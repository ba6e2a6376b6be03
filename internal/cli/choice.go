package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

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

// choiceVar defines the flag name on cmd, storing into p one of choices,
// the first being the default; usage is followed by the list, and shell
// completion offers the list.
func choiceVar(cmd *cobra.Command, p *string, name, usage string, choices ...string) {
	*p = choices[0]
	cmd.Flags().Var(&choice{p, choices}, name, usage+": "+strings.Join(choices, ", "))
	complete(cmd, name, choices)
}

// targetVar defines -t/--target, one of the target table's names (the
// table is the one list: a new target needs no change here).
func targetVar(cmd *cobra.Command, p *string, usage string) {
	names := targets.Names()
	cmd.Flags().VarP(&choice{p, names}, "target", "t", usage+": "+strings.Join(names, ", "))
	complete(cmd, "target", names)
}

// complete makes shell completion offer choices for the flag name.
func complete(cmd *cobra.Command, name string, choices []string) {
	// The error is only for a flag that does not exist or is registered
	// twice: a bug in how the commands are made, shown by every test.
	if err := cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err)
	}
}

// splitVar defines --split for build and diff, naming the targets of the
// table that split (Splits): one flag, made once.
func splitVar(cmd *cobra.Command, p *bool, usage string) {
	var splitting []string
	for _, t := range targets.All {
		if t.Splits {
			splitting = append(splitting, t.Name)
		}
	}
	cmd.Flags().BoolVar(p, "split", false, usage+" (targets that split: "+strings.Join(splitting, ", ")+")")
}

// formatUsage is the usage of build's --format, from the formats each
// target of the table declares (the default first).
func formatUsage() string {
	var each []string
	for _, t := range targets.All {
		if len(t.Formats) > 1 {
			each = append(each, t.Name+": "+t.Formats[0]+" (default), "+strings.Join(t.Formats[1:], ", "))
		}
	}
	return "output format where a target has several; " + strings.Join(each, "; ")
}
