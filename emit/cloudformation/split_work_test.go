package cloudformation

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// TestSplitBuildsEachStackOnce counts the work of a split build: every
// rule stack is built once, to be written. Deciding whether a stack fits
// by building and rendering it for each trial count of stacks cost half
// of a big build; a return of that loop fails here, not on a stopwatch.
func TestSplitBuildsEachStackOnce(t *testing.T) {
	prog := testkit.Compile(t, synth.Generate(synth.Config{Groups: 120, Flows: 3000, Seed: 11, GroupsPerFile: 40}))
	before := ruleStacksBuilt.Load()
	files, diags := Emit(prog, emit.Options{Split: true})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	stacks := 0
	for _, f := range files {
		if strings.HasPrefix(f.Path, "rules-") {
			stacks++
		}
	}
	if built := ruleStacksBuilt.Load() - before; stacks < 4 || built != int64(stacks) {
		t.Errorf("%d rule stacks written, %d built (want each built once, of at least 4)", stacks, built)
	}
}

// TestRuleSizeBound holds the size bound that decides whether a rule
// stack fits to each rule's real rendering, over random policies with
// every kind of peer, long purposes, "${" in them and source lines.
func TestRuleSizeBound(t *testing.T) {
	checked := 0
	for seed := int64(1); seed <= 30; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 8, Flows: 60, Seed: seed, GroupsPerFile: 3})
		for name, src := range srcs {
			srcs[name] = []byte(strings.ReplaceAll(string(src), `because "`, `because "cost centre ${ops} and a long purpose of many words: `+strings.Repeat("word ", 20)))
		}
		p := load.FromSources(srcs, compiler.Options{Now: testkit.Now})
		if p.Diags.HasErrors() {
			continue // a purpose made too long for AWS: not this test's
		}
		opts := emit.Options{Split: true, SourceLines: seed%2 == 0}
		n := namesFor(p.Program, opts)
		stackOf := groupStacks{}
		for _, g := range p.Program.Groups {
			stackOf[g] = groupStack{index: 1, id: importVal{sub{"${GroupsStack1}-" + n.export[g]}}}
		}
		for i, r := range p.Program.Rules {
			var b bytes.Buffer
			toJSON(&b, ruleResource(r, stackOf[r.Group].id, peerValue(r, func(g *model.Group) any { return stackOf[g].id }, func(e *model.External) any { return ref{n.input[e]} }, func(l *model.PrefixList) any { return ref{n.list[l]} }), opts.SourceLines), "    ")
			real := len("    ") + len(jsonQuote(n.rule[i])) + len(": ") + b.Len() + len(",\n")
			if bound := ruleSizeBound(r, n.rule[i], n, opts); bound < real {
				t.Fatalf("seed %d: rule %s renders in %d bytes, over its bound %d", seed, r.Key(), real, bound)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d rules checked", checked)
	}
}

// TestRuleHashIsHashOfIdentityKey holds the bucket key a split build
// takes of every rule, written without making the identity's string, to
// the hash of the identity (which decides the stack a rule lives in and
// so must never change), over random policies with every kind of peer
// and a policy whose groups were renamed with formerly.
func TestRuleHashIsHashOfIdentityKey(t *testing.T) {
	var progs []*model.Program
	for seed := int64(1); seed <= 10; seed++ {
		progs = append(progs, testkit.Compile(t, synth.Generate(synth.Config{Groups: 12, Flows: 120, Seed: seed, GroupsPerFile: 4})))
	}
	renamed := load.FromSources(map[string][]byte{"p.intent": []byte(`group redis "Payment session cache" formerly cache, older-cache
group app "Application servers" formerly web
app -> redis tcp/6379 because "the app keeps sessions in the cache"
redis -> app udp/1000-2000 because "the cache calls back"
`)}, compiler.Options{Now: testkit.Now})
	if renamed.Diags.HasErrors() {
		t.Fatal(renamed.Diags)
	}
	progs = append(progs, renamed.Program)
	kinds := map[model.PeerKind]int{}
	for _, p := range progs {
		for _, r := range p.Rules {
			if got, want := ruleHash(r), hashKey(r.IdentityKey()); got != want {
				t.Fatalf("rule %s: ruleHash %x, hash of its identity %x", r.IdentityKey(), got, want)
			}
			kinds[r.Peer.Kind]++
		}
	}
	if len(kinds) < 3 || !strings.Contains(renamed.Program.Rules[0].IdentityKey(), "cache") {
		t.Fatalf("the policies cover too little: peers %v, renamed rule %s", kinds, renamed.Program.Rules[0].IdentityKey())
	}
}
