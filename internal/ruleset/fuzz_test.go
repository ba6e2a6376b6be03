package ruleset_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/ruleset"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// FuzzEmit builds every policy that compiles without errors with both
// targets, in every format, and reads the output back: each file must
// parse (HCL in canonical layout, YAML, JSON) and hold exactly the model's
// rules. Whatever the input, the output is data, never code.
func FuzzEmit(f *testing.F) {
	for _, dir := range []string{"../../examples/game", "../../examples/webshop", "../../examples/data-platform"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.intent"))
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("group web \"Web ${x} %{y}\"\ngroup db \"=\"\nweb -> db tcp/5432 because \"cost center ${ops-42} and ${AWS::StackName}\"\nweb -> db icmpv6/128 because \"ping\"\nexternal e \"E\"\ne -> web proto/50 because \"ipsec\"\n"))
	f.Add([]byte("group web \"Web\"\nprefix-list cdn aws:cloudfront.origin-facing \"CDN\"\nprefix-list s3 aws:s3 \"S3\"\nexternal mon 123456789012/sg-0123456789abcdef0 \"Mon\"\nexternal in \"In\" account 210987654321\ncdn -> web tcp/443 because \"origin\"\nweb -> s3 tcp/443 because \"objects\"\nmon -> web tcp/9100 because \"metrics\"\nin -> web tcp/443 because \"calls\"\nnever s3 -> web because \"no\"\n"))
	now := testkit.Now
	f.Fuzz(func(t *testing.T, src []byte) {
		p := load.FromSources(map[string][]byte{"f.intent": src}, compiler.Options{Now: now})
		if p.Diags.HasErrors() {
			return
		}
		want := ruleset.FromModel(p.Program).String()
		tf, diags := terraform.Emit(p.Program, emit.Options{})
		if diags.HasErrors() {
			return
		}
		for _, file := range tf {
			if _, hd := hclwrite.ParseConfig(file.Data, file.Path, hclInitial); hd.HasErrors() {
				t.Fatalf("%s does not parse: %v\n%s", file.Path, hd, file.Data)
			}
			if !bytes.Equal(hclwrite.Format(file.Data), file.Data) {
				t.Fatalf("%s is not in canonical layout", file.Path)
			}
		}
		got, err := ruleset.FromTerraform(tf)
		if err != nil || got.String() != want {
			t.Fatalf("terraform reads back differently (%v)\n--- model\n%s\n--- terraform\n%s", err, want, got)
		}
		for _, opts := range []emit.Options{{}, {Format: "json"}, {Split: true}} {
			files, diags := cloudformation.Emit(p.Program, opts)
			if diags.HasErrors() {
				continue // over CloudFormation's limits: reported, not written
			}
			got, err := ruleset.FromCloudFormation(files)
			if err != nil || got.String() != want {
				t.Fatalf("cloudformation %+v reads back differently (%v)\n--- model\n%s\n--- template\n%s", opts, err, want, got)
			}
		}
	})
}

var hclInitial = hcl.Pos{Line: 1, Column: 1}
