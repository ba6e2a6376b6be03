package load_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// gitRepo makes a repository in a temporary directory with files (name →
// text) committed, and makes it the working directory for the test.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	testkit.Need(t, "git", "SGC_REQUIRE_REALTOOLS")
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-qm", "policy"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	t.Chdir(dir)
	return dir
}

// countGit puts a git first on PATH that logs each call (its first
// argument) before running the real one, and returns the log's path.
func countGit(t *testing.T) string {
	t.Helper()
	real, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	log := filepath.Join(bin, "calls")
	script := fmt.Sprintf("#!/bin/sh\necho \"$1\" >> '%s'\nexec '%s' \"$@\"\n", log, real)
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return log
}

// TestFromGitReadsFilesWithOneProcess reads a policy of 40 files at a
// revision: one git cat-file reads them all, where a git show a file made
// a large policy cost a process a file.
func TestFromGitReadsFilesWithOneProcess(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("policy/g%02d.intent", i)] = fmt.Sprintf("group g%02d \"Group %d\"\n", i, i)
	}
	files["policy/flows.intent"] = "g00 -> g01 tcp/443 because \"the first calls the second\"\n"
	gitRepo(t, files)
	log := countGit(t)
	p, err := load.FromGit("HEAD", []string{"policy"}, compiler.Options{Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	if p.Diags.HasErrors() || len(p.Program.Groups) != 40 || len(p.Program.Flows) != 1 {
		t.Fatalf("%d groups, %d flows: %v", len(p.Program.Groups), len(p.Program.Flows), p.Diags)
	}
	for name, text := range files {
		if got := p.Sources[name]; got == nil || string(got.Src) != text {
			t.Errorf("%s not read as committed (%q)", name, text)
		}
	}
	calls, _ := os.ReadFile(log)
	if n := strings.Count(string(calls), "\n"); n > 3 || strings.Count(string(calls), "cat-file") != 1 {
		t.Errorf("%d git processes for 41 files (%s), want rev-parse, ls-tree and one cat-file", n, strings.Fields(string(calls)))
	}
}

// TestFromGitOddNames reads files whose directory's name holds a line
// feed (which cat-file's one name a line cannot take) and a space, and
// refuses a directory named like an intent file.
func TestFromGitOddNames(t *testing.T) {
	gitRepo(t, map[string]string{
		"p/a b.intent":          "group a \"A\"\n",
		"p/line\nfeed/b.intent": "group b \"B\"\n",
	})
	p, err := load.FromGit("HEAD", []string{"p/..."}, compiler.Options{Now: testkit.Now})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Program.Groups) != 2 {
		t.Fatalf("%d groups read, want 2: %v", len(p.Program.Groups), p.Diags)
	}
	gitRepo(t, map[string]string{"q/dir.intent/x.intent": "group x \"X\"\n"})
	if _, err := load.FromGit("HEAD", []string{"q"}, compiler.Options{Now: testkit.Now}); err == nil || !strings.Contains(err.Error(), "is a tree, not a file") {
		t.Errorf("a directory named dir.intent: %v, want it refused as a tree", err)
	}
}

// TestFromGitRefusesLargeFiles holds files at a revision to the size the
// working tree's are held to, before they are read.
func TestFromGitRefusesLargeFiles(t *testing.T) {
	big := "# " + string(bytes.Repeat([]byte("x"), limits.IntentFile)) + "\n"
	gitRepo(t, map[string]string{"p/big.intent": big, "p/small.intent": "group s \"S\"\n"})
	_, err := load.FromGit("HEAD", []string{"p"}, compiler.Options{Now: testkit.Now})
	if err == nil || !strings.Contains(err.Error(), "sgc reads at most 16 MiB") || !strings.Contains(err.Error(), "big.intent") {
		t.Errorf("a file over 16 MiB at a revision: %v", err)
	}
}

// TestFromGitReadsTheRevisionsOwners: the revision's sgc.hcl gives its
// groups their owners (owners { files }), so that a flow a change removes
// asks them; read in the same cat-file as the intent files, from a
// directory, a tree or beside a file.
func TestFromGitReadsTheRevisionsOwners(t *testing.T) {
	gitRepo(t, map[string]string{
		"policy/sgc.hcl":               "owners {\n  files = { \"payments-*.intent\" = \"acme/payments\" }\n}\n",
		"policy/payments-core.intent":  "group pay \"Payments\"\n",
		"policy/shared.intent":         "group db \"Orders\"\npay -> db tcp/5432 because \"payments store orders\"\n",
		"policy/sub/other.intent.keep": "",
	})
	log := countGit(t)
	for _, paths := range [][]string{{"policy"}, {"policy/..."}, {"policy/payments-core.intent", "policy/shared.intent"}} {
		p, err := load.FromGit("HEAD", paths, compiler.Options{Now: testkit.Now})
		if err != nil {
			t.Fatalf("%v: %v", paths, err)
		}
		owners := map[string]string{}
		for _, g := range p.Program.Groups {
			owners[g.Name] = g.Owner
		}
		if owners["pay"] != "acme/payments" || owners["db"] != "" {
			t.Errorf("%v: owners %v, want pay's from sgc.hcl", paths, owners)
		}
	}
	calls, _ := os.ReadFile(log)
	if n := strings.Count(string(calls), "cat-file"); n != 3 {
		t.Errorf("%d cat-file processes for three reads, want one each (%s)", n, strings.Fields(string(calls)))
	}
}
