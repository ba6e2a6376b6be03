package model

import "github.com/sgc-dev/sgc/lang/source"

// Adoption says which live objects a policy takes over instead of
// creating: the security group each of its groups is, and the sgr- rule
// each of its rules is. The loader builds it from the *.adopt.hcl files
// beside the policy, having checked that no live object is taken twice and
// that every value has the form AWS gives it; the targets read it to emit
// import blocks and IMPORT change sets.
type Adoption struct {
	Groups map[string]*AdoptedGroup // by the group's name in the policy
	Rules  map[RuleID]*AdoptedRule  // by what AWS identifies the rule by
}

// AdoptedGroup is the live group an intent group is.
type AdoptedGroup struct {
	ID string // sg-...
	// LiveName and Description are the group's AWS name and description
	// where the policy's differ: AWS changes either only by replacing the
	// group, so the build keeps them.
	LiveName, Description string
	// Tags are the group's other tags in AWS, which the build keeps.
	Tags map[string]string
	// Associations are the VPC ids of the group's also-in that the live
	// group already serves: adopted, not created again.
	Associations map[string]bool
	At           source.Range // the mapping entry
}

// AdoptedRule is the live rule an intent rule is.
type AdoptedRule struct {
	ID string // sgr-...
	// LiveDescription is the rule's description in AWS when it differs
	// from the purpose the policy gives it; the apply changes it in place.
	LiveDescription *string
	At              source.Range // the mapping entry
}

// Empty reports whether nothing is adopted.
func (a *Adoption) Empty() bool { return a == nil || len(a.Groups)+len(a.Rules) == 0 }

// Group returns the adoption of the group named name, or nil.
func (a *Adoption) Group(name string) *AdoptedGroup {
	if a == nil {
		return nil
	}
	return a.Groups[name]
}

// Rule returns the adoption of r, or nil.
func (a *Adoption) Rule(r *Rule) *AdoptedRule {
	if a == nil {
		return nil
	}
	return a.Rules[r.ID()]
}

// RuleID returns the sgr- id of the live rule r adopts, or "".
func (a *Adoption) RuleID(r *Rule) string {
	if ar := a.Rule(r); ar != nil {
		return ar.ID
	}
	return ""
}

// Associated reports whether the live group that g adopts already serves
// the VPC v: the association is adopted, not created.
func (a *Adoption) Associated(g *Group, v VPC) bool {
	ag := a.Group(g.Name)
	return ag != nil && v.ID != "" && ag.Associations[v.ID]
}
