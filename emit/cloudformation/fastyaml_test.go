package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// sameTree reports where a and b differ in what reading a template looks
// at (kind, tag, value and children), or "".
func sameTree(a, b *yaml.Node, at string) string {
	switch {
	case a.Kind != b.Kind:
		return fmt.Sprintf("%s: kind %v, yaml.v3 %v", at, a.Kind, b.Kind)
	case a.Tag != b.Tag:
		return fmt.Sprintf("%s: tag %q, yaml.v3 %q", at, a.Tag, b.Tag)
	case a.Value != b.Value:
		return fmt.Sprintf("%s: value %q, yaml.v3 %q", at, a.Value, b.Value)
	case len(a.Content) != len(b.Content):
		return fmt.Sprintf("%s: %d children, yaml.v3 %d", at, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkFastYAML holds fastYAML to yaml.v3 on data: where it reads data at
// all, yaml.v3 reads it too, into the same tree. It reports whether
// fastYAML read it.
func checkFastYAML(t testing.TB, name string, data []byte) bool {
	t.Helper()
	fast, ok := fastYAML(data)
	if !ok {
		return false
	}
	var slow yaml.Node
	if err := yaml.Unmarshal(data, &slow); err != nil {
		t.Fatalf("%s: fastYAML reads what yaml.v3 refuses (%v):\n%s", name, err, data)
	}
	if d := sameTree(fast, &slow, ""); d != "" {
		t.Fatalf("%s: fastYAML and yaml.v3 differ at %s\n%s", name, d, data)
	}
	return true
}

// TestFastYAMLIsYAML holds fastYAML to yaml.v3 on every template sgc
// writes for random policies (split and whole, every kind of peer) and
// for the bundled examples, and requires it to read every group stack
// sgc writes: a fast path that gave up on them would save nothing.
func TestFastYAMLIsYAML(t *testing.T) {
	when := compiler.Options{Now: testkit.Now}
	read := 0
	for seed := int64(1); seed <= 30; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 3 + int(seed%9), Flows: 20 + int(seed%4)*20, Seed: seed, GroupsPerFile: 3})
		p := load.FromSources(srcs, when)
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		for _, split := range []bool{false, true} {
			files, diags := Emit(p.Program, emit.Options{Split: split})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for _, f := range files {
				if !strings.HasSuffix(f.Path, ".yaml") {
					continue
				}
				ok := checkFastYAML(t, fmt.Sprintf("seed %d %s", seed, f.Path), f.Data)
				if strings.HasPrefix(f.Path, "groups-") && !ok {
					t.Fatalf("seed %d: fastYAML does not read the group stack %s:\n%s", seed, f.Path, f.Data)
				}
				if ok {
					read++
				}
			}
		}
	}
	examples, _ := filepath.Glob("../../examples/*/cloudformation/*.yaml")
	more, _ := filepath.Glob("../../examples/*/cloudformation/*/*.yaml")
	for _, path := range append(examples, more...) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if checkFastYAML(t, path, data) {
			read++
		}
	}
	t.Logf("fastYAML read %d templates, each as yaml.v3 does", read)
}

// TestFastYAMLGivesUp lists forms fastYAML leaves to yaml.v3.
func TestFastYAMLGivesUp(t *testing.T) {
	for _, src := range []string{
		"",
		"# only a comment\n",
		"a: 1\na: 2\n",          // a repeated key
		"a:\n  b: x\n   c: y\n", // a key deeper than its mapping
		"a: x\n  continued\n",   // a plain scalar over two lines
		"a:\n- x\n",             // a sequence at its key's column
		"a:\nb: x\n",            // an empty value
		"a: 'open\n",            // an unterminated quote
		"a: \"x\\ty\"\n",        // an escape
		"a: &anchor x\n",        // an anchor
		"a: *alias\n",           // an alias
		"a: !!str x\n",          // a YAML tag
		"a: [x, y]\n",           // a flow sequence
		"a: {b: c}\n",           // a flow mapping
		"a: |\n  text\n",        // a block scalar
		"a: yes\n",              // a YAML 1.1 word
		"a: 1.5\n",              // a float
		"a: 0755\n",             // a leading zero
		"a: 2026-12-02\n",       // a date
		"a:\tx\n",               // a tab
		"a: x # comment\n",      // a trailing comment
		"a: x\r\n",              // a carriage return
		"--- \na: x\n",          // a document marker
		" a: x\n",               // an indented document
		"a: caf\xc3\xa9\n",      // beyond ASCII
		"a:\n  - - x\n",         // a sequence in a sequence
		"'quoted key': x\n",     // a quoted key
		"1: x\n",                // a key that is a number
	} {
		if _, ok := fastYAML([]byte(src)); ok {
			t.Errorf("fastYAML read %q; it is yaml.v3's to read", src)
		}
	}
}

// FuzzFastYAML holds fastYAML to yaml.v3 on anything: where it reads at
// all, it reads what yaml.v3 reads.
func FuzzFastYAML(f *testing.F) {
	p := testkit.Compile(f, synth.Generate(synth.Config{Groups: 4, Flows: 12, Seed: 3}))
	files, _ := Emit(p, emit.Options{Split: true})
	for _, file := range files {
		if strings.HasSuffix(file.Path, ".yaml") {
			f.Add(file.Data)
		}
	}
	f.Add([]byte("a:\n  b: 'it''s'\n  c:\n    - d: !Ref X\n      e: 10.0.0.0/8\n    - -1\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkFastYAML(t, "input", data) })
}
