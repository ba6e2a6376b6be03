package lsp

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// BenchmarkHover50k answers hovers on a flow of a 50,000-flow workspace
// (5,000 groups over 50 files) after its first load: the build is made
// once, each hover reads it (go test ./lsp -bench Hover).
func BenchmarkHover50k(b *testing.B) {
	dir := b.TempDir()
	srcs := synth.Generate(synth.Config{Groups: 5000, Flows: 50000, Seed: 1, GroupsPerFile: 100})
	var names []string
	for name, data := range srcs {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
		names = append(names, name)
	}
	sort.Strings(names)
	s := &Server{opts: Options{Now: testkit.Now}, docs: map[string]*document{}, snapshots: map[string]*snapshot{}, timers: map[string]*time.Timer{}, published: map[string]bool{}}
	path := filepath.Join(dir, names[len(names)/2])
	snap := s.build(dir)
	text := snap.texts[path]
	b.Logf("%d files, %d flows, %d rules", len(snap.texts), len(snap.policy.Program.Flows), len(snap.policy.Program.Rules))
	// The first flow of the file: hover on its purpose.
	line := 0
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, " -> ") && strings.Contains(l, "because") {
			line = i
			break
		}
	}
	p := pos(uriOf(path), line, strings.Index(strings.Split(text, "\n")[line], "because")+2)
	if h, err := s.hover(p); err != nil || h == nil || !strings.Contains(h.Contents.Value, "AWS rules") {
		b.Fatalf("hover: %v %+v", err, h)
	}
	b.ResetTimer()
	for b.Loop() {
		s.hover(p)
	}
}
