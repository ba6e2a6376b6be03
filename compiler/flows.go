package compiler

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
)

// flowsChunk is how many flows one worker resolves at a time: enough to
// outweigh handing out the work, few enough to share it out evenly.
const flowsChunk = 1024

// flowResult is a flow resolved ahead, with what it reported.
type flowResult struct {
	flow  *model.Flow // nil when it could not be resolved
	diags diag.List
	redo  bool // it names something unknown: resolve it again, in order
}

// flowsAndNevers resolves the flows and the nevers of the files, in
// order. Resolving a flow reads the symbols and writes only the flow and
// its diagnostics, so flows are resolved side by side first, each worker
// a copy of c with diagnostics of its own; then, in statement order, each
// flow's result and diagnostics are taken and each never is resolved.
// The program and the diagnostics are those of resolving every statement
// in order (TestParallelFlowsAreSequential holds them to it), and what
// was the biggest sequential step of compiling a large policy is spread
// over the cores (BenchmarkCompile/flows=50000: 222 -> 196 ms).
func (c *compiler) flowsAndNevers(files []*ast.File) {
	var flows []*ast.Flow
	for _, f := range files {
		for _, s := range f.Stmts {
			if fl, ok := s.(*ast.Flow); ok {
				flows = append(flows, fl)
			}
		}
	}
	results := make([]flowResult, len(flows))
	if !sequentialFlows {
		parallel.Each((len(flows)+flowsChunk-1)/flowsChunk, func(k int) {
			w := *c
			w.speculative, w.diags, w.prog = true, nil, &model.Program{Now: c.prog.Now}
			for i := k * flowsChunk; i < min(len(flows), (k+1)*flowsChunk); i++ {
				w.missed = false
				start, n := len(w.diags), len(w.prog.Flows)
				w.flow(flows[i])
				r := flowResult{diags: w.diags[start:len(w.diags):len(w.diags)], redo: w.missed}
				if len(w.prog.Flows) > n {
					r.flow = w.prog.Flows[n]
				}
				results[i] = r
			}
		})
	}
	i := 0
	for _, f := range files {
		for _, s := range f.Stmts {
			switch s := s.(type) {
			case *ast.Flow:
				r := results[i]
				i++
				if sequentialFlows || r.redo {
					c.flow(s)
					continue
				}
				c.diags = append(c.diags, r.diags...)
				if r.flow != nil {
					c.prog.Flows = append(c.prog.Flows, r.flow)
				}
			case *ast.Never:
				c.never(s)
			}
		}
	}
}

// sequentialFlows makes flowsAndNevers resolve every flow in order, for
// the test that holds the two ways to the same result.
var sequentialFlows = false
