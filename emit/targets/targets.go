// Package targets is the one list of output targets, as multichecker.Main
// takes its analyzers: the CLI, the examples and the benchmarks all use
// it, and emit never imports its subpackages.
package targets

import (
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
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
