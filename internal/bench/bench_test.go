package bench

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/parser"
	"github.com/sgc-dev/sgc/policy"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

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

func compiled(b *testing.B, flows int) *model.Program {
	p := policy.FromSources(policyOf(flows), compiler.Options{Now: now})
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
