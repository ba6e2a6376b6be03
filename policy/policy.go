// Package policy loads a policy from disk: it finds the intent files under
// the paths given, parses each, and compiles them together. It is the one
// place that does I/O for the front end, so the CLI, the emitters' tests
// and the review tools all read policies the same way.
package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/parser"
	"github.com/sgc-dev/sgc/lang/source"
)

// Ext is the extension of intent files.
const Ext = ".intent"

// Policy is a loaded policy: its files' text, their syntax trees, the
// compiled model and every diagnostic found on the way.
type Policy struct {
	Sources source.Files
	Files   []*ast.File
	Program *model.Program // never nil; not to be emitted when Diags has errors
	Diags   diag.List      // sorted
}

// UsageError is a problem with the paths given rather than with the
// policy: a path that does not exist, or a directory without intent files.
// Callers report it as bad usage (exit code 2), not as a finding.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Files lists the intent files named by paths: a file stands for itself,
// a directory for the *.intent files directly in it. The result is sorted
// and free of repeats.
func Files(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, &UsageError{pathError(err, p)}
		}
		if !info.IsDir() {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, &UsageError{pathError(err, p)}
		}
		found := false
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), Ext) {
				continue
			}
			found = true
			f := filepath.Join(p, e.Name())
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
		if !found {
			return nil, &UsageError{fmt.Errorf("%s: no %s files in this directory", p, Ext)}
		}
	}
	sort.Strings(out)
	return out, nil
}

func pathError(err error, p string) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: no such file or directory", p)
	}
	return err
}

// Load reads, parses and compiles the policy at paths.
func Load(paths []string, opts compiler.Options) (*Policy, error) {
	names, err := Files(paths)
	if err != nil {
		return nil, err
	}
	srcs := make(map[string][]byte, len(names))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, &UsageError{err}
		}
		srcs[n] = b
	}
	return FromSources(srcs, opts), nil
}

// FromSources parses and compiles a policy held in memory, keyed by file
// name. Compilation runs even when some statements failed to parse: the
// parser keeps the names of bad declarations, so their uses are not
// reported again, and the user sees every problem of the policy at once.
func FromSources(srcs map[string][]byte, opts compiler.Options) *Policy {
	p := &Policy{Sources: source.Files{}}
	names := make([]string, 0, len(srcs))
	for n := range srcs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p.Sources.Add(&source.File{Name: n, Src: srcs[n]})
		f, diags := parser.ParseFile(n, srcs[n])
		p.Files = append(p.Files, f)
		p.Diags = append(p.Diags, diags...)
	}
	prog, diags := compiler.Compile(p.Files, opts)
	p.Program = prog
	p.Diags = append(p.Diags, diags...)
	p.Diags.Sort()
	return p
}
