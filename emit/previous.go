package emit

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/outdir"
)

// maxPreviousFile bounds what is read of one earlier output file, unless
// the target says more (Target.EarlierMax): a CloudFormation template is
// at most 1 MB, so anything bigger is not one sgc wrote and is passed
// over. It bounds every file named by --earlier, which no manifest vouches
// for.
const maxPreviousFile = 8 << 20

// Previous reads what the build of target t into dir must keep from the
// output an earlier build of t left there (Target.Earlier). Only files of
// t's own output are read (those its manifest lists, still carrying the
// generated notice), after finishing a build that was killed half-way.
// A directory that does not exist, or holds no earlier output, gives
// nothing to keep.
func Previous(dir string, t *Target) (Earlier, error) {
	if t.Earlier == nil {
		return Earlier{}, nil
	}
	if info, err := os.Stat(filepath.Join(dir, StateDir)); err != nil || !info.IsDir() {
		return Earlier{}, nil // never built into: nothing to keep
	}
	unlock, err := outdir.Lock(dir)
	if err != nil {
		return Earlier{}, err
	}
	defer unlock()
	if err := outdir.Recover(dir, buildRules(dir, nil)); err != nil {
		return Earlier{}, err
	}
	own, err := readOwner(dir, t.Name)
	if err != nil {
		return Earlier{}, err
	}
	sameNaming := t.Naming != 0 && own.m.Naming == t.Naming
	var names []string
	for _, name := range own.m.Files {
		if outdir.PlainName(name) && (t.EarlierReads == nil || t.EarlierReads(name, sameNaming)) {
			names = append(names, name)
		}
	}
	sort.Strings(names) // the same files in the same order: a deterministic result
	var files []File
	for _, name := range names {
		e, err := outdir.Inspect(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if why, err := own.claim(dir, name, e); err != nil || why != "" {
			continue // gone, replaced or edited by hand: not ours to go by
		}
		data, err := readBoundedBy(filepath.Join(dir, name), max(t.EarlierMax, maxPreviousFile))
		if err != nil || !IsGenerated(data) {
			continue // unreadable or too big: not ours to go by
		}
		files = append(files, File{Path: name, Data: data})
	}
	return t.Earlier(files), nil
}

// EarlierError is a problem with the earlier output a user named: bad
// usage, found before anything is built.
type EarlierError struct {
	Path string // the file, or "" when naming any is the problem
	Err  error
}

func (e *EarlierError) Error() string {
	if e.Path == "" {
		return "--earlier: " + e.Err.Error()
	}
	return fmt.Sprintf("--earlier %s: %v", e.Path, e.Err)
}

func (e *EarlierError) Unwrap() error { return e.Err }

func readBounded(path string) ([]byte, error) { return readBoundedBy(path, maxPreviousFile) }

func readBoundedBy(path string, limit int64) ([]byte, error) {
	data, err := fsutil.ReadRegular(path, limit)
	if err == nil && len(data) == 0 {
		err = fmt.Errorf("is empty")
	}
	return data, err
}

// DescribedAfter returns the AWS description each group of p has once p's
// build is deployed over an output that kept the descriptions in
// opts.Earlier: the kept one where there is one, the policy's otherwise. A
// plan prediction gives it to the next build, as the output directory
// does. (Addresses need no such care there: both builds name resources
// the same way.)
func DescribedAfter(p *model.Program, opts Options) map[string]string {
	out := make(map[string]string, len(p.Groups))
	for _, g := range p.Groups {
		out[g.Name] = g.Description
		if d, ok := EarlierDescription(g, opts.Earlier); ok {
			out[g.Name] = d
		}
		if a := opts.Adopt.Group(g.Name); a != nil && a.Description != "" {
			out[g.Name] = a.Description
		}
	}
	return out
}

// ReadEarlier reads what a build of target t into dir must keep: from the
// files named, when there are any, else from dir (Previous). Named files
// are an earlier build's templates kept elsewhere, or the template
// CloudFormation has deployed (aws cloudformation get-template), for a
// pipeline that builds into a new directory each time. They are only
// read, never written, so they need not carry the generated notice; what
// they say is held to the same checks as an earlier output. A named file
// that cannot be read, or naming files for a target that keeps nothing,
// is an EarlierError.
func ReadEarlier(dir string, named []string, t *Target) (Earlier, error) {
	if len(named) == 0 {
		return Previous(dir, t)
	}
	if t.Earlier == nil {
		return Earlier{}, &EarlierError{Err: fmt.Errorf("the %s target keeps nothing of an earlier build", t.Name)}
	}
	files := make([]File, 0, len(named))
	for _, p := range named {
		data, err := readBounded(p)
		if err != nil {
			return Earlier{}, &EarlierError{Path: p, Err: err}
		}
		f := File{Path: filepath.Base(p), Data: data}
		if e := t.Earlier([]File{f}); len(e.Descriptions) == 0 {
			// A .tf file, a rule stack, a file of something else: keeping
			// nothing from it is the very replacement --earlier prevents.
			return Earlier{}, &EarlierError{Path: p, Err: fmt.Errorf("holds no security group of a %s template; name the template that holds the groups (the one deployed, or the groups stacks of a split output)", t.Name)}
		}
		files = append(files, f)
	}
	return t.Earlier(files), nil
}

// EarlierDescription returns the AWS description the earlier build gave
// group g: under its name, or, for a group renamed since (formerly), under
// a former one.
func EarlierDescription(g *model.Group, e Earlier) (string, bool) {
	if d, ok := e.Descriptions[g.Name]; ok {
		return d, true
	}
	for _, f := range g.Formerly {
		if d, ok := e.Descriptions[f]; ok {
			return d, true
		}
	}
	return "", false
}
