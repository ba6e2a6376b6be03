package lint

import (
	"github.com/sgc-dev/sgc/lang/diag"
)

// ShadowedFlow reports flows whose access other flows already grant.
var ShadowedFlow = &Check{
	ID: "SG106", Name: "shadowed-flow", Severity: diag.Warning,
	Title: "flow already allowed by another flow",
	Doc: `Every rule of this flow is covered by rules of other flows (a wider port range, all
protocols, any ICMP code) that last at least as long. The flow adds nothing but a second
reason; when the wider flow goes, the reviewer may not expect this access to remain.
Remove it, or narrow the other flow.`,
	Bad:  "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5000-6000 because \"app ports\"\nweb -> db tcp/5432 because \"database\"",
	Good: "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"database\"",
	Run:  runShadowed,
}
