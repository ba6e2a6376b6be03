package docs

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v3"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/config"
	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/parser"
	"github.com/sgc-dev/sgc/load"
)

// block is one fenced code block of a page.
type block struct {
	where string // page:line of the opening fence
	info  string // the fence's language, "" for none
	body  string
}

// pages returns the README and every docs page, by path.
func pages(t *testing.T) map[string]string {
	t.Helper()
	names, _ := filepath.Glob("../../docs/*.md")
	names = append(names, "../../README.md")
	out := map[string]string{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(n, "../../")] = string(data)
	}
	return out
}

// blocks returns the fenced code blocks of a page.
func blocks(page, text string) []block {
	var out []block
	var cur *block
	for i, line := range strings.SplitAfter(text, "\n") {
		fence := strings.HasPrefix(strings.TrimSpace(line), "```")
		switch {
		case fence && cur == nil:
			cur = &block{where: page + ":" + strconv.Itoa(i+1), info: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "```"))}
		case fence:
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body += line
		}
	}
	return out
}

// diagHead is the first line of a diagnostic as sgc prints it.
var diagHead = regexp.MustCompile(`(?m)^\S+\.intent:(\d+):\d+: (error|warning|info): `)

// grammar marks a block that shows the form of a statement, not one.
var grammar = regexp.MustCompile(`\bSOURCE -> DESTINATION\b`)

// TestDocsExamples: every code block of the README and the docs pages is
// what the program accepts — intent parses, sgc.hcl settings load clean,
// HCL, JSON and YAML are well-formed, every sgc command line (in a shell
// block, a workflow's run: or an inline `sgc …` span) names commands and
// flags that exist with values they accept, and a diagnostic shown is
// what sgc prints for it.
func TestDocsExamples(t *testing.T) {
	checked := 0
	all := pages(t)
	tour := tourOf(t, all["README.md"])
	for page, text := range all {
		for _, b := range blocks(page, text) {
			checked++
			switch {
			case b.info == "" && diagHead.MatchString(b.body):
				checkDiagnostic(t, b, tour)
			case b.info == "" && grammar.MatchString(b.body):
				// a statement's form: nothing to run
			case b.info == "":
				if _, diags := parser.ParseFile("doc.intent", []byte(b.body)); diags.HasErrors() {
					t.Errorf("%s: the intent does not parse: %v", b.where, diags)
				}
			case b.info == "hcl" && strings.HasPrefix(b.body, "lint {"):
				if _, diags := config.Parse("sgc.hcl", []byte(b.body)); len(diags) > 0 {
					t.Errorf("%s: the settings do not load clean: %v", b.where, diags)
				}
			case b.info == "hcl":
				if _, diags := hclsyntax.ParseConfig([]byte(b.body), "doc.tf", hcl.InitialPos); diags.HasErrors() {
					t.Errorf("%s: the HCL does not parse: %v", b.where, diags)
				}
			case b.info == "json":
				if !json.Valid([]byte(b.body)) {
					t.Errorf("%s: the JSON is not valid", b.where)
				}
			case b.info == "yaml":
				var v any
				if err := yaml.Unmarshal([]byte(b.body), &v); err != nil {
					t.Errorf("%s: the YAML does not parse: %v", b.where, err)
				}
				for _, line := range strings.Split(b.body, "\n") {
					if _, cmd, ok := strings.Cut(line, "- run: "); ok {
						checkCommand(t, b.where, cmd)
					}
				}
			case b.info == "sh":
				for _, line := range strings.Split(strings.ReplaceAll(b.body, "\\\n", " "), "\n") {
					checkCommand(t, b.where, line)
				}
			default:
				t.Errorf("%s: a code block in %q, which no test checks", b.where, b.info)
			}
		}
		for _, m := range inlineCommand.FindAllStringSubmatch(text, -1) {
			checked++
			checkCommand(t, page, m[1])
		}
	}
	if checked < 30 {
		t.Errorf("only %d examples found: is the page format what this test reads?", checked)
	}
}

// inlineCommand is an sgc command line in a code span.
var inlineCommand = regexp.MustCompile("`(sgc [^`]+)`")

// checkCommand runs an sgc command line with --help added: cobra parses
// every flag (and each choice flag its value) before it prints the help,
// so exit 0 means the command, its flags and their values exist. A line
// that is not an sgc command is not checked.
func checkCommand(t *testing.T, where, line string) {
	t.Helper()
	line, _, _ = strings.Cut(line, " #") // a comment
	for _, end := range []string{" >", " |", " &&", " ||"} {
		line, _, _ = strings.Cut(line, end)
	}
	// A synopsis: optional parts are checked as if given, and of
	// alternatives (a\|b, as a table cell escapes them) the first.
	line = strings.NewReplacer("[", "", "]", "").Replace(line)
	words := shellWord.FindAllString(line, -1)
	for i, w := range words {
		words[i], _, _ = strings.Cut(w, `\|`)
	}
	switch {
	case len(words) > 3 && strings.Join(words[:3], " ") == "go run ./cmd/sgc":
		words = words[3:]
	case len(words) > 1 && words[0] == "sgc":
		words = words[1:]
	default:
		return
	}
	for i, w := range words {
		if placeholder.MatchString(w) {
			words[i] = "x" // DIR, FILE: any value
		}
	}
	// --help right after the command: cobra parses the rest and prints
	// the help, and never runs the command.
	words = append([]string{words[0], "--help"}, words[1:]...)
	var out, errb bytes.Buffer
	if code := cli.Main(words, strings.NewReader(""), &out, &errb); code != 0 {
		t.Errorf("%s: `%s` is not a command sgc accepts (exit %d): %s", where, line, code, errb.String())
	}
}

// placeholder is a word of a command line that stands for a value.
var placeholder = regexp.MustCompile(`^([A-Z]+(\.[a-z]+)?(\.\.\.)?|"\$\(.*\)")$`)

// shellWord is a word of a command line: quoted, or up to a space.
var shellWord = regexp.MustCompile(`"[^"]*"|'[^']*'|\S+`)

// checkDiagnostic compiles the README's tour with the source line the
// diagnostic shows put at its line, and requires the block in the output.
func checkDiagnostic(t *testing.T, b block, tour string) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s+(\d+) \| (.*)$`).FindStringSubmatch(b.body)
	if m == nil {
		t.Errorf("%s: a diagnostic without its source line", b.where)
		return
	}
	lines := strings.Split(tour, "\n")
	n, _ := strconv.Atoi(m[1])
	if n < 1 || n > len(lines) {
		t.Errorf("%s: line %d is not in the tour", b.where, n)
		return
	}
	lines[n-1] = m[2]
	p := load.FromSources(map[string][]byte{"production.intent": []byte(strings.Join(lines, "\n"))}, compiler.Options{Now: tourNow})
	var out bytes.Buffer
	diag.Fprint(&out, p.Sources, p.Diags)
	if !strings.Contains(out.String(), b.body) {
		t.Errorf("%s: sgc prints\n%s\nnot the block\n%s", b.where, out.String(), b.body)
	}
}

// tourOf returns the README's tour policy.
func tourOf(t *testing.T, readme string) string {
	t.Helper()
	i := strings.Index(readme, "## A tour\n\n```\n")
	if i < 0 {
		t.Fatal("the README has no tour")
	}
	body := readme[i+len("## A tour\n\n```\n"):]
	return body[:strings.Index(body, "```")]
}
