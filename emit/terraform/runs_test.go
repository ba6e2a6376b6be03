package terraform

import (
	"bytes"
	"testing"

	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestMainFileRunsJoinAsOne holds main.tf laid out in runs of groups side
// by side to main.tf laid out in one run, group after group: the same
// bytes, on policies of many runs with associations, prefix lists and
// externals (synth's) and source lines.
func TestMainFileRunsJoinAsOne(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		prog := testkit.Compile(t, synth.Generate(synth.Config{Groups: 300, Flows: 2000, Seed: seed, GroupsPerFile: 50}))
		opts := emit.Options{SourceLines: seed%2 == 0}
		runs := mainFile("# header\n", prog, nameAll(prog), opts).bytes()
		saved := groupsPerRun
		groupsPerRun = 1 << 30
		one := mainFile("# header\n", prog, nameAll(prog), opts).bytes()
		groupsPerRun = saved
		if !bytes.Equal(runs, one) {
			t.Fatalf("seed %d: main.tf in runs of %d groups differs from main.tf in one run (%d and %d bytes)", seed, groupsPerRun, len(runs), len(one))
		}
		if len(prog.Groups) < 3*groupsPerRun {
			t.Fatalf("seed %d: %d groups make too few runs", seed, len(prog.Groups))
		}
	}
}
