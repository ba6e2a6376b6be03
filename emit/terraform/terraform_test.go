package terraform_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/ruleset"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
)

var testNow = testkit.Now

// build compiles srcs, which must be free of errors, and emits the module.
func build(t testing.TB, srcs map[string][]byte, opts emit.Options) (*model.Program, []emit.File) {
	t.Helper()
	p := testkit.Compile(t, srcs)
	files, diags := terraform.Emit(p, opts)
	if len(diags) > 0 {
		t.Fatalf("emit: %v", diags)
	}
	return p, files
}

func intents(a *txtar.Archive) map[string][]byte { return golden.Inputs(a, ".intent") }

// TestGolden compares the emitted module of each archive with its
// expected files, and checks that each is already in hclwrite.Format form.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		opts := emit.Options{SourceLines: strings.Contains(string(a.Comment), "[source-lines]")}
		_, files := build(t, intents(a), opts)
		out := map[string]string{}
		for _, f := range files {
			if formatted := hclwrite.Format(f.Data); !bytes.Equal(formatted, f.Data) {
				t.Errorf("%s is not in canonical layout:\n%s", f.Path, f.Data)
			}
			out[f.Path] = string(f.Data)
		}
		return out
	})
}

// shuffle reorders the statement lines of srcs and deals them into the
// same files in another order; flows stay in their file.
func shuffle(r *rand.Rand, srcs map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for name, src := range srcs {
		lines := strings.Split(strings.TrimSpace(string(src)), "\n")
		r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		out[name] = []byte(strings.Join(lines, "\n") + "\n")
	}
	return out
}

func TestDeterministicUnderShuffling(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for seed := int64(1); seed <= 20; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 12, Flows: 80, Seed: seed, GroupsPerFile: 4})
		_, want := build(t, srcs, emit.Options{})
		for i := 0; i < 5; i++ {
			_, got := build(t, shuffle(r, srcs), emit.Options{})
			for j := range want {
				if want[j].Path != got[j].Path || !bytes.Equal(want[j].Data, got[j].Data) {
					t.Fatalf("seed %d: %s differs after shuffling", seed, want[j].Path)
				}
			}
		}
	}
}

// TestRoundTrip generates hundreds of random policies, emits each, parses
// the HCL back and rebuilds the rule set: it must equal the model's.
func TestRoundTrip(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 30
	}
	for seed := int64(1); seed <= int64(n); seed++ {
		r := rand.New(rand.NewSource(seed))
		srcs := synth.Generate(synth.Config{Groups: 1 + r.Intn(15), Flows: r.Intn(60), Seed: seed, GroupsPerFile: 1 + r.Intn(5)})
		p, files := build(t, srcs, emit.Options{SourceLines: seed%2 == 0})
		for _, f := range files {
			if formatted := hclwrite.Format(f.Data); !bytes.Equal(formatted, f.Data) {
				t.Fatalf("seed %d: %s is not in canonical layout:\n%s", seed, f.Path, f.Data)
			}
		}
		got, err := ruleset.FromTerraform(files)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if want := ruleset.FromModel(p); want.String() != got.String() {
			t.Fatalf("seed %d: rule sets differ\n--- model\n%s\n--- emitted\n%s", seed, want, got)
		}
	}
}

// resourceBlocks splits main.tf into its resource blocks, keyed by address.
func resourceBlocks(t *testing.T, files []emit.File) map[string]string {
	t.Helper()
	blocks := map[string]string{}
	for _, f := range files {
		if f.Path != terraform.MainFile {
			continue
		}
		for _, chunk := range strings.Split(string(f.Data), "\n\n") {
			if strings.HasPrefix(chunk, "resource ") {
				header := strings.SplitN(chunk, "\n", 2)[0]
				blocks[header] = strings.TrimSpace(chunk)
			}
		}
	}
	return blocks
}

// TestOneFlowChangesOnlyItsResources removes one flow at a time from random
// policies: exactly that flow's rule resources disappear, and every other
// resource block stays byte for byte the same, so a plan shows only them.
func TestOneFlowChangesOnlyItsResources(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 8, Flows: 30, Seed: seed})
		prog, files := build(t, srcs, emit.Options{})
		before := resourceBlocks(t, files)
		name := "groups-0000.intent"
		lines := strings.Split(strings.TrimSpace(string(srcs[name])), "\n")
		for i, line := range lines {
			if !strings.Contains(line, "->") {
				continue
			}
			fewer := map[string][]byte{}
			for k, v := range srcs {
				fewer[k] = v
			}
			fewer[name] = []byte(strings.Join(append(append([]string{}, lines[:i]...), lines[i+1:]...), "\n") + "\n")
			_, files := build(t, fewer, emit.Options{})
			after := resourceBlocks(t, files)
			gone := 0
			for header, block := range before {
				if other, ok := after[header]; !ok {
					gone++
				} else if other != block {
					t.Fatalf("seed %d, without line %d: %s changed:\n%s\n---\n%s", seed, i+1, header, block, other)
				}
			}
			if len(after)+gone != len(before) {
				t.Fatalf("seed %d: removing a flow added resources", seed)
			}
			// The resources that went are the removed flow's rules.
			want := 0
			for _, r := range prog.Rules {
				if r.Flow.Range.Start.Filename == name && r.Flow.Range.Start.Line == i+1 {
					want++
				}
			}
			if gone != want {
				t.Fatalf("seed %d, without line %d: %d resources went, the flow had %d rules", seed, i+1, gone, want)
			}
		}
	}
}

// TestEmptyPolicy: a policy without groups still gives a valid, canonical
// module.
func TestEmptyPolicy(t *testing.T) {
	_, files := build(t, map[string][]byte{"a.intent": []byte("network office 10.0.0.0/8 \"Office\"\n")}, emit.Options{})
	for _, f := range files {
		if formatted := hclwrite.Format(f.Data); !bytes.Equal(formatted, f.Data) {
			t.Errorf("%s is not in canonical layout:\n%s\n---\n%s", f.Path, f.Data, formatted)
		}
	}
}

// TestMovedOnlyFromWhatWasBuilt: moved blocks from the earlier naming of
// sgc are written only while the previous build into the output
// directory used those addresses (an upgrade), not on every build; a
// group renamed with formerly gets its chain whatever was built before.
func TestMovedOnlyFromWhatWasBuilt(t *testing.T) {
	srcs := map[string][]byte{"p.intent": []byte("group web \"Web\"\nnetwork office 203.0.113.0/24 \"Office\"\noffice -> web tcp/443 because \"staff\"\n")}
	p, _ := build(t, srcs, emit.Options{})
	has := func(files []emit.File) string {
		for _, f := range files {
			if f.Path == terraform.MovedFile {
				return string(f.Data)
			}
		}
		return ""
	}
	_, files := build(t, srcs, emit.Options{})
	if m := has(files); m != "" {
		t.Errorf("a fresh build wrote moved blocks:\n%s", m)
	}
	// The earlier naming called the rule after the network's name.
	old := "aws_vpc_security_group_ingress_rule.web_ingress_from_office_tcp_443"
	files, _ = terraform.Emit(p, emit.Options{Earlier: emit.Earlier{Addresses: map[string]string{old: old}}})
	if m := has(files); !strings.Contains(m, "from = "+old) {
		t.Errorf("a build over the earlier naming lacks its moved block:\n%s", m)
	}
}

// TestMovedFromALargeEarlierModule: the previous build's main.tf is read
// for its addresses however large the module (a policy of 8,000 flows
// passes the 8 MB other earlier files are held to); a module of the
// earlier naming over that size still gets its moved blocks. A module
// whose manifest records the present naming is not read at all.
func TestMovedFromALargeEarlierModule(t *testing.T) {
	srcs := map[string][]byte{"p.intent": []byte("group web \"Web\"\nnetwork office 203.0.113.0/24 \"Office\"\noffice -> web tcp/443 because \"staff\"\n")}
	p, files := build(t, srcs, emit.Options{})
	dir := t.TempDir()
	if _, err := emit.WriteDir(dir, terraform.Target, files); err != nil {
		t.Fatal(err)
	}
	// The module as the earlier naming wrote it, nine megabytes long.
	old := "web_ingress_from_office_tcp_443"
	main := filepath.Join(dir, terraform.MainFile)
	data, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`(?m)^resource "aws_vpc_security_group_ingress_rule" "([A-Za-z0-9_-]+)" \{$`)
	data = rule.ReplaceAll(data, []byte(`resource "aws_vpc_security_group_ingress_rule" "`+old+`" {`))
	data = append(data, bytes.Repeat([]byte("# a long module\n"), 9<<20/16)...)
	if err := os.WriteFile(main, data, 0o644); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, emit.StateDir, terraform.Target.Name+".json")
	var m map[string]any
	if b, err := os.ReadFile(manifest); err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("reading the manifest: %v", err)
	}
	sum := sha256.Sum256(data)
	m["sums"].(map[string]any)[terraform.MainFile] = hex.EncodeToString(sum[:])
	writeManifest := func() {
		b, _ := json.Marshal(m)
		if err := os.WriteFile(manifest, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if m["naming"] != float64(terraform.Target.Naming) {
		t.Errorf("the manifest records naming %v, want %d", m["naming"], terraform.Target.Naming)
	}

	// As the present naming's build says it is: main.tf is not read.
	writeManifest()
	if earlier, err := emit.Previous(dir, terraform.Target); err != nil || len(earlier.Addresses) != 0 {
		t.Errorf("over a module of the present naming: %d addresses read (%v), want none", len(earlier.Addresses), err)
	}

	// As sgc before the naming was recorded wrote it.
	delete(m, "naming")
	writeManifest()
	earlier, err := emit.Previous(dir, terraform.Target)
	if err != nil {
		t.Fatal(err)
	}
	files, _ = terraform.Emit(p, emit.Options{Earlier: earlier})
	for _, f := range files {
		if f.Path == terraform.MovedFile && strings.Contains(string(f.Data), "from = aws_vpc_security_group_ingress_rule."+old) {
			return
		}
	}
	t.Errorf("a build over a %d-byte module of the earlier naming lacks its moved block (%d addresses read)", len(data), len(earlier.Addresses))
}
