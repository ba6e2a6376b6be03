package cloudformation

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// TestYAMLWriterMatchesYAMLv3 holds the block writer to the bytes of
// yaml.v3's encoder, on random policies, single and split, and on strings
// that need quoting.
func TestYAMLWriterMatchesYAMLv3(t *testing.T) {
	srcs := []map[string][]byte{{"q.intent": []byte(`group yes "on"
group no "2026-01-01"
group tricky "a: b # c {x} [y] & *z !w $v"
network v6 ::/0 "off"
network n 10.0.0.0/8 "1e3"
yes -> no all because "true"
v6 -> yes tcp/1 because "-1"
n -> tricky tcp/2 because "#hash first"
tricky -> n tcp/3 because "@at first, then: colon"
`)}}
	for seed := int64(1); seed <= 40; seed++ {
		srcs = append(srcs, synth.Generate(synth.Config{Groups: 1 + int(seed)%12, Flows: int(seed) * 3, Seed: seed, GroupsPerFile: 4}))
	}
	for i, s := range srcs {
		p := load.FromSources(s, compiler.Options{Now: testkit.Now})
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		n := nameAll(p.Program)
		split, _ := splitTemplates(p.Program, n, emit.Options{}, func(*template) []byte { return nil })
		templates := append([]*template{single(p.Program, n, emit.Options{})}, split...)
		var cache scalarCache
		for _, tpl := range templates {
			got, want := renderYAML("h", tpl.root, &cache, 0), renderYAMLReference("h", tpl.root)
			if !bytes.Equal(got, want) {
				t.Fatalf("case %d, %s: the block writer differs from yaml.v3:\n--- yaml.v3\n%s\n--- writer\n%s", i, tpl.name, want, got)
			}
		}
	}
}

func sameJSONQuote(t *testing.T, s string) {
	if got, want := jsonQuote(s), jsonString(s); got != want {
		t.Errorf("jsonQuote(%q) = %s, the encoder writes %s", s, got, want)
	}
}

// TestJSONQuote holds jsonQuote's shortcut to encoding/json.
func TestJSONQuote(t *testing.T) {
	cases := []string{"", "plain", `a"b`, `a\b`, "<&>", "tab\t", "\x7f", "é", "\u2028", "\xff"}
	for c := 0; c < 128; c++ {
		cases = append(cases, "x"+string(rune(c)))
	}
	for _, s := range cases {
		sameJSONQuote(t, s)
	}
}

func FuzzJSONQuote(f *testing.F) {
	f.Add("the ALB forwards game traffic")
	f.Fuzz(sameJSONQuote)
}

// TestSplitBySize: a rule stack too big in bytes (long names and
// descriptions) is spread over more buckets until each fits, and the
// buckets together hold every rule once, each where its key hashes to.
func TestSplitBySize(t *testing.T) {
	p := load.FromSources(synth.Generate(synth.Config{Groups: 300, Flows: 3000, Seed: 2, GroupsPerFile: 50}),
		compiler.Options{Now: testkit.Now})
	if p.Diags.HasErrors() {
		t.Fatal(p.Diags)
	}
	prog := p.Program
	n := nameAll(prog)
	stackOf := groupStacks{}
	for i, g := range prog.Groups {
		stackOf[g] = groupStack{index: 1 + i/groupsPerStack, id: ref{g.Name}}
	}
	all := make([]int, len(prog.Rules))
	for i := range all {
		all[i] = i
	}
	if size := len(renderJSON(ruleStack(prog, n, all, stackOf, 1, emit.Options{}).root)); size <= MaxBytes {
		t.Fatalf("the test needs a chunk over the limit; it is %d bytes", size)
	}
	fits := func(rules []int) bool {
		return len(renderJSON(ruleStack(prog, n, rules, stackOf, 1, emit.Options{}).root)) <= MaxBytes
	}
	key := func(i int) uint64 { return hashKey(prog.Rules[i].Key()) }
	buckets := bucket(all, key, 1, nil, func(_, _ int, rules func() []int) bool { return fits(rules()) })
	if len(buckets) < 2 {
		t.Fatalf("%d buckets", len(buckets))
	}
	count := 0
	for i, b := range buckets {
		if !fits(b) {
			t.Errorf("bucket %d does not fit", i)
		}
		for _, r := range b {
			if jump(key(r), len(buckets)) != i {
				t.Fatalf("rule %s in bucket %d, hashes elsewhere", prog.Rules[r].Key(), i)
			}
		}
		count += len(b)
	}
	if count != len(prog.Rules) {
		t.Errorf("buckets hold %d rules of %d", count, len(prog.Rules))
	}
}

// TestJumpMovesOnlyIntoTheNewBucket: growing the number of buckets moves
// keys only into the new one, about 1 in n of them, so adding a stack never
// reshuffles the others.
func TestJumpMovesOnlyIntoTheNewBucket(t *testing.T) {
	for n := 1; n < 12; n++ {
		moved := 0
		for k := 0; k < 10000; k++ {
			key := hashKey(fmt.Sprint(k))
			a, b := jump(key, n), jump(key, n+1)
			if a != b {
				moved++
				if b != n {
					t.Fatalf("key %d moved from %d to %d, not to the new bucket %d", k, a, b, n)
				}
			}
		}
		if want := 10000 / (n + 1); moved < want/2 || moved > want*2 {
			t.Errorf("%d -> %d buckets moved %d keys; about %d expected", n, n+1, moved, want)
		}
	}
}

// plainAsYAMLv3 checks the promise of isPlainSafe: yaml.v3 writes such a
// string, and an intrinsic function's argument, as it is.
func plainAsYAMLv3(t *testing.T, s string) {
	if !isPlainSafe(s) || yaml11Ambiguous(s) {
		return
	}
	for _, tag := range []string{"!!str", "!Sub"} {
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		if err := enc.Encode(&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}); err != nil {
			t.Fatal(err)
		}
		enc.Close()
		want := s
		if tag != "!!str" {
			want = tag + " " + s
		}
		if got := strings.TrimSuffix(b.String(), "\n"); got != want {
			t.Errorf("isPlainSafe(%q), but yaml.v3 writes %s", s, got)
		}
	}
}

// singleAsYAMLv3 checks the promise of singleQuoted: yaml.v3 writes such a
// string single-quoted, as it is.
func singleAsYAMLv3(t *testing.T, s string) {
	if !singleQuoted(s) {
		return
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	if got := strings.TrimSuffix(b.String(), "\n"); got != "'"+s+"'" {
		t.Errorf("singleQuoted(%q), but yaml.v3 writes %s", s, got)
	}
}

func TestPlainSafe(t *testing.T) {
	for _, s := range []string{"a", "${AWS::StackName}-web", "2001:db8::/32", "a: b", "a #b", "a#b", "don't", "x@y", "1e3", "10.0.0.0/8", "a {b} c", "a,b", "ab ", "tcp/80-90"} {
		plainAsYAMLv3(t, s)
	}
}

func FuzzPlainSafe(f *testing.F) {
	for _, s := range []string{"${GroupsStack1}-app", "fe80::1/128", "${a}", "$a: b", `Id of the "x".`, "a #b.", "1.", "a (b)", "a.b.", "x'y'z", "$1", "a}", "a{b", "a ,b", "y.", "n}", "a\tb", "a: b)"} {
		f.Add(s)
	}
	f.Add("=")
	f.Add("<<")
	f.Add("{ops-42} for ext-469, flow 47680")
	f.Add("{AWS::StackName} to x")
	f.Add("[a] b")
	f.Add("net-625 bills $")
	f.Fuzz(func(t *testing.T, s string) {
		plainAsYAMLv3(t, s)
		singleAsYAMLv3(t, s)
		if utf8.ValidString(s) && printable(s) {
			readsBackInPyYAML(t, s)
		}
	})
}

// printable reports whether s holds only characters a description can
// (AWS's alphabet is narrower still): PyYAML refuses some control
// characters in any style, which yaml.v3 writes escaped.
func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfeff || r > 0xffff {
			return false
		}
	}
	return true
}

// doubleAsYAMLv3 checks the promise of bareDoubleQuoted: yaml.v3 writes
// such a string, double-quoted by style, between double quotes as it is.
func doubleAsYAMLv3(t *testing.T, s string) {
	if !bareDoubleQuoted(s) {
		return
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	if got := strings.TrimSuffix(b.String(), "\n"); got != `"`+s+`"` {
		t.Errorf("bareDoubleQuoted(%q), but yaml.v3 writes %s", s, got)
	}
}

func TestBareDoubleQuoted(t *testing.T) {
	long := strings.Repeat("0123456789-", 30)
	for _, s := range []string{"", "-1", "50", "2027-12-27", "::/0", ":a", "y", "NO", "~", "0x1F", "1:20", ".inf", "+.5e3", "=", "<<", long, "2027-12-27" + long} {
		if !bareDoubleQuoted(s) {
			t.Errorf("bareDoubleQuoted(%q) is false", s)
		}
		doubleAsYAMLv3(t, s)
	}
	for _, s := range []string{"a b", `a"b`, `a\b`, "a\tb", "é", "a\x7f"} {
		if bareDoubleQuoted(s) {
			t.Errorf("bareDoubleQuoted(%q) is true", s)
		}
	}
}

func FuzzBareDoubleQuoted(f *testing.F) {
	for _, s := range []string{"", "-1", "2027-12-27", "::/0", "a b", `"`, strings.Repeat("x", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { doubleAsYAMLv3(t, s) })
}
