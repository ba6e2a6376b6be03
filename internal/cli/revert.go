package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/internal/fsutil"
)

// revertFlags are drift's flags that put the account back to the intent.
type revertFlags struct {
	on, yes, dryRun bool
	auditLog        string
}

// DefaultAuditLog is where revert appends the calls it makes.
const DefaultAuditLog = "sgc-audit.jsonl"

func (r *revertFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&r.on, "revert", false, "with --aws: plan the calls that put the policy's rules back to the intent (made only with --yes)")
	cmd.Flags().BoolVar(&r.yes, "yes", false, "with --revert: make the calls")
	cmd.Flags().BoolVar(&r.dryRun, "dry-run", false, "with --revert: ask AWS whether each call would succeed (EC2 DryRun), changing nothing")
	cmd.Flags().StringVar(&r.auditLog, "audit-log", DefaultAuditLog, "with --revert --yes or --dry-run: append every call made, as JSON lines")
}

// check refuses what revert cannot do before anything is read.
func (r *revertFlags) check(aws bool) error {
	switch {
	case !r.on && (r.yes || r.dryRun):
		return usageErrorf("--yes and --dry-run go with --revert")
	case r.on && !aws:
		return usageErrorf("--revert changes the account: give --aws (an export cannot be changed)")
	case r.yes && r.dryRun:
		return usageErrorf("--yes makes the calls, --dry-run only asks: give one")
	case r.yes || r.dryRun:
		// Before the account is read: a log revert may not append to is
		// said before anything else happens.
		if err := checkAuditLog(r.auditLog); err != nil {
			return &exitError{Code: ExitUsage, Err: err}
		}
	}
	return nil
}

// run prints the plan of rep's changes and, with --yes or --dry-run,
// makes (or asks about) them, writing each call to the audit log.
func (r *revertFlags) run(cmd *cobra.Command, e *env, rep drift.Report, aws awsFlags) error {
	changes, held := rep.Changes()
	out := e.stdout
	fmt.Fprintf(out, "\nrevert: %d change(s) to put the policy's rules back to the intent\n", len(changes))
	for i, c := range changes {
		fmt.Fprintf(out, "  %d. %s\n", i+1, c)
	}
	for _, h := range held {
		fmt.Fprintf(out, "  left as it is: %s\n", h)
	}
	if len(changes) == 0 {
		return nil
	}
	if !r.yes && !r.dryRun {
		fmt.Fprintf(out, "plan only: --yes makes these calls, --dry-run asks AWS whether they would succeed\n")
		return findings
	}
	log, err := openAuditLog(r.auditLog)
	if err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	defer log.Close()
	w := bufio.NewWriter(log)
	record := func(a live.Applied) {
		line, _ := json.Marshal(a)
		w.Write(append(line, '\n'))
		w.Flush() // each call is on disk before the next is made
		fmt.Fprintf(out, "  %s: %s\n", a.Result, a.Change)
	}
	done, err := live.ApplyAWS(cmd.Context(), aws.options(""), changes, r.dryRun, record)
	verb := "made"
	if r.dryRun {
		verb = "would succeed"
	}
	if err != nil {
		fmt.Fprintf(out, "revert stopped: %d of %d call(s) %s; not made: %d (see %s)\n", done, len(changes), verb, len(changes)-done, r.auditLog)
		fmt.Fprintf(e.stderr, "sgc: %v\n", err)
		return findings
	}
	fmt.Fprintf(out, "revert: %d call(s) %s (audit log: %s)\n", done, verb, r.auditLog)
	return nil
}

// openAuditLog opens the audit log to append to: a new file, or one that
// holds revert's records already (never another file).
func openAuditLog(path string) (*os.File, error) {
	if err := checkAuditLog(path); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
}

// checkAuditLog says why revert may not append to path, or nil.
func checkAuditLog(path string) error {
	head, regular, err := fsutil.Head(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case !regular:
		return fmt.Errorf("%s is not a regular file; refusing to append the audit log to it", path)
	case len(head) > 0:
		var rec live.Applied
		line, _, _ := bytes.Cut(head, []byte("\n"))
		if json.Unmarshal(line, &rec) != nil || rec.Call == "" {
			return fmt.Errorf("%s was not written by sgc drift --revert; refusing to append to it (give --audit-log)", path)
		}
	}
	return nil
}
