package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/hclfile"
	"github.com/sgc-dev/sgc/internal/limits"
)

// ReadInputs reads the values a tfvars file gives the module's inputs
// (name_security_group_id = "sg-..."), by the external each is for. The
// file is data here: literal values only, bounded in size and nesting,
// nothing evaluated (a nested for expression would run for minutes).
// Other variables are left alone.
func ReadInputs(name string, data []byte, p *model.Program) (map[*model.External]string, error) {
	f, diags := hclfile.Parse(name, data, "InvalidVarFile", limits.ConfigFile, limits.ConfigDepth)
	if f == nil {
		return nil, fmt.Errorf("not a tfvars file of literal values: %v", diags.Err())
	}
	attrs, hd := f.Body.JustAttributes()
	if hd.HasErrors() {
		return nil, fmt.Errorf("%s: %v", name, hd)
	}
	out := map[*model.External]string{}
	for x, variable := range nameAll(p).external {
		if a, ok := attrs[variable]; ok {
			if s, ok := literalString(a.Expr); ok {
				out[x] = s
			}
		}
	}
	return out, nil
}

// literalString returns the value of a quoted string without templates,
// the only form of a group id in a tfvars file.
func literalString(e hcl.Expression) (string, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok || len(t.Parts) != 1 {
		return "", false
	}
	l, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr)
	if !ok || l.Val.IsNull() || !l.Val.Type().Equals(cty.String) {
		return "", false
	}
	return l.Val.AsString(), true
}
