package compiler_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/load"
)

// positions strips the source positions that the model dump shows, which
// legitimately move when statements move.
var positions = regexp.MustCompile(` @\d+:\d+`)

// shuffled deals the statement lines of srcs, in a random order, into a
// random number of files with random names.
func shuffled(r *rand.Rand, srcs map[string][]byte) map[string][]byte {
	var lines []string
	names := make([]string, 0, len(srcs))
	for n := range srcs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		waivers := "" // waiver lines travel with the flow after them
		for _, l := range strings.Split(string(srcs[n]), "\n") {
			t := strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(t, "# sgc:"):
				waivers += l + "\n"
			case t != "" && !strings.HasPrefix(t, "#"):
				lines = append(lines, waivers+l)
				waivers = ""
			}
		}
	}
	r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	files := make([]strings.Builder, 1+r.Intn(4))
	for _, l := range lines {
		f := &files[r.Intn(len(files))]
		f.WriteString(l + "\n")
	}
	out := map[string][]byte{}
	for i := range files {
		out[fmt.Sprintf("f%d-%d.intent", r.Intn(1000), i)] = []byte(files[i].String())
	}
	return out
}

func summary(srcs map[string][]byte) (model string, diags string) {
	p := load.FromSources(srcs, compiler.Options{Now: testNow})
	var m strings.Builder
	p.Program.Dump(&m)
	var ds []string
	for _, d := range p.Diags {
		ds = append(ds, fmt.Sprintf("%s %s %s", d.Severity, d.Code, d.Summary))
	}
	sort.Strings(ds)
	return positions.ReplaceAllString(m.String(), ""), strings.Join(ds, "\n")
}

// TestOrderIndependence reorders the statements of the examples and of
// several error cases, and deals them into other files: neither the model
// nor the set of diagnostics may change.
func TestOrderIndependence(t *testing.T) {
	cases := map[string]map[string][]byte{}
	examples, _ := filepath.Glob("../examples/*")
	for _, dir := range examples {
		files, _ := filepath.Glob(filepath.Join(dir, "*.intent"))
		if len(files) == 0 {
			continue
		}
		srcs := map[string][]byte{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			srcs[filepath.Base(f)] = b
		}
		cases[dir] = srcs
	}
	for _, name := range []string{"peers", "ports", "unknown_name", "duplicate_rule", "port_range", "expiry", "host_bits"} {
		a, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		cases[name] = inputs(a)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d cases", len(cases))
	}
	r := rand.New(rand.NewSource(1))
	for name, srcs := range cases {
		wantModel, wantDiags := summary(srcs)
		for i := 0; i < 20; i++ {
			gotModel, gotDiags := summary(shuffled(r, srcs))
			if gotModel != wantModel {
				t.Fatalf("%s: model changed under reordering:\n--- want\n%s\n--- got\n%s", name, wantModel, gotModel)
			}
			if gotDiags != wantDiags {
				t.Fatalf("%s: diagnostics changed under reordering:\n--- want\n%s\n--- got\n%s", name, wantDiags, gotDiags)
			}
		}
	}
}
