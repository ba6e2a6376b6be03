package review

import (
	"fmt"

	"github.com/sgc-dev/sgc/lang/diag"
)

// Finding is a lint finding (or warning) the new version has and the old
// did not: what a review of the change must look at.
type Finding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Where    string `json:"where"` // file:line in the new version
}

// AddFindings adds to d the findings of the new version's diagnostics that
// the old version's do not have. A finding is the same when its code and
// message are (positions move with every edit above it); one that appears
// more often than before is new as often as it appears more.
func (d *Diff) AddFindings(old, new diag.List) {
	had := map[string]int{}
	for _, x := range old {
		if x.Severity != diag.Error {
			had[x.Code+"\x00"+x.Summary]++
		}
	}
	for _, x := range new {
		if x.Severity == diag.Error {
			continue
		}
		k := x.Code + "\x00" + x.Summary
		if had[k] > 0 {
			had[k]--
			continue
		}
		d.Findings = append(d.Findings, Finding{Code: x.Code, Severity: x.Severity.String(), Message: x.Summary,
			Where: fmt.Sprintf("%s:%d", x.Subject.Start.Filename, x.Subject.Start.Line)})
	}
}
