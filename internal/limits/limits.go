// Package limits is the one list of the bounds sgc puts on its inputs.
// Every reader checks its input against these before the work that grows
// with it, so hostile or mistaken input (a /dev/zero, a million nested
// brackets, a 5 GB export) gets a clear error instead of a crash, a hang
// or gigabytes of memory. The README's table of limits is tested against
// All.
package limits

import (
	"fmt"
	"time"
)

// The limits.
const (
	// IntentFile is the largest intent file read, in bytes: a 50,000-flow
	// policy is about 5 MB.
	IntentFile = 16 << 20
	// Policy is the largest policy read, all files together, in bytes.
	Policy = 64 << 20
	// ConfigFile is the largest sgc.hcl read, in bytes.
	ConfigFile = 1 << 20
	// ConfigDepth is how deeply sgc.hcl may nest brackets: the HCL parser
	// recurses once per level.
	ConfigDepth = 32
	// AdoptFile is the largest adoption mapping (*.adopt.hcl) read, in
	// bytes: an imported account of 3,000 groups and 63,000 rules maps in
	// about 13 MB.
	AdoptFile = 64 << 20
	// Export is the largest describe-security-groups export read, in bytes.
	Export = 64 << 20
	// TerraformState is the largest Terraform state or plan JSON read
	// (terraform show -json), in bytes: it holds every resource of the
	// configuration, not only security groups.
	TerraformState = 256 << 20
	// Template is the largest CloudFormation template read (get-template),
	// in bytes: CloudFormation's own limit is 1 MB.
	Template = 16 << 20
	// Duration is the longest window a flag or setting may give (--within,
	// expiring_within): a century, far short of where a duration overflows.
	Duration = 36500 * 24 * time.Hour
	// ServicePorts is the most port ranges one service may expand to: AWS
	// allows at most 1,000 rules per group and direction, so a larger
	// service can never be deployed, and expanding chains of services
	// without a bound takes memory quadratic in their length.
	ServicePorts = 1000
	// Rules is the most AWS rules a policy may expand to: 1,000 rules per
	// group in 1,000 groups, far past any deployable account, and at about
	// 200 bytes a rule, a bound on the compiler's memory.
	Rules = 1_000_000
	// NeverChecks is how many rules all never statements together may
	// examine: each examines the rules of the groups on its sides, so a
	// policy of many nevers over "*" and a million rules would otherwise
	// take minutes. Past it the rest are reported unchecked, as an error.
	NeverChecks = 50_000_000
	// Suggestions is how many "did you mean" suggestions one run computes;
	// each compares a name with every declared name, so past this the
	// unknown names are still reported, without suggestions.
	Suggestions = 1000
)

// Limit describes one limit for people.
type Limit struct {
	Name  string // as the README names it
	Value string // as the README writes it
	What  string
}

// All lists the limits, for the README, with values written from the
// constants above.
var All = []Limit{
	{"intent file", mib(IntentFile), "one *.intent file"},
	{"policy", mib(Policy), "all intent files of a policy together"},
	{"sgc.hcl", fmt.Sprintf("%s, nesting %d", mib(ConfigFile), ConfigDepth), "the settings file, and how deeply it may nest brackets"},
	{"adoption mapping", fmt.Sprintf("%s, nesting %d", mib(AdoptFile), ConfigDepth), "one *.adopt.hcl file; like sgc.hcl and tfvars files, literal values only"},
	{"export", mib(Export), "a describe-security-groups export read by import or drift"},
	{"terraform state", mib(TerraformState), "the JSON of a Terraform state or plan read by import --from-terraform"},
	{"template", mib(Template), "a CloudFormation template read by import --from-cloudformation"},
	{"duration", fmt.Sprintf("%dd", Duration/(24*time.Hour)), "--within and expiring_within"},
	{"service", fmt.Sprintf("%d port ranges", ServicePorts), "what one service may expand to (AWS's rules per group)"},
	{"rules", fmt.Sprintf("%d rules", Rules), "what a whole policy may expand to"},
	{"never checks", fmt.Sprintf("%d rules", NeverChecks), "rules examined by all never statements together"},
	{"suggestions", fmt.Sprintf("%d per run", Suggestions), "did-you-mean suggestions computed for unknown names"},
}

func mib(n int) string { return fmt.Sprintf("%d MiB", n>>20) }
