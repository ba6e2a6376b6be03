package realtools

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testproc"
)

// cfnLintFinding is one match in cfn-lint's JSON output.
type cfnLintFinding struct {
	Rule struct {
		ID string `json:"Id"`
	} `json:"Rule"`
	Message  string `json:"Message"`
	Filename string `json:"Filename"`
	Location struct {
		Start struct {
			LineNumber int `json:"LineNumber"`
		} `json:"Start"`
	} `json:"Location"`
}

// TestCfnLint runs cfn-lint on every kind of template sgc produces: the
// examples' checked-in templates and their JSON and split forms, the
// goldens, and random policies covering every port form (tcp and udp
// ranges, icmp and icmpv6 types with and without codes, all, proto/N),
// every peer kind and IPv6, in YAML, JSON and split. There must be no
// error and no warning: the few cfn-lint false positives sgc knows are
// suppressed per resource, in the template itself (see lintFalsePositives
// in emit/cloudformation), never here.
func TestCfnLint(t *testing.T) {
	t.Parallel() // each has its own emulator and directories; terraform waits on it
	if testing.Short() {
		t.Skip("slow: runs cfn-lint")
	}
	cfnLint := need(t, "cfn-lint")
	dir := t.TempDir()
	var paths []string
	write := func(name string, data []byte) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	add := func(prefix string, files []emit.File) {
		for _, f := range files {
			if f.Path == cloudformation.ResourcesToImport {
				continue // not a template
			}
			if strings.HasSuffix(f.Path, ".yaml") || strings.HasSuffix(f.Path, ".json") {
				write(prefix+"-"+f.Path, f.Data)
			}
		}
	}
	build := func(t *testing.T, name string, srcs map[string][]byte, opts emit.Options) {
		files, diags := cloudformation.Emit(compile(t, srcs), opts)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		add(name, files)
	}
	for name, srcs := range examples(t) {
		data, err := os.ReadFile(filepath.Join("../../examples", name, "cloudformation", "template.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		write("example-"+name+"-template.yaml", data)
		build(t, "example-"+name+"-json", srcs, emit.Options{Format: "json"})
		build(t, "example-"+name+"-split", srcs, emit.Options{Split: true})
		// Built over an earlier output whose descriptions differ: every
		// group keeps the earlier one and tags the new one.
		kept := map[string]string{}
		for _, g := range compile(t, srcs).Groups {
			kept[g.Name] = "Earlier ${text} & more"
		}
		build(t, "example-"+name+"-kept", srcs, emit.Options{Earlier: emit.Earlier{Descriptions: kept}})
		build(t, "example-"+name+"-kept-split-json", srcs, emit.Options{Earlier: emit.Earlier{Descriptions: kept}, Split: true, Format: "json"})
	}
	// Each environment's template of the examples with environments.
	envTemplates, _ := filepath.Glob("../../examples/*/cloudformation/*/template.yaml")
	if len(envTemplates) == 0 {
		t.Fatal("no example with environments")
	}
	for _, path := range envTemplates {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel("../../examples", path)
		write("example-"+strings.ReplaceAll(rel, string(filepath.Separator), "-"), data)
	}
	// An adoption: the IMPORT template imports a group and its VPC
	// association (DeletionPolicy Retain on each) beside the update.
	adopted := map[string][]byte{"p.intent": []byte("group web \"Web servers\" also-in vpc-0123456789abcdef0\ninternet -> web tcp/443 because \"clients\"\n")}
	build(t, "adopted", adopted, emit.Options{Adopt: &model.Adoption{
		Groups: map[string]*model.AdoptedGroup{"web": {ID: "sg-0123456789abcdef0", Associations: map[string]bool{"vpc-0123456789abcdef0": true}}}}})
	goldens, _ := filepath.Glob("../../emit/cloudformation/testdata/*.txtar")
	for _, g := range goldens {
		a, err := txtar.ParseFile(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".yaml") || strings.HasSuffix(f.Name, ".json") {
				write("golden-"+strings.TrimSuffix(filepath.Base(g), ".txtar")+"-"+f.Name, f.Data)
			}
		}
	}
	// Random policies of the shapes the generator makes (its flow counts
	// cycle every 5 seeds, its group counts grow with the seed): five
	// cover the cycle; cfn-lint takes about a second a template, so more
	// would cost the suite's time and show nothing new.
	for seed := int64(1); seed <= 5; seed++ {
		cfg := synth.Config{Groups: 3 + int(seed%12), Flows: 20 + int(seed%5)*15, Seed: seed, GroupsPerFile: 4}
		srcs := synth.Generate(cfg)
		build(t, fmt.Sprintf("random-%03d", seed), srcs, emit.Options{})
		if seed <= 3 {
			build(t, fmt.Sprintf("random-%03d-json", seed), srcs, emit.Options{Format: "json"})
			build(t, fmt.Sprintf("random-%03d-split", seed), srcs, emit.Options{Split: true})
		}
	}
	// cfn-lint takes a second or so a template: two processes, one a core.
	const procs = 2
	results := make([][]cfnLintFinding, procs)
	errs := make([]error, procs)
	var wg sync.WaitGroup
	for i := 0; i < procs; i++ {
		var part []string
		for j := i; j < len(paths); j += procs {
			part = append(part, paths[j])
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = runCfnLint(t, cfnLint, part)
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		for _, f := range results[i] {
			t.Errorf("%s:%d: %s %s", filepath.Base(f.Filename), f.Location.Start.LineNumber, f.Rule.ID, f.Message)
		}
	}
	t.Logf("cfn-lint checked %d templates", len(paths))
}

// runCfnLint lints the templates at paths and returns what it found.
func runCfnLint(t testing.TB, cfnLint string, paths []string) ([]cfnLintFinding, error) {
	out, err := testproc.Command(t, cfnLint, append([]string{"--format", "json", "--"}, paths...)...).Output()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			return nil, fmt.Errorf("cfn-lint did not run: %v", err)
		}
	}
	var findings []cfnLintFinding
	if jerr := json.Unmarshal(out, &findings); jerr != nil {
		return nil, fmt.Errorf("cfn-lint's output is not its JSON (%v, exit %v):\n%s", jerr, err, out)
	}
	if err != nil && len(findings) == 0 {
		return nil, fmt.Errorf("cfn-lint failed without findings: %v", err)
	}
	return findings, nil
}
