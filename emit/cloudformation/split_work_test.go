package cloudformation

import (
	"strings"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/load"
)

// TestSplitBuildsEachStackOnce counts the work of a split build: every
// rule stack is built once, to be written. Deciding whether a stack fits
// by building and rendering it for each trial count of stacks cost half
// of a big build; a return of that loop fails here, not on a stopwatch.
func TestSplitBuildsEachStackOnce(t *testing.T) {
	p := load.FromSources(synth.Generate(synth.Config{Groups: 120, Flows: 3000, Seed: 11, GroupsPerFile: 40}),
		compiler.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if p.Diags.HasErrors() {
		t.Fatal(p.Diags)
	}
	before := ruleStacksBuilt.Load()
	files, diags := Emit(p.Program, emit.Options{Split: true})
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
