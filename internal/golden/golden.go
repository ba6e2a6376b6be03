// Package golden runs txtar golden tests. Each archive under a testdata
// directory holds a case's inputs and its expected outputs; the test
// function computes the outputs from the archive, and the harness compares
// them section by section. With -update (or SGC_UPDATE=1) it rewrites the
// expected sections instead, keeping the archive's comment.
//
// Every test package that uses golden files imports this package, which
// defines the -update flag, so `go test ./... -update` works everywhere.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// Updating reports whether golden files are to be rewritten.
func Updating() bool { return *update || os.Getenv("SGC_UPDATE") == "1" }

// Run calls fn for every *.txtar file in dir, each as a subtest named after
// the file. fn returns the outputs by section name; a section named in the
// archive but not returned is an input.
func Run(t *testing.T, dir string, fn func(t *testing.T, a *txtar.Archive) map[string]string) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no golden files in %s", dir)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := fn(t, a)
			Compare(t, path, a, got)
		})
	}
}

// Compare checks the outputs got against the sections of archive a (read
// from path), or rewrites them when updating. Missing sections compare as
// empty.
func Compare(t *testing.T, path string, a *txtar.Archive, got map[string]string) {
	t.Helper()
	names := make([]string, 0, len(got))
	for n, data := range got {
		if data != "" && !strings.HasSuffix(data, "\n") {
			got[n] = data + "\n"
		}
		names = append(names, n)
	}
	sort.Strings(names)
	if Updating() {
		for _, n := range names {
			set(a, n, got[n])
		}
		if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, n := range names {
		want := section(a, n)
		if want != got[n] {
			t.Errorf("%s: section %q differs (rerun with -update to accept)\n--- want\n%s\n--- got\n%s", path, n, want, got[n])
		}
	}
}

func section(a *txtar.Archive, name string) string {
	for _, f := range a.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	return ""
}

func set(a *txtar.Archive, name, data string) {
	for i, f := range a.Files {
		if f.Name == name {
			a.Files[i].Data = []byte(data)
			return
		}
	}
	if data != "" {
		a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(data)})
	}
}

// File compares got with the golden file at path, or rewrites it when
// updating. It serves outputs kept as files of their own, such as the
// generated code checked in beside the examples.
func File(t *testing.T, path string, got []byte) {
	t.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the generated output (rerun with -update to accept)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// Inputs returns the archive's files whose names end in ext (".intent"),
// by name: the inputs of a golden case.
func Inputs(a *txtar.Archive, ext string) map[string][]byte {
	srcs := map[string][]byte{}
	for _, f := range a.Files {
		if strings.HasSuffix(f.Name, ext) {
			srcs[f.Name] = f.Data
		}
	}
	return srcs
}

// Input returns the archive's file called name, or nil.
func Input(a *txtar.Archive, name string) []byte {
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}
