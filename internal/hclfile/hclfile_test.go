package hclfile

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// depthWalker measures how deeply the parsed syntax tree nests, which is
// how deeply the parser recursed to build it.
type depthWalker struct{ depth, max int }

func (w *depthWalker) Enter(hclsyntax.Node) hcl.Diagnostics {
	w.depth++
	if w.depth > w.max {
		w.max = w.depth
	}
	return nil
}

func (w *depthWalker) Exit(hclsyntax.Node) hcl.Diagnostics { w.depth--; return nil }

func treeDepth(t testing.TB, src []byte) int {
	f, _ := hclsyntax.ParseConfig(src, "f.hcl", hcl.InitialPos)
	if f == nil {
		return 0
	}
	w := &depthWalker{}
	hclsyntax.Walk(f.Body.(*hclsyntax.Body), w)
	return w.max
}

func TestLiteral(t *testing.T) {
	const max = 8
	for _, tc := range []struct {
		name string
		src  string
		ok   bool
	}{
		{"flat", "a = 1\nb = \"x\"\nc = true", true},
		{"negative numbers", "from_port = -1\nlist = [-1, -2]\nm = { a = -3 }", true},
		{"blocks", "group \"web\" {\n  id = \"sg-12345678\"\n}", true},
		{"lists at the limit", "a = " + strings.Repeat("[", max) + strings.Repeat("]", max), true},
		{"lists past it", "a = " + strings.Repeat("[", max+1) + strings.Repeat("]", max+1), false},
		{"brackets in a string", `a = "` + strings.Repeat("[", 100) + `"`, true},
		{"brackets in a comment", "# " + strings.Repeat("{", 100) + "\na = 1", true},
		{"brackets in a block comment", "/* " + strings.Repeat("(", 100) + " */\na = 1", true},
		{"escaped interpolation", `a = "$${x}"`, true},
		{"interpolation", `a = "${1}"`, false},
		{"directive", `a = "%{ if true }x%{ endif }"`, false},
		{"closing brackets in a string do not hide opening ones", "a = [[[[ \"]]]]]]]]]]\", [[[[[ ]]]]] ]]]]", false},
		{"heredoc", "a = <<-EOT\n" + strings.Repeat("[", 100) + "\n  EOT\nb = 1\n", true},
		{"heredoc with interpolation", "a = <<EOT\n${1}\nEOT\n", false},
		{"unary chain", "a = " + strings.Repeat("!", 50) + "true", false},
		{"minus chain", "a = --1", false},
		{"binary chain", "a = 1" + strings.Repeat(" -1", 50), false},
		{"sum", "a = 1+1", false},
		{"conditional", "a = true ? 1 : 2", false},
		{"for", "a = [for x in [1]: x]", false},
		{"object for", "a = {for k, v in {}: k => v}", false},
		{"traversal", "a = var.x", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problem, ok := Literal("f.hcl", []byte(tc.src), max)
			if ok != tc.ok {
				t.Errorf("Literal = %v (%s), want %v", ok, problem, tc.ok)
			}
		})
	}
}

// TestParseRefusesStackBombs: the input that killed the tfvars and
// mapping readers (200,000 nested brackets) is an error, not a crash.
func TestParseRefusesStackBombs(t *testing.T) {
	src := "x = " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	f, diags := Parse("x.adopt.hcl", []byte(src), "InvalidAdopt", 1<<20, 32)
	if f != nil || !diags.HasErrors() || !strings.Contains(diags[0].Summary, "nested more than 32") {
		t.Fatalf("Parse = %v, %v", f, diags)
	}
}

// FuzzLiteral holds Literal to what it guards: whatever it lets through,
// the parser builds a tree no deeper than a fixed multiple of the limit.
func FuzzLiteral(f *testing.F) {
	for _, s := range []string{
		`a = [[1]]`, `a = "${[{}]}"`, "a = <<EOT\n${[]}\nEOT\n", `a = "${"${"${1}"}"}"`,
		"a = {b = [(1)]}", `a = "%{ if x }[%{ endif }"`, "# [[[\na = [ /* ]] */ [ ] ]",
		"a = [-1, -2]", "g \"x\" {\n  y = <<EOT\n[[\nEOT\n}", "a = 1 - 1", "a = {x: [1]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const max = 4
		if _, _, ok := Literal("f.hcl", src, max); !ok {
			return
		}
		if d := treeDepth(t, src); d > 3*max+4 {
			t.Fatalf("Literal let through a tree %d deep:\n%q", d, src)
		}
	})
}
