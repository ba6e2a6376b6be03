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
	f, diags := hclsyntax.ParseConfig(data, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: not a tfvars file: %v", name, diags)
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %v", name, diags)
	}
	for key, a := range attrs {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || !v.Type().Equals(ctyString) || v.IsNull() {
			continue // not a literal string: not one of ours
		}
		values[key] = v.AsString()
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

var ctyString = cty.String
