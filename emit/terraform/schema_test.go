package terraform_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
)

// sharedDir is the project's shared directory, beside the repository.
const sharedDir = "../../../shared"

// providerSchema is the part of `terraform providers schema -json` used here.
type providerSchema struct {
	ResourceSchemas map[string]struct {
		Block struct {
			Attributes map[string]struct {
				Type     json.RawMessage `json:"type"`
				Required bool            `json:"required"`
				Optional bool            `json:"optional"`
				Computed bool            `json:"computed"`
			} `json:"attributes"`
			BlockTypes map[string]json.RawMessage `json:"block_types"`
		} `json:"block"`
	} `json:"resource_schemas"`
}

func loadSchema(t *testing.T) providerSchema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir, "schemas", "terraform-aws-security-groups.json"))
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("SGC_REQUIRE_SCHEMAS") != "" {
			t.Fatalf("the shared schemas are required in CI: %v", err)
		}
		t.Skipf("shared schemas not found beside the repository: %v", err)
	}
	var s providerSchema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// metaArguments may appear in any resource block.
var metaArguments = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true}

// conform checks every resource in files against the provider schema:
// known resource types, known and settable attributes of the right type,
// every required attribute present.
func conform(t *testing.T, schema providerSchema, files []emit.File) int {
	t.Helper()
	parser := hclparse.NewParser()
	n := 0
	for _, f := range files {
		file, diags := parser.ParseHCL(f.Data, f.Path)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f.Path, diags)
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "resource" {
				continue
			}
			n++
			rs, ok := schema.ResourceSchemas[b.Labels[0]]
			if !ok {
				t.Errorf("%s: resource type %s is not in the provider schema", f.Path, b.Labels[0])
				continue
			}
			for name, attr := range b.Body.Attributes {
				if metaArguments[name] {
					continue
				}
				sa, ok := rs.Block.Attributes[name]
				if !ok {
					t.Errorf("%s: %s.%s: unknown attribute %q", f.Path, b.Labels[0], b.Labels[1], name)
					continue
				}
				if !sa.Required && !sa.Optional {
					t.Errorf("%s: %s.%s: attribute %q is computed only", f.Path, b.Labels[0], b.Labels[1], name)
				}
				checkType(t, f.Path, b, name, attr, sa.Type)
			}
			for name, sa := range rs.Block.Attributes {
				if _, ok := b.Body.Attributes[name]; sa.Required && !ok {
					t.Errorf("%s: %s.%s: required attribute %q missing", f.Path, b.Labels[0], b.Labels[1], name)
				}
			}
			for _, nested := range b.Body.Blocks {
				if _, ok := rs.Block.BlockTypes[nested.Type]; !ok && nested.Type != "lifecycle" {
					t.Errorf("%s: %s.%s: unknown block %q", f.Path, b.Labels[0], b.Labels[1], nested.Type)
				}
			}
		}
	}
	return n
}

// checkType compares a literal attribute value with the schema's type; a
// reference or function call is checked by shape: references to ids are
// strings, and merge(...) builds the tags map.
func checkType(t *testing.T, path string, b *hclsyntax.Block, name string, attr *hclsyntax.Attribute, raw json.RawMessage) {
	t.Helper()
	var want string
	var complex []any
	if json.Unmarshal(raw, &want) != nil {
		json.Unmarshal(raw, &complex)
		want = complex[0].(string) // "map", "list", "set"
	}
	switch e := attr.Expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if want != "string" {
			t.Errorf("%s: %v.%s: a reference where the schema wants %s", path, b.Labels, name, raw)
		}
	case *hclsyntax.FunctionCallExpr:
		if e.Name != "merge" || want != "map" {
			t.Errorf("%s: %v.%s: call %s() where the schema wants %s", path, b.Labels, name, e.Name, raw)
		}
	default:
		v, diags := attr.Expr.Value(nil)
		if diags.HasErrors() {
			t.Errorf("%s: %v.%s: not a literal: %v", path, b.Labels, name, diags)
			return
		}
		got := map[cty.Type]string{cty.String: "string", cty.Number: "number", cty.Bool: "bool"}[v.Type()]
		if got != want {
			t.Errorf("%s: %v.%s: %s value where the schema wants %s", path, b.Labels, name, v.Type().FriendlyName(), raw)
		}
	}
}

// TestSchemaConformance checks the resources of the golden cases and of
// many random policies against the AWS provider's schema.
func TestSchemaConformance(t *testing.T) {
	schema := loadSchema(t)
	total := 0
	for seed := int64(1); seed <= 60; seed++ {
		_, files := build(t, synth.Generate(synth.Config{Groups: 10, Flows: 50, Seed: seed, GroupsPerFile: 3}), emit.Options{SourceLines: seed%2 == 0})
		total += conform(t, schema, files)
	}
	if total < 1000 {
		t.Fatalf("only %d resources checked", total)
	}
}
