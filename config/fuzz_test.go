package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sgc-dev/sgc/config"
)

// FuzzConfig feeds arbitrary settings files to Parse. It must never panic
// or overflow its stack, and every problem must be an error at a position
// in the file (or at its start), never a silently ignored setting.
func FuzzConfig(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.txtar")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("lint {\n  severity = { SG101 = \"error\", rule-named-group = \"off\" }\n  expiring_within = \"2w\"\n  admin_ports = [22]\n}\n"))
	f.Add([]byte("lint {\n  severity {\n    SG108 = \"error\"\n  }\n}\n"))
	f.Add([]byte("lint { vague_words = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"x\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] }\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, diags := config.Parse("sgc.hcl", src)
		for _, d := range diags {
			if d.Subject.Start.Line < 0 || d.Subject.Start.Offset > len(src) {
				t.Fatalf("diagnostic outside the file: %v", d)
			}
		}
		if cfg.Lint.Severity == nil {
			t.Fatal("settings lost their severity map")
		}
	})
}
