package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
	"github.com/sgc-dev/sgc/review"
)

// loadClean loads a policy for a review command, which needs one without
// errors.
func loadClean(e *env, paths []string, now nowFlag, ef envFlag) (*load.Policy, error) {
	t, err := now.time()
	if err != nil {
		return nil, err
	}
	p, err := loadPolicy(paths, t)
	if err != nil {
		return nil, err
	}
	if p, err = ef.pick(p, false); err != nil {
		return nil, err
	}
	if p.Diags.HasErrors() {
		diag.Fprint(e.stderr, p.Sources, p.Diags) // stderr: stdout is the command's output
		return nil, &exitError{Code: ExitFindings, Err: fmt.Errorf("the policy has errors; fix them first (sgc check)")}
	}
	return p, nil
}

// loadCompiled loads a policy that must compile; lint findings, even
// errors, do not stop it: drift is most needed on accounts whose policy
// has findings (SSH open to the world, imported as it is).
func loadCompiled(e *env, paths []string, now nowFlag, ef envFlag) (*load.Policy, error) {
	t, err := now.time()
	if err != nil {
		return nil, err
	}
	p, err := loadPolicy(paths, t)
	if err != nil {
		return nil, err
	}
	if p, err = ef.pick(p, false); err != nil {
		return nil, err
	}
	if p.CompileErrors() {
		diag.Fprint(e.stderr, p.Sources, p.Diags) // stderr: stdout is the command's output
		return nil, &exitError{Code: ExitFindings, Err: fmt.Errorf("the policy does not compile; fix it first (sgc check)")}
	}
	return p, nil
}

const graphDoc = `Graph draws the policy: groups as boxes, the internet as a circle, networks
as parallelograms, prefix lists as cylinders, external groups as hexagons, and
an edge per flow labelled with its ports; temporary flows are dashed and
carry their date. Mermaid renders inline in GitHub and GitLab markdown; DOT
feeds Graphviz (sgc graph --format dot | dot -Tsvg > policy.svg).`

func newGraphCmd(e *env) *cobra.Command {
	var (
		now           nowFlag
		ef            envFlag
		format, group string
	)
	cmd := &cobra.Command{
		Use:     "graph [PATH...]",
		Short:   "Draw the policy as a Mermaid or Graphviz diagram",
		Long:    graphDoc,
		Example: "  sgc graph examples/game\n  sgc graph --format dot . | dot -Tsvg > policy.svg\n  sgc graph --group game-servers-production .",
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadClean(e, args, now, ef)
			if err != nil {
				return err
			}
			draw := review.Mermaid
			if format == "dot" {
				draw = review.DOT
			}
			if group != "" {
				group = inEnv(p, group)
			}
			out, err := draw(p.Program, review.GraphOptions{Group: group})
			if err != nil {
				return usageErrorf("--group: %v", err)
			}
			fmt.Fprint(e.stdout, out)
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	choiceVar(cmd, &format, "format", "diagram format", "mermaid", "dot")
	cmd.Flags().StringVar(&group, "group", "", "draw only this group's flows and neighbours")
	return cmd
}

const whyDoc = `Why answers "may SOURCE reach DEST on PORT?" from the policy's active flows.
SOURCE and DEST are declared names or IP addresses (an address matches the
networks that hold it, the internet included). PORT is written as in intent
files: tcp/9999, udp/53, icmp/8, all.

When allowed, every flow that allows it is listed with its place, purpose and
expiry. When denied, the nearest flows are: between the same two parties on
other ports, else those from the source or to the destination.

Exit status: 0 when allowed, 1 when denied, 2 for bad usage.`

func newWhyCmd(e *env) *cobra.Command {
	var (
		now nowFlag
		ef  envFlag
	)
	cmd := &cobra.Command{
		Use:     "why SOURCE DEST PORT [PATH...]",
		Short:   "Explain whether and why one party may reach another",
		Long:    whyDoc,
		Example: "  sgc why monitoring game-servers-production tcp/9999 examples/game\n  sgc why 203.0.113.42 game-servers-production tcp/22 examples/game",
		Args:    cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadClean(e, args[3:], now, ef)
			if err != nil {
				return err
			}
			src, err := review.ParseParty(p.Program, inEnv(p, args[0]))
			if err != nil {
				return usageErrorf("source: %v", err)
			}
			dst, err := review.ParseParty(p.Program, inEnv(p, args[1]))
			if err != nil {
				return usageErrorf("destination: %v", err)
			}
			ports, diags := load.ParsePorts(args[2])
			if diags.HasErrors() || len(ports) == 0 {
				return usageErrorf("port %q: write it as in intent files, such as tcp/443 or udp/53", args[2])
			}
			ans := review.Why(p.Program, src, dst, ports)
			sayEnv(e.stdout, p)
			if err := ans.WriteText(e.stdout); err != nil {
				return err
			}
			if !ans.Allowed {
				return findings
			}
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	return cmd
}

func newReachCmd(e *env, use, short, doc string, flows func(*model.Program, string) []*model.Flow) *cobra.Command {
	var (
		now nowFlag
		ef  envFlag
	)
	cmd := &cobra.Command{
		Use:     use + " GROUP [PATH...]",
		Short:   short,
		Long:    doc,
		Example: "  sgc " + use + " game-servers-production examples/game",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadClean(e, args[1:], now, ef)
			if err != nil {
				return err
			}
			name := inEnv(p, args[0])
			if g := p.Program.Lookup(name); g == nil || g.Kind() != model.KindGroup {
				return usageErrorf("no group named %q", args[0])
			}
			sayEnv(e.stdout, p)
			for _, f := range flows(p.Program, name) {
				fmt.Fprintln(e.stdout, review.Describe(f))
			}
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	return cmd
}

func newWhoCanReachCmd(e *env) *cobra.Command {
	return newReachCmd(e, "who-can-reach", "List all inbound access to a group, with purposes",
		"Who-can-reach lists every active flow into GROUP: who, on what, why, until when, and where it is written.", review.Inbound)
}

func newReachesCmd(e *env) *cobra.Command {
	return newReachCmd(e, "reaches", "List all outbound access of a group, with purposes",
		"Reaches lists every active flow out of GROUP: to whom, on what, why, until when, and where it is written.", review.Outbound)
}
