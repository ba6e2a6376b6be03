package policy_test

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/lang/format"
	"github.com/sgc-dev/sgc/policy"
)

var fuzzNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

var positions = regexp.MustCompile(` @\d+:\d+`)

// meaning is what formatting must preserve: the model without positions,
// and the diagnostics without positions.
func meaning(src []byte) string {
	p := policy.FromSources(map[string][]byte{"f.intent": src}, compiler.Options{Now: fuzzNow})
	var b strings.Builder
	p.Program.Dump(&b)
	var ds []string
	for _, d := range p.Diags {
		ds = append(ds, fmt.Sprintf("%s %s %s", d.Severity, d.Code, d.Summary))
	}
	sort.Strings(ds)
	return positions.ReplaceAllString(b.String(), "") + strings.Join(ds, "\n")
}

// FuzzPipeline feeds arbitrary bytes through parse, compile and fmt. It
// must never panic; when the input parses, formatting must be idempotent
// and must not change what the policy means. The seed corpus in
// testdata/fuzz/FuzzPipeline holds the examples and the golden inputs.
func FuzzPipeline(f *testing.F) {
	f.Add([]byte("group web \"Web\"\nweb -> internet tcp/443 because \"x\"\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		before := meaning(src)
		out, diags := format.Source("f.intent", src)
		if diags.HasErrors() {
			return
		}
		again, diags := format.Source("f.intent", out)
		if diags.HasErrors() {
			t.Fatalf("formatted output does not parse: %v\n%s", diags, out)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("format is not idempotent:\n--- once\n%s\n--- twice\n%s", out, again)
		}
		if after := meaning(out); after != before {
			t.Fatalf("formatting changed the meaning:\n--- before\n%s\n--- after\n%s\n--- formatted\n%s", before, after, out)
		}
	})
}
