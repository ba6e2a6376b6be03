// Package outdir is sgc's one writer of files into a directory. Every
// command that writes files (build's output, import's drafts and mapping
// files, doc's report, fmt's rewrites) hands it the whole set at once with
// its own ownership rule (Set.Rule). The writer
//
//   - checks every file in the way against that rule before anything
//     changes, so a refusal (fsutil.NotOursError) changes nothing;
//   - stages the new files inside the directory (so a rename into place
//     works on a mount point or below a read-only parent), each synced to
//     disk, side by side;
//   - commits with a journal in dir/.sgc, then moves the files into place;
//     a run killed before the journal leaves the old files, one killed
//     after it is finished by the next write into dir (roll forward);
//   - holds a lock (dir/.sgc/lock) meanwhile, so that a concurrent write
//     into dir fails with a LockedError.
//
// A set of one file that records nothing and keeps no state is written
// by a rename of a synced sibling, which is atomic by itself: no journal,
// no state directory.
package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/parallel"
)

// StateDir is the directory, inside a directory sgc writes, where it keeps
// what it needs to write safely: the lock, the journal of a write in
// progress, the staging area of the next one, and its callers' records
// (a build's manifests).
const StateDir = ".sgc"

// File is one file of a set: a plain name in the directory, and its bytes.
type File struct {
	Name string
	Data []byte
}

// Existing is a file found in the way of a write.
type Existing struct {
	Path    string
	Regular bool   // a regular file (not a link, a directory, a device)
	Sum     string // the SHA-256 of its content, when Regular
}

// Inspect describes the file at path for a Claim.
func Inspect(path string) (Existing, error) {
	sum, regular, err := fsutil.Sum(path)
	return Existing{Path: path, Regular: regular, Sum: sum}, err
}

// Claim is a caller's ownership rule: why the existing file name is not
// the caller's to replace or remove, or "" when it is. A claim that needs
// its own hint for one file returns a *fsutil.NotOursError (its Path
// filled in by the writer).
type Claim func(name string, e Existing) (why string, err error)

// Rule is a caller's ownership rule in a directory.
type Rule struct {
	// Claim decides over every existing file the set replaces or removes.
	Claim Claim
	// Remove names files of an earlier write that the set no longer has;
	// each is removed only if Claim says it is the caller's.
	Remove []string
}

// Fixed returns the rules of a caller whose rule does not depend on what
// is in the directory: claim for its own kind, and nothing to remove.
func Fixed(kind string, claim Claim) func(string) (Rule, error) {
	return func(k string) (Rule, error) {
		if k != kind {
			return Rule{}, fmt.Errorf("it was left by %q, not by %q", k, kind)
		}
		return Rule{Claim: claim}, nil
	}
}

// Set is what one write puts into a directory.
type Set struct {
	// Kind names the writer ("build:terraform", "import"): the journal
	// records it, so that a later write can finish this one under its rule.
	Kind  string
	Files []File
	// Rule reads the ownership rule of a kind of write: Kind's own, or
	// that of an interrupted write to finish (an error for a kind the
	// caller cannot judge). It is read again under the lock, after an
	// interrupted write is finished, since either may change what the
	// directory holds (a build's manifest).
	Rule func(kind string) (Rule, error)
	// Hint is what a refusal suggests ("" for fsutil.NotOursError's own).
	Hint string
	// Record returns files to keep in dir/.sgc, written at the commit with
	// the set (a build's manifest), given the sums of Files by name.
	Record func(sums map[string]string) ([]File, error)
	// KeepState keeps dir/.sgc after the write (a build's output keeps its
	// manifests there). Without it, the state directory is removed when
	// the write is done and it holds nothing else.
	KeepState bool
	// Unchanged, when not nil, is set to how many of Files the write
	// left in place because they held their bytes already.
	Unchanged *int
}

// PlainName reports whether name is a file name at the top level of a
// directory: no separators, no dot files, nothing that leaves it.
func PlainName(name string) bool {
	return name != "" && !strings.ContainsAny(name, `/\`) && !strings.HasPrefix(name, ".") && filepath.Base(name) == name
}

// fileName reports whether name names a file in a directory: a set of one
// file (a report the user named, a file fmt rewrites) may begin with a dot.
func fileName(name string) bool {
	return name != "" && name != "." && name != ".." && name != StateDir && !strings.ContainsAny(name, `/\`)
}

// Write puts the set into dir, creating dir if needed. A first write that
// fails leaves no directory behind.
func Write(dir string, s Set) (err error) {
	for _, f := range s.Files {
		if !PlainName(f.Name) && !(direct(s) && fileName(f.Name)) {
			return fmt.Errorf("outdir: %q is not a plain file name", f.Name) // a bug in the caller
		}
	}
	info, statErr := os.Stat(dir)
	switch {
	case statErr == nil && !info.IsDir():
		return fmt.Errorf("%s exists and is not a directory", dir)
	case statErr != nil && !errors.Is(statErr, os.ErrNotExist):
		return statErr
	}
	if direct(s) {
		return writeOne(dir, s)
	}
	created := statErr != nil
	state := filepath.Join(dir, StateDir)
	_, noState := os.Lstat(state)
	if noState != nil && !created {
		// Nothing of sgc's here yet: a file in the way is refused before
		// sgc leaves anything of its own, not even a lock. (The check is
		// made again under the lock.)
		if _, _, err := check(dir, s); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(state, 0o755); err != nil {
		return err
	}
	switch {
	case created:
		defer func() {
			if err != nil {
				os.RemoveAll(state)
				os.Remove(dir)
			}
		}()
	case noState != nil && !s.KeepState:
		defer removeState(state)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := Recover(dir, s.Rule); err != nil {
		return fmt.Errorf("finishing an interrupted write into %s: %w", dir, err)
	}
	rule, existing, err := check(dir, s)
	if err != nil {
		return err
	}
	return commit(dir, s, rule, existing)
}

// direct reports whether the set is one file that a rename writes
// atomically by itself.
func direct(s Set) bool { return len(s.Files) == 1 && s.Record == nil && !s.KeepState }

// writeOne writes a set of one file by a synced sibling renamed into place;
// the file keeps the mode and, where the system allows, the owner of the
// one it replaces.
func writeOne(dir string, s Set) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	_, existing, err := check(dir, s)
	if err != nil {
		return err
	}
	f := s.Files[0]
	return fsutil.WriteFileLike(filepath.Join(dir, f.Name), f.Data, existing[f.Name].info)
}

// removeState removes the state directory of a write that keeps none:
// its lock, then the directory if nothing else is in it.
func removeState(state string) {
	os.Remove(filepath.Join(state, lockName))
	os.Remove(state)
}

// found is an existing file of the set, as check found it.
type found struct {
	Existing
	info os.FileInfo
}

// check reads the caller's rule and holds every existing file the set
// replaces to it; it returns the rule and those files by name.
func check(dir string, s Set) (Rule, map[string]found, error) {
	rule, err := s.Rule(s.Kind)
	if err != nil {
		return Rule{}, nil, err
	}
	// Each file in the way is read and hashed: a rebuild's whole previous
	// output, which is read a few files at a time (most of it is waiting
	// on the disk or hashing); the rule is applied in order after.
	type look struct {
		info os.FileInfo // nil: nothing in the way
		e    Existing
		err  error
	}
	looks := make([]look, len(s.Files))
	parallel.EachAtMost(len(s.Files), 4, func(i int) {
		path := filepath.Join(dir, s.Files[i].Name)
		if info, err := os.Lstat(path); err == nil {
			e, err := Inspect(path)
			looks[i] = look{info, e, err}
		}
	})
	existing := map[string]found{}
	for i, f := range s.Files {
		info, e, err := looks[i].info, looks[i].e, looks[i].err
		if info == nil {
			continue
		}
		path := filepath.Join(dir, f.Name)
		if err != nil {
			return Rule{}, nil, err
		}
		why, err := rule.Claim(f.Name, e)
		var no *fsutil.NotOursError
		if errors.As(err, &no) && no.Path == "" {
			no.Path = path // a claim's own refusal, with its own hint
		}
		if err != nil {
			return Rule{}, nil, err
		}
		if why != "" {
			return Rule{}, nil, &fsutil.NotOursError{Path: path, Reason: why, Hint: s.Hint}
		}
		existing[f.Name] = found{e, info}
	}
	return rule, existing, nil
}

// LockedError is returned when another sgc process is writing the same
// directory.
type LockedError struct{ Dir string }

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s is being written by another sgc process (its lock %s is held); try again when it has finished",
		e.Dir, filepath.Join(e.Dir, StateDir, lockName))
}

// Lock takes the write lock of dir, whose StateDir must exist: for a
// caller that reads what an earlier write left (a build's previous
// output) and must not see one half-done.
func Lock(dir string) (unlock func(), err error) { return lockDir(dir) }

// Generated is the claim of a caller that replaces only files carrying
// sgc's generated-file notice (a report, a draft of rules to paste).
func Generated(name string, e Existing) (string, error) {
	if !e.Regular {
		return "is not a regular file", nil
	}
	gen, err := fsutil.GeneratedFile(e.Path)
	if err != nil {
		return "", err
	}
	if !gen {
		return "was not generated by sgc", nil
	}
	return "", nil
}

// WriteFile writes one file at path by set's rule of kind: the writer's
// way for a caller that names a file, not a directory.
func WriteFile(path string, data []byte, kind string, claim Claim) error {
	return Write(filepath.Dir(path), Set{Kind: kind, Files: []File{{Name: filepath.Base(path), Data: data}}, Rule: Fixed(kind, claim)})
}
