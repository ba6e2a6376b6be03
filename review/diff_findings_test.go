package review

import (
	"testing"

	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// TestAddFindings: a finding is new when the new version has it more
// often than the old (by code and message, wherever it moved); errors are
// not findings of a change (diff refuses a version with errors).
func TestAddFindings(t *testing.T) {
	at := func(line int) source.Range { return source.Range{Start: source.Pos{Filename: "p.intent", Line: line}} }
	d := func(code, msg string, line int, sev diag.Severity) *diag.Diagnostic {
		return &diag.Diagnostic{Code: code, Summary: msg, Subject: at(line), Severity: sev}
	}
	old := diag.List{d("SG113", `purpose "tmp"`, 3, diag.Warning)}
	cur := diag.List{d("SG113", `purpose "tmp"`, 4, diag.Warning), d("SG113", `purpose "tmp"`, 9, diag.Warning),
		d("SG101", "db is open", 5, diag.Warning), d("X", "an error", 6, diag.Error)}
	var df Diff
	df.AddFindings(old, cur)
	if len(df.Findings) != 2 || df.Findings[0].Where != "p.intent:9" || df.Findings[1].Code != "SG101" {
		t.Errorf("findings %+v", df.Findings)
	}
}
