package diag_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

func TestSuggest(t *testing.T) {
	candidates := []string{"game-servers-production", "lb-game-production", "db", "web", "s3", "monitoring"}
	tests := []struct{ name, want string }{
		{"game-server-production", "game-servers-production"},
		{"lb-gam-production", "lb-game-production"},
		{"dbb", "db"},
		{"wbe", "web"},
		{"monitorng", "monitoring"},
		{"b", ""}, // one letter: any suggestion would rewrite it whole
		{"completely-different", ""},
	}
	if got := diag.Suggest("web", []string{"web"}); got != "" {
		t.Errorf("Suggest offered the name itself: %q", got)
	}
	for _, tt := range tests {
		if got := diag.Suggest(tt.name, candidates); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSortRemovesRepeatsAndOrders(t *testing.T) {
	at := func(file string, line, col int) source.Range {
		p := source.Pos{Filename: file, Line: line, Column: col, Offset: line*100 + col}
		return source.Range{Start: p, End: p.Advance(1)}
	}
	var l diag.List
	l.Errorf(at("b.intent", 1, 1), "X", "second file")
	l.Warnf(at("a.intent", 2, 1), "Y", "later line")
	l.Errorf(at("a.intent", 1, 5), "Z", "first")
	l.Errorf(at("a.intent", 1, 5), "Z", "first")
	l.Sort()
	var got []string
	for _, d := range l {
		got = append(got, d.Summary)
	}
	if want := "first|later line|second file"; strings.Join(got, "|") != want {
		t.Errorf("sorted = %q, want %q", strings.Join(got, "|"), want)
	}
	if !l.HasErrors() || l.Count(diag.Warning) != 1 || l.Summary() != "2 errors, 1 warning" {
		t.Errorf("counts wrong: %s", l.Summary())
	}
}

func TestFprintExcerpt(t *testing.T) {
	src := "group web \"Web\"\n\tgame -> wbe tcp/1 because \"x\"\n"
	files := source.Files{"in.intent": {Name: "in.intent", Src: []byte(src)}}
	start := source.Pos{Filename: "in.intent", Line: 2, Column: 10, Offset: 25}
	var l diag.List
	l.Errorf(source.Range{Start: start, End: start.Advance(3)}, "UnknownName", "unknown name %q", "wbe").
		WithSuggestion("Did you mean %q?", "web")
	var b strings.Builder
	diag.Fprint(&b, files, l)
	want := "in.intent:2:10: error: unknown name \"wbe\" [UnknownName]\n" +
		"    2 | \tgame -> wbe tcp/1 because \"x\"\n" +
		"      | \t        ^^^\n" +
		"  Did you mean \"web\"?\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestFprintHidesTerminalControls: a source line or name with escape
// sequences is printed with them made visible, never acted on.
func TestFprintHidesTerminalControls(t *testing.T) {
	src := "group a\x1b]0;pwned\x07 \"x\"\nx\u202e -> y\n"
	f := &source.File{Name: "a\x1b[2J.intent", Src: []byte(src)}
	start := source.Pos{Filename: f.Name, Offset: 6, Line: 1, Column: 7}
	end := source.Pos{Filename: f.Name, Offset: 8, Line: 1, Column: 9}
	l := diag.List{{Severity: diag.Error, Code: "X", Summary: "bad \x1b[31mred", Subject: source.Range{Start: start, End: end}}}
	var b strings.Builder
	if err := diag.Fprint(&b, source.Files{f.Name: f}, l); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, r := range out {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r == 0x202e) {
			t.Fatalf("output carries %U raw:\n%q", r, out)
		}
	}
	if !strings.Contains(out, "    1 | group a\uFFFD]0;pwned\uFFFD \"x\"\n      |       ^^\n") {
		t.Errorf("excerpt not as expected:\n%s", out)
	}
}

// TestSuggesterBounded: thousands of unknown names against thousands of
// declared ones stop suggesting once the budget is spent, and a bounded
// Suggester agrees with the unbounded one while it lasts.
func TestSuggesterBounded(t *testing.T) {
	var names []string
	for i := 0; i < 3000; i++ {
		names = append(names, fmt.Sprintf("group-%05d-production", i))
	}
	budget := 1_000_000
	s := diag.NewSuggester(names, &budget)
	got := 0
	for i := 0; i < 3000; i++ {
		if s.Suggest(fmt.Sprintf("grop-%05d-production", i)) != "" {
			got++
		}
	}
	if got == 0 || got == 3000 {
		t.Errorf("%d suggestions: want some, then none once the budget is spent", got)
	}
	unbounded := diag.NewSuggester(names, nil)
	big := 1 << 40
	bounded := diag.NewSuggester(names, &big)
	for _, q := range []string{"group-00012-prodution", "gruop-02999-production", "x", "group-00001-production"} {
		if a, b := unbounded.Suggest(q), bounded.Suggest(q); a != b {
			t.Errorf("Suggest(%q) = %q bounded, %q unbounded", q, b, a)
		}
	}
}
