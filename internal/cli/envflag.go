package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/load"
)

// envFlag is the --env flag of the commands that read a policy: which of
// its environments to work on.
type envFlag struct{ name string }

func (f *envFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.name, "env", "", "the environment to work on, of a policy that declares environments")
}

// pick returns the policy of the chosen environment. A policy with
// environments needs one unless the command works on all of them (all);
// a policy without environments has none to choose.
func (f envFlag) pick(p *load.Policy, all bool) (*load.Policy, error) {
	if f.name != "" {
		q, err := p.ForEnv(f.name)
		if err != nil {
			return nil, &exitError{Code: ExitUsage, Err: err}
		}
		return q, nil
	}
	if p.Environments != nil && !all {
		return nil, &exitError{Code: ExitUsage, Err: fmt.Errorf("the policy declares environments (%s): give --env NAME", strings.Join(p.Environments.Names(), ", "))}
	}
	return p, nil
}

// inEnv returns the name a group has in the program of p for a name as
// the policy writes it: in an environment's program web is web-staging.
// Other names, and names of a policy without environments, are as given.
func inEnv(p *load.Policy, name string) string {
	if g, ok := p.Program.LookupRole(name).(*model.Group); ok {
		return g.Name
	}
	return name
}

// sayEnv writes which environment an answer is of, when it is one's.
func sayEnv(w io.Writer, p *load.Policy) {
	if env := p.Program.Environment; env != nil {
		fmt.Fprintf(w, "environment %s\n", env.Name)
	}
}
