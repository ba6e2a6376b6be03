package cli

import (
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
)

// targets is the one list of output targets, as multichecker.Main takes
// its analyzers: emit never imports its subpackages.
var targets = []*emit.Target{
	terraform.Target,
	cloudformation.Target,
}

func findTarget(name string) *emit.Target {
	for _, t := range targets {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func targetNames() []string {
	var names []string
	for _, t := range targets {
		names = append(names, t.Name)
	}
	return names
}
