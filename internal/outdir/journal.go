package outdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/parallel"
)

const (
	lockName    = "lock"
	journalName = "journal.json"
	stagePrefix = "stage-"
	recordsDir  = "records" // inside a stage: the records to move into StateDir
)

// Bounds on sgc's own state files, which anyone who can write the
// directory can replace: a split output of 50,000 flows has a few hundred
// files.
const (
	MaxStateFile = 16 << 20 // bytes of a journal or a caller's record
	MaxFiles     = 100000   // files of one write
)

// journal is a write between its commit point and its end: the staged
// files still to move into place, each with the sum of the file it
// replaces as the write checked it; the files to remove, with their sums
// then; and the records to keep in StateDir. A run that finds one
// finishes it first (roll forward), so a write killed half-way is
// completed by the next, whichever command makes it: the journal names
// the kind of write, whose rule the next run applies again (finish).
type journal struct {
	Kind    string  `json:"kind"` // the Set.Kind that wrote it
	Stage   string  `json:"stage"`
	Files   []entry `json:"files"`
	Remove  []entry `json:"remove"`
	Records []entry `json:"records,omitempty"`

	// Manifest is how journals of sgc before this writer recorded a
	// build's manifest (legacy.go).
	Manifest *legacyManifest `json:"manifest,omitempty"`
}

type entry struct {
	Name     string `json:"name"`
	Sum      string `json:"sum"`                // of the staged file; of a file to remove, as checked
	Replaces string `json:"replaces,omitempty"` // the sum of the file in the way, as checked; "" for none
}

// anySum in Replaces or in the Sum of a removal stands for whatever file
// the caller's rule claims: journals of earlier versions recorded no sums
// of the files a write replaced or removed.
const anySum = "any"

// crashAfter and errCrash let tests stop a write after some of its
// renames, as a kill would; crashAfter is -1 outside those tests.
var (
	crashAfter = -1
	errCrash   = errors.New("outdir: simulated crash")
)

// commit stages the set, writes the journal (the commit point) and
// finishes the write.
func commit(dir string, s Set, rule Rule, existing map[string]found) (err error) {
	state := filepath.Join(dir, StateDir)
	stage, err := os.MkdirTemp(state, stagePrefix)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			os.RemoveAll(stage)
		}
	}()
	sums, staged, err := stageFiles(stage, s.Files, existing)
	if err != nil {
		return err
	}
	j := journal{Kind: s.Kind, Stage: filepath.Base(stage)}
	sumOf := map[string]string{} // the set's sums, by name
	unchanged := 0
	for i, f := range s.Files {
		sumOf[f.Name] = sums[i]
		if staged[i] { // else the file in place holds these bytes already
			j.Files = append(j.Files, entry{Name: f.Name, Sum: sums[i], Replaces: existing[f.Name].Sum})
		} else {
			unchanged++
		}
	}
	if s.Unchanged != nil {
		*s.Unchanged = unchanged
	}
	for _, name := range rule.Remove {
		path := filepath.Join(dir, name)
		if !PlainName(name) || sumOf[name] != "" {
			continue
		}
		e, err := Inspect(path)
		if err != nil {
			continue // gone already
		}
		if why, err := rule.Claim(name, e); err == nil && why == "" && e.Regular {
			j.Remove = append(j.Remove, entry{Name: name, Sum: e.Sum})
		}
	}
	if s.Record != nil {
		records, err := s.Record(sumOf)
		if err != nil {
			return err
		}
		if err := os.Mkdir(filepath.Join(stage, recordsDir), 0o755); err != nil {
			return err
		}
		for _, r := range records {
			if !recordName(r.Name) {
				return fmt.Errorf("outdir: %q cannot be a record", r.Name) // a bug in the caller
			}
			if err := writeSynced(filepath.Join(stage, recordsDir, r.Name), r.Data, nil, new(sync.Mutex)); err != nil {
				return err
			}
			j.Records = append(j.Records, entry{Name: r.Name, Sum: fsutil.SumOf(r.Data)})
		}
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(state, journalName), append(data, '\n'), 0o644); err != nil {
		return err
	}
	committed = true // from here on, the next run finishes what this one started
	return finish(dir, j, nil)
}

// recordName reports whether name may be a record in StateDir: a plain
// name that is none of the writer's own.
func recordName(name string) bool {
	return PlainName(name) && name != lockName && name != journalName && !strings.HasPrefix(name, stagePrefix)
}

// stageFiles writes files into the staging directory, a few at a time (a
// big split template set is hundreds of files), each synced to disk so
// that the journal never points at data the kernel has not written, and
// returns their sums and which it staged. A file in place that holds the
// same bytes, as the check hashed it under the lock, is left as it is: a
// rebuild writes, syncs and moves only what changed (one added flow
// changes at most two rule stacks of a split build), and an unchanged file
// keeps its inode and its time. A file that replaces one keeps that
// file's mode and, where the system allows, its owner (a 0600 file stays
// 0600).
func stageFiles(stage string, files []File, existing map[string]found) (sums []string, staged []bool, err error) {
	errs := make([]error, len(files))
	sums, staged = make([]string, len(files)), make([]bool, len(files))
	inPlace := func(i int) (found, bool) {
		e, ok := existing[files[i].Name]
		return e, ok && e.Regular
	}
	// Each write ends in an fsync, which waits on the disk rather than a
	// core: four at a time overlap those waits even on one core. The sums
	// of new files are taken meanwhile, on the cores (a module's main.tf is
	// most of its bytes, and hashing it before writing it kept the disk
	// waiting); a file in the way is hashed first, to see whether it
	// changed at all.
	summed := make(chan struct{})
	go func() {
		defer close(summed)
		parallel.Each(len(files), func(i int) {
			if _, ok := inPlace(i); !ok {
				sums[i] = fsutil.SumOf(files[i].Data)
			}
		})
	}()
	// The files are created one at a time: creating a file locks the
	// staging directory, and the writers waiting for it spun in the kernel
	// (2% of a 50k-flow split build, more where the file system looks long
	// for a free inode); waiting on creating, a writer yields its core.
	var creating sync.Mutex
	parallel.EachAtMost(len(files), 4, func(i int) {
		e, ok := inPlace(i)
		if ok {
			if sums[i] = fsutil.SumOf(files[i].Data); sums[i] == e.Sum {
				return
			}
		}
		staged[i] = true
		errs[i] = writeSynced(filepath.Join(stage, files[i].Name), files[i].Data, e.info, &creating)
	})
	<-summed
	return sums, staged, errors.Join(errs...)
}

// writeSynced writes a new file at path, synced, with the mode and owner
// of existing when there is one; creating is held while the file is
// created.
func writeSynced(path string, data []byte, existing os.FileInfo, creating *sync.Mutex) error {
	creating.Lock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	creating.Unlock()
	if err != nil {
		return err
	}
	if existing != nil {
		if err := f.Chmod(existing.Mode().Perm()); err != nil {
			f.Close()
			return err
		}
		if err := fsutil.KeepOwner(f, existing); err != nil {
			f.Close()
			return err
		}
	}
	if err := fsutil.WriteChunks(f, data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Recover finishes a write into dir that was killed after its commit
// point, and removes the staging directories of writes killed before it.
// rules gives the ownership rule of the kind of write that left the
// journal, which the files it replaces or removes are held to again.
// A directory sgc never wrote is left as it is.
func Recover(dir string, rules func(kind string) (Rule, error)) error {
	state := filepath.Join(dir, StateDir)
	jpath := filepath.Join(state, journalName)
	if _, err := os.Lstat(jpath); err == nil {
		j, err := readJournal(jpath)
		if err != nil {
			return err
		}
		if err := finish(dir, j, rules); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(state)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stagePrefix) {
			if err := os.RemoveAll(filepath.Join(state, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// readJournal reads a journal, which is only a file in the directory that
// anyone who can write there can plant: its shape is checked here, every
// file it names in finish.
func readJournal(jpath string) (journal, error) {
	var j journal
	data, err := fsutil.ReadRegular(jpath, MaxStateFile)
	if err == nil {
		j, err = decodeJournal(data)
	}
	if err != nil || !strings.HasPrefix(j.Stage, stagePrefix) || !PlainName(j.Stage) ||
		len(j.Files)+len(j.Remove)+len(j.Records) > MaxFiles {
		return journal{}, fmt.Errorf("%s: not an sgc journal; remove it to go on", jpath)
	}
	return j, nil
}

// finish carries out the journal j in dir: it moves the staged files
// into place, removes the files the new set no longer has, moves the
// records into StateDir, and deletes the journal and the staging
// directory. Every step can be repeated, so a run killed during finish is
// finished by the next.
//
// A journal found in the directory is only a file that anyone who can
// write there can plant, so it is held to what a write would do before
// anything moves (rules gives the rule of the kind of write it names):
// its stage is a real directory inside StateDir (not a link to
// elsewhere), every staged file a regular file with the sum the journal
// records, every file it replaces either already the staged one or still
// the one the write checked and the rule's, every file it removes still
// the one it recorded and the rule's. A write finishing its own journal
// (rules nil) staged the files itself and checked every file in their
// way under the lock it still holds: reading and hashing the whole
// output twice more would prove nothing new, and took a tenth of a large
// build.
func finish(dir string, j journal, rules func(kind string) (Rule, error)) error {
	checked := rules == nil
	state := filepath.Join(dir, StateDir)
	jpath := filepath.Join(state, journalName)
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s; refusing to finish it (remove it to go on)", jpath, fmt.Sprintf(format, args...))
	}
	stage := filepath.Join(state, j.Stage)
	if info, err := os.Lstat(stage); err == nil && !info.IsDir() {
		return refuse("its staging area %s is not a directory", stage)
	}
	// ours says whether the file name, recorded with sum, is the rule's
	// to replace or remove.
	ours := func(string, string) bool { return true }
	if !checked {
		rule, err := rules(j.Kind)
		if err != nil {
			return refuse("%v", err)
		}
		ours = func(name, sum string) bool {
			e, err := Inspect(filepath.Join(dir, name))
			if err != nil || !e.Regular || (sum != anySum && e.Sum != sum) {
				return false
			}
			why, err := rule.Claim(name, e)
			return err == nil && why == ""
		}
		for _, e := range j.Files {
			if !PlainName(e.Name) || e.Sum == "" {
				return refuse("%q is not a file of an sgc write", e.Name)
			}
			in := filepath.Join(dir, e.Name)
			got, regular, err := fsutil.Sum(filepath.Join(stage, e.Name))
			switch {
			case errors.Is(err, os.ErrNotExist):
				// Moved by the run that was killed: what is in place must be it.
				if !holds(in, e.Sum) {
					return refuse("%s is neither staged nor in place", e.Name)
				}
				continue
			case err != nil:
				return err
			case !regular || got != e.Sum:
				return refuse("the staged %s is not the file the journal records", e.Name)
			}
			if fsutil.Exists(in) && !holds(in, e.Sum) && (e.Replaces == "" || !ours(e.Name, e.Replaces)) {
				return refuse("it would replace %s, which is not the file the write checked", in)
			}
		}
		for _, e := range j.Records {
			if !recordName(e.Name) {
				return refuse("%q is not a record", e.Name)
			}
		}
	}
	move := func(e entry) error {
		if err := os.Rename(filepath.Join(stage, e.Name), filepath.Join(dir, e.Name)); err != nil && !(errors.Is(err, os.ErrNotExist) && !checked) {
			return err
		}
		return nil
	}
	if crashAfter < 0 {
		// A rename over a file of the previous build frees that file's
		// blocks, which takes longer than the rename itself: a few at a
		// time, those overlap. The order does not matter: a run killed
		// among them leaves each file staged or in place, which the next
		// run finishes either way.
		errs := make([]error, len(j.Files))
		parallel.EachAtMost(len(j.Files), 4, func(i int) { errs[i] = move(j.Files[i]) })
		if err := errors.Join(errs...); err != nil {
			return err
		}
	} else {
		for i, e := range j.Files {
			if i == crashAfter {
				return errCrash
			}
			if err := move(e); err != nil {
				return err
			}
		}
	}
	staged := make(map[string]bool, len(j.Files)) // a planted journal may name 100,000 of each: no scan per removal
	for _, e := range j.Files {
		staged[e.Name] = true
	}
	for _, e := range j.Remove {
		path := filepath.Join(dir, e.Name)
		if !PlainName(e.Name) || staged[e.Name] || !(holds(path, e.Sum) || e.Sum == anySum) || !ours(e.Name, e.Sum) {
			continue
		}
		if err := os.Remove(path); err != nil {
			return err
		}
	}
	for _, e := range j.Records {
		from := filepath.Join(stage, recordsDir, e.Name)
		if !checked && !holds(from, e.Sum) {
			continue // moved already, or not what the journal records
		}
		if err := os.Rename(from, filepath.Join(state, e.Name)); err != nil {
			return err
		}
	}
	if j.Manifest != nil {
		if err := writeLegacyManifest(state, j.Manifest); err != nil {
			return err
		}
	}
	syncDir(dir)
	if err := os.Remove(jpath); err != nil {
		return err
	}
	return os.RemoveAll(stage)
}

// holds reports whether the regular file at path has the sum want; a
// want of "" holds for no file.
func holds(path, want string) bool {
	got, regular, err := fsutil.Sum(path)
	return err == nil && regular && want != "" && got == want
}

// syncDir asks the kernel to write dir's entries (the renames) to disk;
// not every system can, and nothing depends on it but durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
