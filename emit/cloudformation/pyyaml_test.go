package cloudformation

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/sgc-dev/sgc/internal/testproc"
)

// The YAML writer is held to yaml.v3 (which writes YAML 1.2) and, here, to
// PyYAML: a YAML 1.1 reader like the one in cfn-lint and the AWS CLI, the
// tools that actually read the templates. A helper process loads each
// document with a SafeLoader that takes CloudFormation's short tags and
// answers with the value as JSON.

const pyyamlHelper = `
import json, sys, yaml
class Loader(yaml.SafeLoader):
    pass
def tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node)}
    return {suffix: loader.construct_mapping(node)}
Loader.add_multi_constructor("!", tagged)
for line in sys.stdin:
    doc = json.loads(line)
    try:
        out = {"ok": True, "value": yaml.load(doc, Loader=Loader)}
    except Exception as e:
        out = {"ok": False, "error": str(e)}
    sys.stdout.write(json.dumps(out, default=str) + "\n")
    sys.stdout.flush()
`

type pyyamlProc struct {
	mu  sync.Mutex
	in  io.Writer
	out *bufio.Reader
	err error
}

var (
	pyyamlOnce sync.Once
	pyyaml     pyyamlProc
)

// loadPyYAML reads doc with PyYAML. It skips the test where python3 or
// PyYAML is missing, unless SGC_REQUIRE_PYYAML is set (as CI sets it).
func loadPyYAML(t testing.TB, doc []byte) (value any, ok bool, errText string) {
	t.Helper()
	pyyamlOnce.Do(func() {
		cmd := testproc.Helper("python3", "-c", pyyamlHelper)
		in, err := cmd.StdinPipe()
		if err != nil {
			pyyaml.err = err
			return
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			pyyaml.err = err
			return
		}
		if err := cmd.Start(); err != nil {
			pyyaml.err = err
			return
		}
		pyyaml.in, pyyaml.out = in, bufio.NewReaderSize(out, 1<<20)
		// A first document tells whether PyYAML is there at all.
		if _, err := io.WriteString(in, "\"a: 1\"\n"); err != nil {
			pyyaml.err = err
			return
		}
		if _, err := pyyaml.out.ReadString('\n'); err != nil {
			pyyaml.err = err
		}
	})
	if pyyaml.err != nil {
		if os.Getenv("SGC_REQUIRE_PYYAML") != "" {
			t.Fatalf("PyYAML is required (SGC_REQUIRE_PYYAML) but cannot run: %v", pyyaml.err)
		}
		t.Skipf("python3 with PyYAML is not available: %v", pyyaml.err)
	}
	pyyaml.mu.Lock()
	defer pyyaml.mu.Unlock()
	line, _ := json.Marshal(string(doc))
	if _, err := pyyaml.in.Write(append(line, '\n')); err != nil {
		t.Fatal(err)
	}
	answer, err := pyyaml.out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		OK    bool   `json:"ok"`
		Value any    `json:"value"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(answer), &r); err != nil {
		t.Fatal(err)
	}
	return r.Value, r.OK, r.Error
}

// readsBackInPyYAML checks that the writer's rendering of the string s
// reads back in PyYAML as exactly s, at the top level and nested in
// mappings and lists, where a scalar written over several lines must be
// indented under its key (a multi-line scalar that is not would end the
// mapping and start keys of its own).
func readsBackInPyYAML(t testing.TB, s string) {
	t.Helper()
	nested := func() *object {
		return obj().set("k", s).set("l", []any{s, obj().set("k", s)})
	}
	doc := renderYAML("h", obj().set("k", s).set("l", []any{s}).set("n", obj().set("m", nested()).set("x", []any{nested()})), &scalarCache{}, 0)
	v, ok, e := loadPyYAML(t, doc)
	if !ok {
		t.Fatalf("PyYAML cannot read the writer's rendering of %q: %s\n%s", s, e, doc)
	}
	want := map[string]any{"k": s, "l": []any{s}, "n": map[string]any{
		"m": map[string]any{"k": s, "l": []any{s, map[string]any{"k": s}}},
		"x": []any{map[string]any{"k": s, "l": []any{s, map[string]any{"k": s}}}},
	}}
	got, _ := json.Marshal(v)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Fatalf("PyYAML reads the writer's rendering of %q as %s\n%s", s, got, doc)
	}
}

// TestPyYAMLReadsScalars: every string the writer might meet (YAML 1.1's
// special words, numbers, dates, indicators, every one- and two-character
// ASCII string) reads back as itself in PyYAML.
func TestPyYAMLReadsScalars(t *testing.T) {
	cases := []string{"=", "<<", "yes", "No", "on", "OFF", "y", "~", "null", "1_000", "0x1F", "0o17", "017", "1:20", "1:20:30",
		"1e3", ".5", "+.inf", ".NaN", "2026-01-01", "2026-1-1 10:00", "${AWS::StackName}", "a: b", "a #b", "- x", "? x", "! x",
		"& x", "* x", "| x", "> x", "% x", "@x", "`x", "'x'", "\"x\"", "x\ty", " lead", "trail ", "café", "a\\b", "{a}", "[a]",
		"1:0.0", "-1:20.5", "a\nb", "x\n    Properties: {}", "a\n\n  b\n", "\n", "a\r\nb", "|", ">-\nx"}
	for c := 32; c < 127; c++ {
		cases = append(cases, string(rune(c)))
		for d := 32; d < 127; d += 7 {
			cases = append(cases, string(rune(c))+string(rune(d)))
		}
	}
	for _, s := range cases {
		readsBackInPyYAML(t, s)
	}
}

// FuzzBlockScalars holds the writer to PyYAML on strings over several
// lines, which FuzzPlainSafe (printable text on one line) never writes:
// whatever the text, it reads back as itself wherever it is nested, and
// never as structure.
func FuzzBlockScalars(f *testing.F) {
	for _, s := range []string{"a\nb", "x\n    Properties:\n      SecurityGroupIngress: []", "\n\n", " a\n b ", "a\r\nb\r", "#x\n- y", "a:\n  b: c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || !printable(strings.NewReplacer("\n", "", "\r", "", "\t", "").Replace(s)) {
			return
		}
		readsBackInPyYAML(t, s)
	})
}
