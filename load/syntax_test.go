package load_test

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/load"
)

// TestDropSyntaxFreesTheTrees holds the point of DropSyntax: once it is
// called, nothing the policy keeps (its program above all) reaches a
// syntax tree, so a collection frees every statement. A model that kept
// a pointer into the trees would fail here.
func TestDropSyntaxFreesTheTrees(t *testing.T) {
	p := load.FromSources(synth.Generate(synth.Config{Groups: 20, Flows: 300, Seed: 1, GroupsPerFile: 5}), compiler.Options{Now: testkit.Now})
	if p.Diags.HasErrors() {
		t.Fatal(p.Diags)
	}
	p.RunLint()
	var watched int64
	var freed atomic.Int64
	watch := func(ptr any) {
		watched++
		count := func(struct{}) { freed.Add(1) }
		switch n := ptr.(type) {
		case *ast.File:
			runtime.AddCleanup(n, count, struct{}{})
		case *ast.Flow:
			runtime.AddCleanup(n, count, struct{}{})
		case *ast.GroupDecl:
			runtime.AddCleanup(n, count, struct{}{})
		case *ast.NetworkDecl:
			runtime.AddCleanup(n, count, struct{}{})
		default:
			watched--
		}
	}
	for _, f := range p.Files {
		watch(f)
		for _, s := range f.Stmts {
			watch(s)
		}
	}
	want := watched
	if want < 200 {
		t.Fatalf("only %d nodes watched", want)
	}
	p.DropSyntax()
	deadline := time.Now().Add(5 * time.Second)
	for freed.Load() < want && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if got := freed.Load(); got != want {
		t.Errorf("%d of %d files and statements freed after DropSyntax", got, want)
	}
	if len(p.Program.Flows) < 200 || len(p.Program.Rules) == 0 {
		t.Fatalf("the program lost its flows: %d flows, %d rules", len(p.Program.Flows), len(p.Program.Rules))
	}
	runtime.KeepAlive(p)
}
