package cli

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/internal/outdir"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/format"
	"github.com/sgc-dev/sgc/lang/parser"
	"github.com/sgc-dev/sgc/lang/source"
	"github.com/sgc-dev/sgc/load"
)

const fmtDoc = `Fmt prints intent files in the canonical layout: one statement per line,
columns aligned within each block of statements of one kind, comments
kept, runs of blank lines folded to one. Formatting is idempotent.

Without flags the formatted files are printed to standard output. A PATH
of "-" formats standard input to standard output, for editors.

Files with syntax errors are not formatted; their errors are printed and
fmt exits with status 2.`

const fmtExamples = `  sgc fmt production.intent        # print the formatted file
  sgc fmt -w .                     # rewrite every *.intent file here in place
  sgc fmt --check examples/game    # list files that are not formatted; exit 1 if any
  cat x.intent | sgc fmt -         # format standard input`

func newFmtCmd(e *env) *cobra.Command {
	var write, check bool
	cmd := &cobra.Command{
		Use:     "fmt [-w] [--check] [PATH...]",
		Short:   "Format intent files canonically",
		Long:    fmtDoc,
		Example: fmtExamples,
		RunE: func(cmd *cobra.Command, args []string) error {
			if write && check {
				return usageErrorf("-w and --check cannot be used together")
			}
			if len(args) == 1 && args[0] == "-" {
				if write {
					return usageErrorf("-w cannot rewrite standard input")
				}
				src, err := fsutil.ReadLimited(e.stdin, "standard input", limits.IntentFile)
				if err != nil {
					return err
				}
				return fmtOne(e, "<stdin>", src, false, check)
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			names, err := load.Files(args)
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			// Every file is looked at, as gofmt -l does: the exit code is the
			// worst of them, and an unformatted or broken file stops nothing.
			code := ExitOK
			for _, name := range names {
				src, err := readFile(name)
				if err != nil {
					return err
				}
				if err := fmtOne(e, name, src, write, check); err != nil {
					var ee *exitError
					if !errors.As(err, &ee) {
						return err
					}
					if ee.Err != nil {
						fmt.Fprintf(e.stderr, "sgc: %v\n", ee.Err)
					}
					code = max(code, ee.Code)
				}
			}
			if code != ExitOK {
				return &exitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&write, "write", "w", false, "rewrite files in place (atomically) instead of printing them")
	cmd.Flags().BoolVar(&check, "check", false, "print the names of files that are not formatted; exit 1 if there are any")
	return cmd
}

// fmtOne formats one file and prints, checks or writes it.
func fmtOne(e *env, name string, src []byte, write, check bool) error {
	src = parser.StripBOM(src) // ignored, as Go ignores it; a rewrite drops it
	out, diags := format.Source(name, src)
	if diags.HasErrors() {
		diag.Fprint(e.stderr, source.Files{name: {Name: name, Src: src}}, diags)
		return &exitError{Code: ExitUsage}
	}
	switch {
	case check:
		if !bytes.Equal(out, src) {
			fmt.Fprintln(e.stdout, name)
			return findings
		}
	case write:
		if !bytes.Equal(out, src) {
			// Through a symlink to the file it points at, keeping the
			// file's mode and owner: fmt changes layout, nothing else.
			target, err := filepath.EvalSymlinks(name)
			if err == nil {
				err = outdir.WriteFile(target, out, "fmt", rewritable)
			}
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
		}
	default:
		_, err := e.stdout.Write(out)
		return err
	}
	return nil
}

// rewritable is fmt's claim: the file the user named, as long as it is a
// regular file (fmt read it as one).
func rewritable(name string, e outdir.Existing) (string, error) {
	if !e.Regular {
		return "is not a regular file", nil
	}
	return "", nil
}
