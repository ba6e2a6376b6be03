package lint

import (
	"fmt"
	"strings"

	"github.com/sgc-dev/sgc/lang/diag"
)

func orDash(s []string) string {
	if len(s) == 0 {
		return "—"
	}
	return strings.Join(s, ", ")
}

// Describe writes a check's full documentation, as `sgc lints ID` shows it.
func Describe(c *Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s): %s\n\n%s\n\n", c.ID, c.Name, c.Severity, c.Title, c.Doc)
	fmt.Fprintf(&b, "Reported:\n\n%s\n\nNot reported:\n\n%s\n\n", indent(c.Bad), indent(c.Good))
	fmt.Fprintf(&b, "Equivalents: checkov %s; trivy %s; cfn_nag %s\n", orDash(c.Checkov), orDash(c.Trivy), orDash(c.CfnNag))
	if c.Declarations {
		b.WriteString("Waive: not per finding: it reports declarations, and a waiver stands above a flow\n")
	} else {
		fmt.Fprintf(&b, "Waive for one flow:  # sgc:waive %s until YYYY-MM-DD because \"reason\"\n", c.ID)
	}
	fmt.Fprintf(&b, "Change or turn off in sgc.hcl:  lint { severity = { %s = \"off\" } }\n", c.ID)
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}

// Table writes one line per check, as `sgc lints` shows them.
func Table() string {
	var b strings.Builder
	for _, c := range Checks {
		fmt.Fprintf(&b, "%s  %-22s %-8s %s\n", c.ID, c.Name, c.Severity, c.Title)
	}
	return b.String()
}

// MarkdownTable lists the checks for the README, with the equivalent rules
// of checkov, trivy and cfn_nag.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| id | name | default | reports | checkov | trivy | cfn_nag |\n|---|---|---|---|---|---|---|\n")
	for _, c := range Checks {
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %s |\n", c.ID, c.Name, c.Severity, c.Title, orDash(c.Checkov), orDash(c.Trivy), orDash(c.CfnNag))
	}
	return b.String()
}

// SARIFRules describes the checks for SARIF output.
func SARIFRules() []diag.SARIFRule {
	var out []diag.SARIFRule
	for _, id := range sortedIDs() {
		c := Lookup(id)
		out = append(out, diag.SARIFRule{ID: c.ID, Name: c.Name, Short: c.Title, Full: c.Doc,
			HelpText: Describe(c), Level: c.Severity})
	}
	return out
}
