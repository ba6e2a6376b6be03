// Package cli is the sgc command line: a cobra command tree whose commands
// parse flags, call the packages that do the work, and print. No policy
// logic lives here.
package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

// Exit codes, stable for scripts and CI.
const (
	ExitOK       = 0 // success, nothing to report
	ExitFindings = 1 // the policy has errors, or a check failed
	ExitUsage    = 2 // bad usage or unreadable input
)

// exitError carries an exit code out of a command. A nil Err means the
// reason was already printed.
type exitError struct {
	Code int
	Err  error
}

func (e *exitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

// usageErrorf reports bad usage: exit code 2 with the message.
func usageErrorf(format string, args ...any) error {
	return &exitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// findings ends a command with exit code 1; what to say was printed.
var findings = &exitError{Code: ExitFindings}

// env is what every command gets: its streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

const rootDoc = `sgc compiles security group intent into AWS security groups.

Intent files (*.intent) name groups after what they contain and state every
flow between them with a purpose and, when temporary, an end date:

  lb-game-production -> game-servers-production tcp/8443 because "the ALB forwards game traffic"

sgc checks the policy against everything AWS would refuse, and emits a
Terraform module or a CloudFormation template whose rules all carry their
purpose as description.

Exit codes: 0 ok, 1 findings or a failed check, 2 bad usage or input.`

// Main runs sgc with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "sgc",
		Short:         "Compile security group intent into AWS security groups",
		Long:          rootDoc,
		SilenceErrors: true, // errors are printed once, below
		SilenceUsage:  true,
		Version:       version(),
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{Code: ExitUsage, Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(newCheckCmd(e), newBuildCmd(e), newFmtCmd(e), newLintsCmd(e), newExpiringCmd(e),
		newDiffCmd(e), newOwnersCmd(e), newDocCmd(e), newImportCmd(e), newDriftCmd(e), newActivityCmd(e), newUsageCmd(e), newLSPCmd(e), newPlaygroundCmd(e), newPRCommentCmd(e), newPRApprovedCmd(e), newGraphCmd(e), newWhyCmd(e), newWhoCanReachCmd(e), newReachesCmd(e), newVersionCmd(e))

	wrapErrors(root)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(stderr, "sgc: %v\n", ee.Err)
		}
		return ee.Code
	}
	// Cobra's own errors (unknown command, wrong number of arguments) are usage errors.
	fmt.Fprintf(stderr, "sgc: %v\nRun 'sgc --help' for usage.\n", err)
	return ExitUsage
}

// wrapErrors makes every error a command returns an exitError: one it did
// not classify (a file that cannot be read or written) is bad input, exit
// code 2, printed without the usage hint that only usage errors get.
func wrapErrors(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			var ee *exitError
			if err != nil && !errors.As(err, &ee) {
				return &exitError{Code: ExitUsage, Err: err}
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		wrapErrors(sub)
	}
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print sgc's version",
		Example: "  sgc version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(e.stdout, "sgc %s\n", version())
			return nil
		},
	}
}

// nowFlag is the --now flag shared by the commands that judge expiry.
type nowFlag struct{ value string }

func (n *nowFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&n.value, "now", "", "judge expiry dates as of this day, YYYY-MM-DD (default: today, UTC)")
}

func (n *nowFlag) time() (time.Time, error) {
	if n.value == "" {
		return compiler.Today(), nil
	}
	t, err := time.Parse("2006-01-02", n.value)
	if err != nil {
		return time.Time{}, usageErrorf("--now %q: want a date such as 2026-12-31", n.value)
	}
	return t, nil
}

// load reads, compiles and lints the policy at paths ("." when none).
func loadPolicy(paths []string, now time.Time) (*load.Policy, error) {
	return loadWith(load.Load, paths, now)
}

// loadWith runs a loader (load.Load, or load.Read for a driver that
// lints itself) and turns its usage errors into exit code 2.
func loadWith(loader func([]string, compiler.Options) (*load.Policy, error), paths []string, now time.Time) (*load.Policy, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	p, err := loader(paths, compiler.Options{Now: now})
	if err != nil {
		var ue *load.UsageError
		if errors.As(err, &ue) {
			return nil, &exitError{Code: ExitUsage, Err: err}
		}
		return nil, err
	}
	return p, nil
}

// printDiags writes the diagnostics in the chosen format.
func printDiags(e *env, p *load.Policy, format string) error {
	switch format {
	case "json":
		return diag.FprintJSON(e.stdout, p.Diags)
	case "sarif":
		return diag.FprintSARIF(e.stdout, p.Diags, diag.SARIFTool{Name: "sgc", Version: version(),
			InformationURI: "https://github.com/sgc-dev/sgc", Rules: lint.SARIFRules()})
	default:
		return diag.Fprint(e.stdout, p.Sources, p.Diags)
	}
}

// outputError is the exit for a failure to write an output (build's
// directory, a report, import's drafts): a file that is not sgc's to
// write, another build's lock or an --earlier file that cannot be read
// is bad usage; nil stays nil.
func outputError(err error) error {
	var (
		fe *fsutil.NotOursError
		le *emit.LockedError
		ee *emit.EarlierError
	)
	if errors.As(err, &fe) || errors.As(err, &le) || errors.As(err, &ee) {
		return &exitError{Code: ExitUsage, Err: err}
	}
	return err
}

func readFile(name string) ([]byte, error) {
	if err := load.CheckFileName(name); err != nil {
		return nil, &exitError{Code: ExitUsage, Err: err}
	}
	b, err := fsutil.ReadRegular(name, limits.IntentFile)
	if err != nil {
		return nil, &exitError{Code: ExitUsage, Err: err}
	}
	return b, nil
}

// findTarget returns the target named by -t, or a usage error naming the
// targets there are.
func findTarget(name string) (*emit.Target, error) {
	if t := targets.Find(name); t != nil {
		return t, nil
	}
	if name == "" {
		return nil, usageErrorf("-t is required: the target to build, one of %s", strings.Join(targets.Names(), ", "))
	}
	return nil, usageErrorf("-t %q: want one of %s", name, strings.Join(targets.Names(), ", "))
}
