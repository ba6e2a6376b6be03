// Package targets is the one list of output targets, as multichecker.Main
// takes its analyzers: the CLI, the examples and the benchmarks all use
// it, and emit never imports its subpackages.
package targets

import (
	"fmt"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/awsform"
)

// All lists the targets.
var All = []*emit.Target{
	terraform.Target,
	cloudformation.Target,
}

// Find returns the target called name, or nil.
func Find(name string) *emit.Target {
	for _, t := range All {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Names returns the targets' names, in order.
func Names() []string {
	var names []string
	for _, t := range All {
		names = append(names, t.Name)
	}
	return names
}

// ReadInputs reads a deployment's inputs file (drift --var-file) with
// the target that wrote its kind: a JSON array is CloudFormation's
// parameters file, anything else a tfvars file. It returns the ids by
// external name; a value that is not a group id is an error.
func ReadInputs(name string, data []byte, p *model.Program) (map[string]string, error) {
	t := terraform.Target
	if strings.HasPrefix(strings.TrimSpace(string(data)), "[") {
		t = cloudformation.Target
	}
	values, err := t.ReadInputs(name, data, p)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for x, v := range values {
		if !awsform.GroupID.MatchString(v) {
			return nil, fmt.Errorf("%s: the input of %s is %q, not a security group id", name, x.Name, v)
		}
		out[x.Name] = v
	}
	return out, nil
}
