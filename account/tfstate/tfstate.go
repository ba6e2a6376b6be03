// Package tfstate reads the security groups that a Terraform
// configuration manages today, from the JSON of its state or of a plan
// (terraform show -json [planfile]): every resource of the four types
// security groups are written with in the wild, at any module depth, with
// count and for_each instance keys. sgc import uses it to take the groups
// over from that configuration without replacing one: which groups to
// draft, which addresses the old configuration must forget (removed
// blocks), and which rules the old code manages, to compare with the
// account.
package tfstate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
)

// The resource types read.
const (
	GroupType   = "aws_security_group"
	RuleType    = "aws_security_group_rule" // one resource, possibly several AWS rules
	IngressType = "aws_vpc_security_group_ingress_rule"
	EgressType  = "aws_vpc_security_group_egress_rule"
)

// Resource is one resource instance that manages a security group or
// some of its rules.
type Resource struct {
	Address string // as the state writes it: module.y["db"].aws_security_group.this[0]
	// Config is the address of the resource in the configuration, without
	// instance keys (module.y.aws_security_group.this): what a removed
	// block names.
	Config string
	// Module is the top-level module call it is in ("module.y"), or "" in
	// the root module.
	Module  string
	Type    string
	GroupID string // the group it is, or the group whose rules it manages
	// Rules are the AWS rules it manages, one per peer: a group's inline
	// rules (the state lists all of a group's rules there, whoever manages
	// them), a rule resource's expansion.
	Rules  []live.Rule
	RuleID string // the sgr- id, for the one-rule resource types
	// Name, Description and VpcID are a group's.
	Name, Description, VpcID string
}

// State is what a state holds of security groups.
type State struct {
	Resources []Resource // sorted by address
	// OtherResources counts, by top-level module call, the managed
	// resources of other types in it: a module that holds only security
	// groups can be forgotten whole.
	OtherResources map[string]int
}

// Groups returns the ids of the groups the state manages, as groups or
// through rule resources, sorted.
func (s *State) Groups() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range s.Resources {
		if r.GroupID != "" && !seen[r.GroupID] {
			seen[r.GroupID] = true
			out = append(out, r.GroupID)
		}
	}
	sort.Strings(out)
	return out
}

// document is the part of terraform show -json that matters: a state has
// values, a plan has prior_state.values.
type document struct {
	FormatVersion string `json:"format_version"`
	Values        *struct {
		RootModule module `json:"root_module"`
	} `json:"values"`
	PriorState *struct {
		Values *struct {
			RootModule module `json:"root_module"`
		} `json:"values"`
	} `json:"prior_state"`
	PlannedValues json.RawMessage `json:"planned_values"`
}

type module struct {
	Address      string     `json:"address"`
	Resources    []resource `json:"resources"`
	ChildModules []module   `json:"child_modules"`
}

type resource struct {
	Address string          `json:"address"`
	Mode    string          `json:"mode"`
	Type    string          `json:"type"`
	Values  json.RawMessage `json:"values"`
}

// Parse reads the JSON of terraform show -json: a state, or a plan (its
// prior state). A document that is neither, of a format version other than
// 1.x, or with a security group resource whose values are not in AWS's
// forms is an error; a state without security groups is one too, since
// there is nothing to take over.
func Parse(data []byte) (*State, error) {
	var doc document
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not the JSON of terraform show -json: %v", err)
	}
	if doc.FormatVersion == "" {
		return nil, fmt.Errorf("no format_version: not the JSON of terraform show -json (a raw terraform.tfstate is not read; run terraform show -json)")
	}
	if !strings.HasPrefix(doc.FormatVersion, "1.") {
		return nil, fmt.Errorf("format_version %q: this sgc reads the 1.x format of terraform show -json", doc.FormatVersion)
	}
	var root *module
	switch {
	case doc.Values != nil:
		root = &doc.Values.RootModule
	case doc.PriorState != nil && doc.PriorState.Values != nil:
		root = &doc.PriorState.Values.RootModule
	case doc.PlannedValues != nil:
		return nil, fmt.Errorf("a plan without a prior state (nothing applied yet): there are no groups to take over")
	default:
		return nil, fmt.Errorf("no values: the state is empty")
	}
	s := &State{OtherResources: map[string]int{}}
	var problems []string
	var walk func(m *module, depth int)
	walk = func(m *module, depth int) {
		if depth > 100 {
			problems = append(problems, "modules nested more than 100 deep")
			return
		}
		for _, r := range m.Resources {
			if r.Mode != "managed" {
				continue
			}
			config, top, err := configAddress(r.Address)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			switch r.Type {
			case GroupType, RuleType, IngressType, EgressType:
				res, err := read(r, config, top)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s: %v", r.Address, err))
					continue
				}
				s.Resources = append(s.Resources, res...)
			default:
				s.OtherResources[top]++
			}
		}
		for i := range m.ChildModules {
			walk(&m.ChildModules[i], depth+1)
		}
	}
	walk(root, 0)
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	if len(s.Resources) == 0 {
		return nil, fmt.Errorf("the state manages no security groups (%s, %s, %s or %s)", GroupType, RuleType, IngressType, EgressType)
	}
	sort.SliceStable(s.Resources, func(i, j int) bool { return s.Resources[i].Address < s.Resources[j].Address })
	return s, nil
}

// configAddress strips the instance keys of an address (module.y["a"].t.n[0]
// is module.y.t.n) and returns its top-level module call ("module.y", or "").
// Keys are skipped as Terraform writes them: [N] or ["string"] with
// backslash escapes, so a key holding "]" or "." does not cut the address.
func configAddress(addr string) (config, top string, err error) {
	var b strings.Builder
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		if c != '[' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		if j < len(addr) && addr[j] == '"' {
			for j++; j < len(addr) && addr[j] != '"'; j++ {
				if addr[j] == '\\' {
					j++
				}
			}
			j++
		} else {
			for j < len(addr) && addr[j] >= '0' && addr[j] <= '9' {
				j++
			}
		}
		if j >= len(addr) || addr[j] != ']' {
			return "", "", fmt.Errorf("address %q: an instance key Terraform would not write", addr)
		}
		i = j
	}
	config = b.String()
	parts := strings.Split(config, ".")
	for _, p := range parts {
		if !identifier.MatchString(p) {
			return "", "", fmt.Errorf("address %q: %q is not a Terraform name", addr, p)
		}
	}
	if len(parts) >= 2 && parts[0] == "module" {
		top = "module." + parts[1]
	}
	return config, top, nil
}

// identifier is a Terraform name (HCL's identifier, as resource types,
// names and module calls use it): an address made of anything else is not
// written into a removed block.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
