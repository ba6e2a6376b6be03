package drift

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/hclfile"
	"github.com/sgc-dev/sgc/internal/limits"
)

// ReadVarFile reads the ids given to the externals of p declared without
// one from the file the deployment used: a Terraform tfvars file
// (name_security_group_id = "sg-..."), or a CloudFormation parameters file
// ([{"ParameterKey": "NameSecurityGroupId", "ParameterValue": "sg-..."}]).
// It returns them by external name; other variables are left alone.
func ReadVarFile(name string, data []byte, p *model.Program) (map[string]string, error) {
	values := map[string]string{}
	if strings.HasPrefix(strings.TrimSpace(string(data)), "[") {
		var params []struct {
			Key   string `json:"ParameterKey"`
			Value string `json:"ParameterValue"`
		}
		if err := json.Unmarshal(data, &params); err != nil {
			return nil, fmt.Errorf("%s: not a CloudFormation parameters file: %v", name, err)
		}
		for _, kv := range params {
			values[kv.Key] = kv.Value
		}
		return byExternal(name, values, cloudformation.InputNames(p))
	}
	// Literal values only: a tfvars file is data here, so its size and
	// nesting are bounded and nothing in it is evaluated (a nested for
	// expression would run for minutes).
	f, diags := hclfile.Parse(name, data, "InvalidVarFile", limits.ConfigFile, limits.ConfigDepth)
	if f == nil {
		return nil, fmt.Errorf("not a tfvars file of literal values: %v", diags.Err())
	}
	attrs, hd := f.Body.JustAttributes()
	if hd.HasErrors() {
		return nil, fmt.Errorf("%s: %v", name, hd)
	}
	for key, a := range attrs {
		if s, ok := literalString(a.Expr); ok {
			values[key] = s
		}
	}
	return byExternal(name, values, terraform.InputNames(p))
}

func byExternal(file string, values map[string]string, names map[*model.External]string) (map[string]string, error) {
	out := map[string]string{}
	for x, variable := range names {
		v, ok := values[variable]
		if !ok {
			continue
		}
		if !awsform.GroupID.MatchString(v) {
			return nil, fmt.Errorf("%s: %s = %q is not a security group id", file, variable, v)
		}
		out[x.Name] = v
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
