package bench

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/parser"
	"github.com/sgc-dev/sgc/load"
	"github.com/sgc-dev/sgc/review"
)

var now = testkit.Now

// sizes are the flow counts measured, with a group per ten flows.
var sizes = []int{1000, 10000, 50000}

var (
	mu    sync.Mutex
	cache = map[int]map[string][]byte{}
)

func policyOf(flows int) map[string][]byte {
	mu.Lock()
	defer mu.Unlock()
	if p, ok := cache[flows]; ok {
		return p
	}
	p := synth.Generate(synth.Config{Groups: flows / 10, Flows: flows, Seed: 1, GroupsPerFile: 50})
	cache[flows] = p
	return p
}

func parseAll(b *testing.B, srcs map[string][]byte) []*ast.File {
	var files []*ast.File
	for name, src := range srcs {
		f, diags := parser.ParseFile(name, src)
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		files = append(files, f)
	}
	return files
}

func compiled(b *testing.B, flows int) *model.Program { return compile(b, policyOf(flows)) }

// compile compiles srcs, which must compile cleanly.
func compile(b *testing.B, srcs map[string][]byte) *model.Program {
	p := load.FromSources(srcs, compiler.Options{Now: now})
	if p.Diags.HasErrors() {
		b.Fatal(p.Diags)
	}
	return p.Program
}

func each(b *testing.B, fn func(b *testing.B, flows int)) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("flows=%d", n), func(b *testing.B) { fn(b, n) })
	}
}

func BenchmarkParse(b *testing.B) {
	each(b, func(b *testing.B, flows int) {
		srcs := policyOf(flows)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			parseAll(b, srcs)
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	each(b, func(b *testing.B, flows int) {
		files := parseAll(b, policyOf(flows))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, diags := compiler.Compile(files, compiler.Options{Now: now}); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	})
}

func BenchmarkLint(b *testing.B) {
	each(b, func(b *testing.B, flows int) {
		prog := compiled(b, flows)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			lint.Run(prog, lint.Checks, lint.DefaultConfig())
		}
	})
}

func BenchmarkEmitTerraform(b *testing.B) {
	each(b, func(b *testing.B, flows int) {
		prog := compiled(b, flows)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			terraform.Emit(prog, emit.Options{})
		}
	})
}

func BenchmarkEmitCloudFormation(b *testing.B) {
	each(b, func(b *testing.B, flows int) {
		prog := compiled(b, flows)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, diags := cloudformation.Emit(prog, emit.Options{Split: true}); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	})
}

func BenchmarkDoc(b *testing.B) {
	each(b, func(b *testing.B, flows int) {
		prog := compiled(b, flows)
		res := lint.Run(prog, lint.Checks, lint.DefaultConfig())
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			review.Markdown(prog, res)
		}
	})
}

// BenchmarkHostile measures inputs built to be expensive: a chain of
// services each naming the next (quadratic when every service kept its
// whole expansion), and thousands of unknown names among thousands of
// declared ones (did-you-mean for each). Both must grow about linearly.
func BenchmarkHostile(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		chain := map[string][]byte{"chain.intent": serviceChainSource(n)}
		b.Run(fmt.Sprintf("service-chain=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				load.FromSources(chain, compiler.Options{Now: now})
			}
		})
		unknown := map[string][]byte{"unknown.intent": unknownNamesSource(n)}
		b.Run(fmt.Sprintf("unknown-names=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				load.FromSources(unknown, compiler.Options{Now: now})
			}
		})
	}
}

func serviceChainSource(n int) []byte {
	var b strings.Builder
	b.WriteString("group a \"A\"\ngroup b \"B\"\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "service s%d tcp/%d, s%d\n", i, i%65536, i+1)
	}
	fmt.Fprintf(&b, "service s%d tcp/1\na -> b s%d because \"the chain's end\"\n", n, n-5)
	return []byte(b.String())
}

func unknownNamesSource(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "group team-%05d-production \"Group %d\"\n", i, i)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "team-%05d-prodution -> team-%05d-production tcp/443 because \"calls it\"\n", i, (i+1)%n)
	}
	return []byte(b.String())
}

// BenchmarkDiff measures what `sgc diff` does with two compiled versions
// of a policy, the second with one flow's port changed (the common pull
// request): the comparison in role terms and both targets' predicted
// plans.
func BenchmarkDiff(b *testing.B) {
	each(b, func(b *testing.B, flows int) {
		old, cur := compiled(b, flows), changedPort(b, flows)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			d := review.Compare(old, cur)
			if len(d.Widened) == 0 || len(d.Narrowed) == 0 || len(d.Flows) != 1 {
				b.Fatalf("%d flows changed, %d widened, %d narrowed: want one flow that does both", len(d.Flows), len(d.Widened), len(d.Narrowed))
			}
			for _, t := range targets.All {
				emit.PredictPlan(t, old, cur, emit.Options{})
			}
		}
	})
}

// changedPort compiles the policy of policyOf(flows) with one flow's
// port changed (synth.PortChanged).
func changedPort(b *testing.B, flows int) *model.Program {
	src, ok := synth.PortChanged(policyOf(flows))
	if !ok {
		b.Fatal("no single TCP port to change")
	}
	return compile(b, src)
}
