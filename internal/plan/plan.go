// Package plan is the plan a deployment of a new build makes over the
// old one, by address, as the targets predict it (emit.PredictPlan) and
// review prints it: plain data, so that review need not know the targets.
package plan

import "fmt"

// Plan is what deploying the new build of a policy over the old one does
// in one target, predicted from the resources both builds emit: what
// `terraform plan` or a CloudFormation change set will show, by address.
type Plan struct {
	Target  string   `json:"target"`
	Create  []string `json:"create"`
	Update  []string `json:"update"`
	Replace []string `json:"replace"`
	Destroy []string `json:"destroy"`
	// Warnings name each change that the target cannot make without
	// downtime or a failed deploy, with what to do instead.
	Warnings []string `json:"warnings"`
}

// Empty reports whether the plan changes nothing.
func (p Plan) Empty() bool {
	return len(p.Create)+len(p.Update)+len(p.Replace)+len(p.Destroy) == 0
}

// Counts says the plan as Terraform's summary line does: a replacement is
// one to add and one to destroy.
func (p Plan) Counts() string {
	s := fmt.Sprintf("%d to add, %d to change, %d to destroy", len(p.Create)+len(p.Replace), len(p.Update), len(p.Destroy)+len(p.Replace))
	if len(p.Replace) > 0 {
		s += fmt.Sprintf(" (%d replaced)", len(p.Replace))
	}
	return s
}

// Step is one kind of change of a plan and its addresses.
type Step struct {
	Kind  string
	Addrs []string
}

// Steps lists the plan's changes in the order people read them.
func (p Plan) Steps() []Step {
	return []Step{{"create", p.Create}, {"replace", p.Replace}, {"update", p.Update}, {"destroy", p.Destroy}}
}
