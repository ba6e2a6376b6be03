package review_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
	"github.com/sgc-dev/sgc/review"
)

var testNow = testkit.Now

func compile(t *testing.T, srcs map[string][]byte) *model.Program {
	t.Helper()
	return testkit.Compile(t, srcs)
}

// TestGolden draws each archive's policy in both formats (whole, and for
// each group named in a "groups" section), and answers the questions of
// its "queries" section: "why SRC DST PORT", "who-can-reach G", "reaches G".
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		srcs := map[string][]byte{}
		var queries []string
		for _, f := range a.Files {
			switch {
			case strings.HasSuffix(f.Name, ".intent"):
				srcs[f.Name] = f.Data
			case f.Name == "queries":
				queries = strings.Split(strings.TrimSpace(string(f.Data)), "\n")
			}
		}
		p := compile(t, srcs)
		out := map[string]string{}
		mmd, err := review.Mermaid(p, review.GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		dot, err := review.DOT(p, review.GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out["graph.mmd"], out["graph.dot"] = mmd, dot
		var answers strings.Builder
		for _, q := range queries {
			fmt.Fprintf(&answers, "> %s\n", q)
			f := strings.Fields(q)
			switch f[0] {
			case "why":
				src, err := review.ParseParty(p, f[1])
				if err != nil {
					fmt.Fprintf(&answers, "error: %v\n", err)
					continue
				}
				dst, err := review.ParseParty(p, f[2])
				if err != nil {
					fmt.Fprintf(&answers, "error: %v\n", err)
					continue
				}
				ports, diags := load.ParsePorts(strings.Join(f[3:], " "))
				if diags.HasErrors() {
					t.Fatalf("%s: %v", q, diags)
				}
				ans := review.Why(p, src, dst, ports)
				fmt.Fprintf(&answers, "allowed=%v\n", ans.Allowed)
				for _, fl := range ans.Because {
					fmt.Fprintf(&answers, "  because %s\n", review.Describe(fl))
				}
				for _, fl := range ans.Nearest {
					fmt.Fprintf(&answers, "  nearest %s\n", review.Describe(fl))
				}
				for _, n := range ans.Forbidden {
					fmt.Fprintf(&answers, "  forbidden by never %s -> %s (line %d)\n", n.From, n.To, n.Range.Start.Line)
				}
			case "who-can-reach", "reaches":
				flows := review.Inbound(p, f[1])
				if f[0] == "reaches" {
					flows = review.Outbound(p, f[1])
				}
				for _, fl := range flows {
					fmt.Fprintf(&answers, "  %s\n", review.Describe(fl))
				}
			case "graph":
				g, err := review.Mermaid(p, review.GraphOptions{Group: f[1]})
				if err != nil {
					fmt.Fprintf(&answers, "error: %v\n", err)
					continue
				}
				answers.WriteString(g)
			}
		}
		out["answers"] = answers.String()
		return out
	})
}

// TestGraphvizRendersExamples runs Graphviz on the DOT of every example;
// CI installs Graphviz and sets SGC_REQUIRE_GRAPHVIZ so this cannot skip there.
func TestGraphvizRendersExamples(t *testing.T) {
	dot := testkit.Need(t, "dot", "SGC_REQUIRE_GRAPHVIZ")
	entries, _ := os.ReadDir("../examples")
	n := 0
	for _, e := range entries {
		dir := filepath.Join("../examples", e.Name())
		files, _ := filepath.Glob(filepath.Join(dir, "*.intent"))
		if len(files) == 0 {
			continue
		}
		srcs := map[string][]byte{}
		for _, f := range files {
			srcs[f], _ = os.ReadFile(f)
		}
		g, err := review.DOT(compile(t, srcs), review.GraphOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(g)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		svg, err := cmd.Output()
		if err != nil || stderr.Len() > 0 || !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("%s: Graphviz failed: %v\n%s", dir, err, stderr.String())
		}
		n++
	}
	if n < 3 {
		t.Fatalf("rendered %d examples", n)
	}
}

// TestDiff compares the old/*.intent and new/*.intent files of each
// archive in testdata/diff, in text and Markdown, with the plan predicted
// for every target.
func TestDiff(t *testing.T) {
	golden.Run(t, "testdata/diff", func(t *testing.T, a *txtar.Archive) map[string]string {
		old, new := map[string][]byte{}, map[string][]byte{}
		for _, f := range a.Files {
			switch {
			case strings.HasPrefix(f.Name, "old/"):
				old[strings.TrimPrefix(f.Name, "old/")] = f.Data
			case strings.HasPrefix(f.Name, "new/"):
				new[strings.TrimPrefix(f.Name, "new/")] = f.Data
			}
		}
		before, after := compile(t, old), compile(t, new)
		d := review.Compare(before, after)
		var plans []review.Plan
		for _, tg := range targets.All {
			plans = append(plans, emit.PredictPlan(tg, before, after, emit.Options{}))
		}
		d.Predict(plans)
		var text, md strings.Builder
		d.WriteText(&text, false)
		d.WriteMarkdown(&md)
		return map[string]string{"text": text.String(), "markdown": md.String()}
	})
}

// TestDoc writes the audit report of each archive in testdata/doc, in
// Markdown and HTML, with the lint findings and waivers of the policy.
func TestDoc(t *testing.T) {
	golden.Run(t, "testdata/doc", func(t *testing.T, a *txtar.Archive) map[string]string {
		prog := compile(t, golden.Inputs(a, ".intent"))
		res := lint.Run(prog, lint.Checks, lint.DefaultConfig())
		html, err := review.HTML(prog, res)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"report.md": review.Markdown(prog, res), "report.html": html}
	})
}
