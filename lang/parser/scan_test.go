package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
	"golang.org/x/tools/txtar"
)

// regexpTokens lexes src with the rules of lexDef, the specification that
// scan implements by hand. Columns are converted to bytes, as scan counts.
func regexpTokens(t testing.TB, src []byte) []lexer.Token {
	l, err := lexDef.LexString("f", string(src))
	if err != nil {
		t.Fatal(err)
	}
	toks, err := lexer.ConsumeAll(l)
	if err != nil {
		t.Fatal(err)
	}
	for i := range toks {
		toks[i].Pos.Column = toks[i].Pos.Offset - lineStart(src, toks[i].Pos.Offset) + 1
	}
	return toks
}

func lineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}

func sameTokens(t testing.TB, name string, src []byte) {
	want := regexpTokens(t, src)
	got := lexerTokens("f", scan(string(src)))
	if len(got) != len(want) {
		t.Fatalf("%s: %d tokens, the rules give %d\n%q", name, len(got), len(want), src)
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.Type != g.Type || w.Value != g.Value || w.Pos != g.Pos {
			t.Fatalf("%s: token %d is %v %q at %v, the rules give %v %q at %v", name, i, g.Type, g.Value, g.Pos, w.Type, w.Value, w.Pos)
		}
	}
	// The splitter's scanner skips whitespace and yields the rest as they are.
	var sig []token
	for _, tok := range scan(string(src)) {
		if tok.Type != tokWhitespace {
			sig = append(sig, tok)
		}
	}
	s := newScanner(string(src), true)
	for i, w := range sig {
		if g := s.next(); g != w {
			t.Fatalf("%s: skipping whitespace, token %d is %+v, not %+v", name, i, g, w)
		}
	}
}

// repoInputs collects every intent input in the repository: the examples,
// the inputs of all txtar cases, the fuzz corpus, and a set of edge cases.
func repoInputs(t testing.TB) map[string][]byte {
	inputs := map[string][]byte{
		"edges": []byte("a->b a- ->b -- x--y \"\\\"q\" \"open\n\"tab\\\n\"end\\" + "\x00 é \xff\r\n#c\n--> ,, :: a/b-"),
	}
	archives, _ := filepath.Glob("../../*/testdata/*.txtar")
	more, _ := filepath.Glob("../../*/*/testdata/*.txtar")
	for _, path := range append(archives, more...) {
		a, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".intent") {
				inputs[path+"/"+f.Name] = f.Data
			}
		}
	}
	examples, _ := filepath.Glob("../../examples/*/*.intent")
	corpus, _ := filepath.Glob("../../policy/testdata/fuzz/FuzzPipeline/*")
	for _, c := range append(examples, corpus...) {
		data, _ := os.ReadFile(c)
		inputs[c] = data // the corpus file format itself is fine input too
	}
	if len(inputs) < 50 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	return inputs
}

// TestScanMatchesRules lexes every intent input in the repository and a
// set of edge cases both ways.
func TestScanMatchesRules(t *testing.T) {
	for name, src := range repoInputs(t) {
		sameTokens(t, name, src)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte("a -> b tcp/1 because \"x\" # c\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return // the regexp rules see invalid bytes as U+FFFD; scan keeps them: both are errors
		}
		sameTokens(t, "fuzz", src)
	})
}
