package lint

import (
	"github.com/sgc-dev/sgc/lang/diag"
)

// UnusedWaiver reports waivers that waive nothing. It is applied by Run
// itself, after the other checks.
var UnusedWaiver = &Check{
	ID: "SG190", Name: "unused-waiver", Severity: diag.Warning,
	Title: "waiver that waives nothing",
	Doc: `A waiver whose finding is gone (the flow was fixed) or that names no check keeps a
stale exception in the file. Delete it. Expired waivers are not reported here: they stop
waiving, and the finding they waived comes back with a note.`,
	Bad:  "# sgc:waive SG101 until 2027-01-31 because \"partner callbacks\"\npartner -> app tcp/8443 because \"partner callbacks\"",
	Good: "partner -> app tcp/8443 because \"partner callbacks\"",
	Run:  func(*Pass) {},
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
