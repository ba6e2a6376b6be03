package terraform_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/policy"
)

var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// build compiles srcs, which must be free of errors, and emits the module.
func build(t testing.TB, srcs map[string][]byte, opts emit.Options) (*model.Program, []emit.File) {
	t.Helper()
	p := policy.FromSources(srcs, compiler.Options{Now: testNow})
	if p.Diags.HasErrors() {
		var b bytes.Buffer
		diag.Fprint(&b, p.Sources, p.Diags)
		t.Fatalf("policy has errors:\n%s", b.String())
	}
	files, diags := terraform.Emit(p.Program, opts)
	if len(diags) > 0 {
		t.Fatalf("emit: %v", diags)
	}
	return p.Program, files
}

func intents(a *txtar.Archive) map[string][]byte {
	srcs := map[string][]byte{}
	for _, f := range a.Files {
		if strings.HasSuffix(f.Name, ".intent") {
			srcs[f.Name] = f.Data
		}
	}
	return srcs
}

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

// ruleTuple is a rule as AWS sees it, with peers written by name.
type ruleTuple struct {
	group, direction, protocol string
	from, to                   int
	peer, description          string
}

func (r ruleTuple) String() string {
	return fmt.Sprintf("%s %s %s %d-%d %s %q", r.group, r.direction, r.protocol, r.from, r.to, r.peer, r.description)
}

func modelTuples(p *model.Program) []string {
	var out []string
	for _, r := range p.Rules {
		var peer string
		switch r.Peer.Kind {
		case model.PeerCIDR:
			peer = r.Peer.CIDR.String()
		case model.PeerPrefixList:
			peer = r.Peer.PrefixList.ID
		case model.PeerGroup:
			peer = "group:" + r.Peer.Group.Name
		case model.PeerExternal:
			peer = r.Peer.External.ID
			if peer == "" {
				peer = "input:" + r.Peer.External.Name
			}
		}
		from, to := r.Port.From, r.Port.To
		if !r.Port.HasPorts() {
			from, to = 0, 0 // not emitted
		}
		out = append(out, ruleTuple{r.Group.Name, r.Direction.String(), string(r.Port.Protocol), from, to, peer, r.Flow.Purpose}.String())
	}
	sort.Strings(out)
	return out
}

var externalName = regexp.MustCompile(`security group "([^"]+)"`)

// parsedTuples reads the emitted module back with hclparse and rebuilds the
// rules from the resources alone.
func parsedTuples(t *testing.T, files []emit.File) []string {
	t.Helper()
	parser := hclparse.NewParser()
	groups := map[string]string{} // resource name -> group name
	inputs := map[string]string{} // variable name -> external name
	var rules []*hclsyntax.Block
	for _, f := range files {
		file, diags := parser.ParseHCL(f.Data, f.Path)
		if diags.HasErrors() {
			t.Fatalf("%s does not parse: %v", f.Path, diags)
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			switch {
			case b.Type == "resource" && b.Labels[0] == "aws_security_group":
				groups[b.Labels[1]] = literal(t, b, "name").AsString()
			case b.Type == "resource":
				rules = append(rules, b)
			case b.Type == "variable" && b.Labels[0] != "vpc_id" && b.Labels[0] != "tags":
				m := externalName.FindStringSubmatch(literal(t, b, "description").AsString())
				inputs[b.Labels[0]] = m[1]
			}
		}
	}
	var out []string
	for _, b := range rules {
		tu := ruleTuple{direction: strings.TrimSuffix(strings.TrimPrefix(b.Labels[0], "aws_vpc_security_group_"), "_rule")}
		tu.group = groups[reference(t, b, "security_group_id")[1]]
		tu.protocol = literal(t, b, "ip_protocol").AsString()
		tu.description = literal(t, b, "description").AsString()
		if _, ok := b.Body.Attributes["from_port"]; ok {
			f, _ := literal(t, b, "from_port").AsBigFloat().Int64()
			to, _ := literal(t, b, "to_port").AsBigFloat().Int64()
			tu.from, tu.to = int(f), int(to)
		}
		n := 0
		for _, a := range []string{"cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"} {
			attr, ok := b.Body.Attributes[a]
			if !ok {
				continue
			}
			n++
			if v, diags := attr.Expr.Value(nil); !diags.HasErrors() {
				tu.peer = v.AsString()
				continue
			}
			ref := reference(t, b, a)
			if ref[0] == "var" {
				tu.peer = "input:" + inputs[ref[1]]
			} else {
				tu.peer = "group:" + groups[ref[1]]
			}
		}
		if n != 1 {
			t.Fatalf("%s.%s has %d peers", b.Labels[0], b.Labels[1], n)
		}
		out = append(out, tu.String())
	}
	sort.Strings(out)
	return out
}

func literal(t *testing.T, b *hclsyntax.Block, name string) cty.Value {
	t.Helper()
	attr, ok := b.Body.Attributes[name]
	if !ok {
		t.Fatalf("%v has no %s", b.Labels, name)
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%v.%s is not a literal: %v", b.Labels, name, diags)
	}
	return v
}

func reference(t *testing.T, b *hclsyntax.Block, name string) []string {
	t.Helper()
	trav, diags := hcl.AbsTraversalForExpr(b.Body.Attributes[name].Expr)
	if diags.HasErrors() {
		t.Fatalf("%v.%s is not a reference: %v", b.Labels, name, diags)
	}
	var parts []string
	for _, s := range trav {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return parts
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
		p, files := build(t, srcs, emit.Options{})
		want, got := modelTuples(p), parsedTuples(t, files)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Fatalf("seed %d: rule sets differ\n--- model\n%s\n--- emitted\n%s", seed, strings.Join(want, "\n"), strings.Join(got, "\n"))
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
