package outdir

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/internal/fsutil"
)

// mine is a rule that claims the files whose content starts with "ours".
var mine = Fixed("test", func(name string, e Existing) (string, error) {
	head, _, err := fsutil.Head(e.Path)
	if err != nil {
		return "", err
	}
	if !e.Regular || !strings.HasPrefix(string(head), "ours") {
		return "is not ours", nil
	}
	return "", nil
})

func set(version string, names ...string) Set {
	s := Set{Kind: "test", Rule: mine}
	for _, n := range names {
		s.Files = append(s.Files, File{Name: n, Data: []byte("ours " + n + " " + version + "\n")})
	}
	return s
}

// list lists the files in dir, and in its state directory apart.
func list(t *testing.T, dir string) (files, state []string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != StateDir {
			files = append(files, e.Name())
		}
	}
	entries, _ = os.ReadDir(filepath.Join(dir, StateDir))
	for _, e := range entries {
		state = append(state, e.Name())
	}
	sort.Strings(files)
	sort.Strings(state)
	return files, state
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWriteSet: a set is written whole; a write that keeps no state
// leaves no state directory; a refusal changes nothing.
func TestWriteSet(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "b"), []byte("ours b v0\n"), 0o644)
	if err := Write(dir, set("v1", "a", "b")); err != nil {
		t.Fatal(err)
	}
	files, state := list(t, dir)
	if !slices.Equal(files, []string{"a", "b"}) || len(state) > 0 {
		t.Errorf("files %v, state %v", files, state)
	}
	os.WriteFile(filepath.Join(dir, "c"), []byte("a person's\n"), 0o644)
	err := Write(dir, set("v2", "a", "c"))
	var no *fsutil.NotOursError
	if !errors.As(err, &no) || no.Path != filepath.Join(dir, "c") || no.Reason != "is not ours" {
		t.Fatalf("err = %v, want c refused", err)
	}
	if got := read(t, filepath.Join(dir, "a")); !strings.Contains(got, "v1") {
		t.Errorf("a refused write changed a: %q", got)
	}
	if _, state := list(t, dir); len(state) > 0 {
		t.Errorf("a refused write left state: %v", state)
	}
}

// TestWriteOne: a set of one file is written by a rename alone, keeps the
// mode of the file it replaces, and leaves nothing else.
func TestWriteOne(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.md")
	os.WriteFile(path, []byte("ours, an earlier report\n"), 0o600)
	if err := Write(dir, set("v1", "report.md")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if files, state := list(t, dir); !slices.Equal(files, []string{"report.md"}) || state != nil {
		t.Errorf("files %v, state %v", files, state)
	}
	os.WriteFile(path, []byte("mine\n"), 0o644)
	if err := Write(dir, set("v2", "report.md")); err == nil {
		t.Error("a person's file was replaced")
	}
	if got := read(t, path); got != "mine\n" {
		t.Errorf("report.md = %q", got)
	}
}

// TestKilledAfterCommit: a write stopped after its first rename leaves a
// journal; the next write into the directory finishes it before its own,
// so the directory never holds a mix.
func TestKilledAfterCommit(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, set("v1", "a", "b", "c")); err != nil {
		t.Fatal(err)
	}
	crashAfter = 1
	err := Write(dir, set("v2", "a", "b", "c"))
	crashAfter = -1
	if !errors.Is(err, errCrash) {
		t.Fatalf("err = %v, want the simulated crash", err)
	}
	if got := read(t, filepath.Join(dir, "b")); !strings.Contains(got, "v1") {
		t.Fatalf("b = %q: the crash came too late to show anything", got)
	}
	if err := Recover(dir, mine); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c"} {
		if got := read(t, filepath.Join(dir, n)); !strings.Contains(got, "v2") {
			t.Errorf("%s = %q after recovery, want v2", n, got)
		}
	}
	if _, state := list(t, dir); slices.ContainsFunc(state, func(s string) bool { return s == journalName || strings.HasPrefix(s, stagePrefix) }) {
		t.Errorf("left in %s: %v", StateDir, state)
	}
}

// TestRecoverOtherKind: a journal left by another kind of write is not
// finished under a rule that cannot judge it.
func TestRecoverOtherKind(t *testing.T) {
	dir := t.TempDir()
	s := set("v1", "a", "b")
	s.KeepState = true
	if err := Write(dir, s); err != nil {
		t.Fatal(err)
	}
	crashAfter = 0
	Write(dir, set("v2", "a", "b"))
	crashAfter = -1
	if err := Recover(dir, func(kind string) (Rule, error) { return Rule{}, errors.New("not mine") }); err == nil || !strings.Contains(err.Error(), "not mine") {
		t.Fatalf("err = %v", err)
	}
	if got := read(t, filepath.Join(dir, "b")); !strings.Contains(got, "v1") {
		t.Errorf("b = %q: the journal was carried out under a rule that refused it", got)
	}
}

// TestRecords: records are written into the state directory with the
// set, from the sums of its files.
func TestRecords(t *testing.T) {
	dir := t.TempDir()
	s := set("v1", "a")
	s.KeepState = true
	s.Record = func(sums map[string]string) ([]File, error) {
		return []File{{Name: "test.json", Data: []byte(sums["a"])}}, nil
	}
	if err := Write(dir, s); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, filepath.Join(dir, StateDir, "test.json")), fsutil.SumOf(s.Files[0].Data); got != want {
		t.Errorf("record = %q, want %q", got, want)
	}
	s.Record = func(map[string]string) ([]File, error) { return []File{{Name: journalName}}, nil }
	if err := Write(dir, s); err == nil {
		t.Error("a record named like the journal was accepted")
	}
}

// TestUnchangedFilesStayInPlace: a write leaves a file that already holds
// its bytes as it is (the same inode, not rewritten), replaces the ones
// that changed, and records the sums of all; a write that changes nothing
// moves nothing and leaves no stage behind.
func TestUnchangedFilesStayInPlace(t *testing.T) {
	dir := t.TempDir()
	recorded := map[string]string{}
	withRecord := func(s Set) Set {
		s.Record = func(sums map[string]string) ([]File, error) {
			clear(recorded)
			for k, v := range sums {
				recorded[k] = v
			}
			return []File{{Name: "manifest", Data: []byte("ours\n")}}, nil
		}
		return s
	}
	if err := Write(dir, withRecord(set("v1", "a", "b", "c"))); err != nil {
		t.Fatal(err)
	}
	before := map[string]os.FileInfo{}
	for _, n := range []string{"a", "b", "c"} {
		before[n], _ = os.Stat(filepath.Join(dir, n))
	}
	next := set("v1", "a", "b", "c")
	next.Files[1].Data = []byte("ours b v2\n")
	if err := Write(dir, withRecord(next)); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c"} {
		after, err := os.Stat(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if same := os.SameFile(before[n], after); same != (n != "b") {
			t.Errorf("%s: the same file after the write: %v", n, same)
		}
	}
	if got := read(t, filepath.Join(dir, "b")); got != "ours b v2\n" {
		t.Errorf("b = %q", got)
	}
	for _, f := range next.Files {
		if recorded[f.Name] != fsutil.SumOf(f.Data) {
			t.Errorf("the record of %s has sum %q, want the file's", f.Name, recorded[f.Name])
		}
	}
	if err := Write(dir, withRecord(next)); err != nil {
		t.Fatal(err)
	}
	_, state := list(t, dir)
	for _, s := range state {
		if strings.HasPrefix(s, stagePrefix) || s == journalName {
			t.Errorf("a write that changed nothing left %s", s)
		}
	}
}
