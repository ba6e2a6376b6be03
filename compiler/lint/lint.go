// Package lint finds what AWS would accept and you would regret: open
// ingress, allow-all egress, wide ranges, groups named after rules, rules
// nobody can justify, temporary access that never ends, quotas exceeded.
//
// Each check is a documented package-level value with a stable id (SG101,
// ...), like a go/analysis Analyzer; Checks is the one list of them. A
// check reports through a Pass; findings about a flow can be waived, for a
// reason and until a date, by a `# sgc:waive` directive before the flow.
package lint

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Check is one lint.
type Check struct {
	ID       string        // stable: "SG101"
	Name     string        // short and kebab-case: "open-ingress"
	Title    string        // one line: what it reports
	Severity diag.Severity // default severity
	Doc      string        // why it matters and what to do
	Bad      string        // a policy that fires it
	Good     string        // the same intent, written so it does not
	// Equivalents names the matching rules of other IaC scanners.
	Checkov, Trivy, CfnNag []string
	// Declarations is set for a check that reports declarations, not
	// flows: a waiver stands above a flow, so its findings cannot be
	// waived, only changed or turned off in sgc.hcl.
	Declarations bool
	Run          func(*Pass)
}

// Config adjusts the checks. The zero value is not valid; start from
// DefaultConfig.
type Config struct {
	// Severity overrides a check's default severity by id; Invalid turns
	// the check off.
	Severity map[string]diag.Severity
	// WideCIDRPrefix: a source block with a prefix shorter than this is
	// wide (SG104). IPv6 blocks are judged at WideCIDRPrefix+32.
	WideCIDRPrefix int
	// ExpiringWithin: temporary flows ending within it are reported (SG108).
	ExpiringWithin time.Duration
	// Quota is AWS's rules-per-group-and-direction quota (SG110).
	Quota int
	// AdminPorts are the administration and database ports that must not
	// be open to the internet (SG102).
	AdminPorts []int
	// VagueWords are purposes, or words of purposes, too vague to audit (SG113).
	VagueWords []string
	// MinPurposeWords is the fewest words a purpose may have (SG113).
	MinPurposeWords int
	// WidePortRange: a range between groups of more ports than this is wide (SG115).
	WidePortRange int
	// DefaultMaxEntries is what a prefix list without max-entries is counted
	// as against the quota (SG110).
	DefaultMaxEntries int
	// GroupsPerInterface is how many groups the account attaches to one
	// network interface (SG118).
	GroupsPerInterface int
	// UnusedFor: a flow the flow logs show unused this long is reported
	// (SG121), given the evidence in Usage (nil: the check says nothing).
	UnusedFor time.Duration
	Usage     *Usage
}

// DefaultConfig returns the settings used without an sgc.hcl.
func DefaultConfig() Config {
	return Config{
		Severity:       map[string]diag.Severity{},
		WideCIDRPrefix: 16,
		ExpiringWithin: 14 * 24 * time.Hour,
		Quota:          60,
		AdminPorts: []int{20, 21, 22, 23, 135, 137, 139, 445, 1433, 1521, 2375, 2376, 3306, 3389, 5432, 5601,
			5900, 5984, 6379, 7000, 7001, 8020, 8086, 8888, 9042, 9160, 9200, 9300, 11211, 27017, 27018, 50070},
		VagueWords:         []string{"todo", "tbd", "fixme", "xxx", "test", "testing", "temp", "temporary", "misc", "stuff", "needed", "required", "access", "allow", "open", "whatever", "n/a", "na", "none", "?"},
		MinPurposeWords:    2,
		WidePortRange:      1000,
		DefaultMaxEntries:  1,
		GroupsPerInterface: 5,
		UnusedFor:          90 * 24 * time.Hour,
	}
}

// Pass is what a check sees: the program, the settings, and a way to report.
type Pass struct {
	Program *model.Program
	Config  *Config
	check   *Check
	found   []finding
}

type finding struct {
	d    *diag.Diagnostic
	flow *model.Flow // nil for findings about declarations
}

// Report records a finding at r. When flow is not nil, the finding is about
// that flow and a waiver before it can waive it.
func (p *Pass) Report(flow *model.Flow, r source.Range, format string, args ...any) *diag.Diagnostic {
	d := &diag.Diagnostic{Code: p.check.ID, Severity: p.check.Severity, Subject: r, Summary: fmt.Sprintf(format, args...)}
	p.found = append(p.found, finding{d, flow})
	return d
}

// Result is what a lint run found.
type Result struct {
	Diags diag.List
	// Waived lists the findings that waivers suppressed, with the waiver.
	Waived []Waived
}

// Waived is a finding a waiver suppressed.
type Waived struct {
	Finding *diag.Diagnostic
	Waiver  model.Waiver
}

// Run runs checks on p. Findings are waived by a flow's unexpired waivers;
// waivers that waive nothing, or name no check, are findings themselves.
func Run(p *model.Program, checks []*Check, cfg Config) Result {
	var res Result
	known := map[string]bool{}
	for _, c := range Checks {
		known[c.ID] = true
	}
	type waiverKey struct {
		flow *model.Flow
		i    int
	}
	used := map[waiverKey]bool{}
	// The checks only read the program: run them side by side, then take
	// their findings in check order, so the result does not depend on
	// which finished first.
	passes := make([]*Pass, len(checks))
	for i, c := range checks {
		sev := c.Severity
		if s, ok := cfg.Severity[c.ID]; ok {
			sev = s
		}
		if sev == diag.Invalid {
			continue // turned off
		}
		cc := *c
		cc.Severity = sev
		passes[i] = &Pass{Program: p, Config: &cfg, check: &cc}
	}
	parallel.Each(len(passes), func(i int) {
		if pass := passes[i]; pass != nil {
			pass.check.Run(pass)
		}
	})
	for i, c := range checks {
		pass := passes[i]
		if pass == nil {
			continue
		}
	findings:
		for _, f := range pass.found {
			if f.flow != nil {
				var expired []string
				for i, w := range f.flow.Waivers {
					if !contains(w.IDs, c.ID) {
						continue
					}
					if w.Expired {
						expired = append(expired, w.Until.Format("2006-01-02"))
						continue
					}
					used[waiverKey{f.flow, i}] = true
					res.Waived = append(res.Waived, Waived{f.d, w})
					continue findings
				}
				if len(expired) > 0 {
					f.d.Detail = strings.TrimSpace(f.d.Detail + fmt.Sprintf(" A waiver for %s expired on %s.", c.ID, strings.Join(expired, ", ")))
				}
			}
			res.Diags = append(res.Diags, f.d)
		}
	}
	// Waivers that waived nothing. A waiver for a check that is turned off
	// or not run is not reported: nothing could have used it.
	ran := map[string]bool{}
	for _, c := range checks {
		if s, ok := cfg.Severity[c.ID]; !ok || s != diag.Invalid {
			ran[c.ID] = true
		}
	}
	sev := UnusedWaiver.Severity
	if s, ok := cfg.Severity[UnusedWaiver.ID]; ok {
		sev = s
	}
	if sev != diag.Invalid {
		for _, f := range p.Flows {
			for i, w := range f.Waivers {
				if w.Expired || used[waiverKey{f, i}] {
					continue
				}
				for _, id := range w.IDs {
					switch {
					case !known[id]:
						res.Diags = append(res.Diags, &diag.Diagnostic{Code: UnusedWaiver.ID, Severity: sev, Subject: w.Range,
							Summary: fmt.Sprintf("waiver names %s, which is not a check", id), Suggestion: suggestID(id)})
					case ran[id]:
						res.Diags = append(res.Diags, &diag.Diagnostic{Code: UnusedWaiver.ID, Severity: sev, Subject: w.Range,
							Summary: fmt.Sprintf("waiver for %s waives nothing", id),
							Detail:  "The flow below it has no such finding (any more). Delete the waiver."})
					}
				}
			}
		}
	}
	res.Diags.Sort()
	return res
}

func suggestID(id string) string {
	var ids []string
	for _, c := range Checks {
		ids = append(ids, c.ID)
	}
	if s := diag.Suggest(id, ids); s != "" {
		return fmt.Sprintf("Did you mean %q?", s)
	}
	return "Run 'sgc lints' for the list of checks."
}

func contains(xs []string, x string) bool {
	for _, e := range xs {
		if e == x {
			return true
		}
	}
	return false
}

// Lookup returns the check with the given id or name, or nil.
func Lookup(idOrName string) *Check {
	for _, c := range Checks {
		if strings.EqualFold(c.ID, idOrName) || c.Name == idOrName {
			return c
		}
	}
	return nil
}

// sortedIDs is used by docs and SARIF for a stable order.
func sortedIDs() []string {
	var ids []string
	for _, c := range Checks {
		ids = append(ids, c.ID)
	}
	sort.Strings(ids)
	return ids
}

// Helpers shared by the checks.

// isInternet reports whether e is the predeclared internet.
func isInternet(e model.Endpoint) bool {
	n, ok := e.(*model.Network)
	return ok && n.Predeclared
}

// openToWorld reports whether a network holds 0.0.0.0/0 or ::/0.
func openToWorld(e model.Endpoint) bool {
	n, ok := e.(*model.Network)
	if !ok {
		return false
	}
	for _, c := range n.CIDRs {
		if c.Bits() == 0 {
			return true
		}
	}
	return false
}

// betweenGroups reports whether both sides of a flow are groups of the policy.
func betweenGroups(f *model.Flow) bool {
	_, a := f.From.(*model.Group)
	_, b := f.To.(*model.Group)
	return a && b
}

// fromInternet reports whether a flow lets every address reach a group.
func fromInternet(f *model.Flow) bool {
	_, ok := f.To.(*model.Group)
	return ok && openToWorld(f.From)
}

// portCount is how many ports a port covers; all protocols count as every port.
func portCount(p model.Port) int {
	switch p.Protocol {
	case model.TCP, model.UDP:
		return p.To - p.From + 1
	case model.All:
		return 65536
	}
	return 1
}
