package lint

import (
	"strings"

	"github.com/sgc-dev/sgc/lang/diag"
)

// purposeWords returns the words of a purpose: the matches of
// [A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*, found by hand because a regexp made
// this check the slowest of all on large policies (TestPurposeWords holds
// the two to the same result).
func purposeWords(s string) []string {
	var words []string
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		start := i
		for i < len(s) && isAlnum(s[i]) {
			i++
		}
		for i+1 < len(s) && (s[i] == '-' || s[i] == '\'') && isAlnum(s[i+1]) {
			i++
			for i < len(s) && isAlnum(s[i]) {
				i++
			}
		}
		words = append(words, s[start:i])
	}
	return words
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// VaguePurpose reports purposes too vague to audit.
var VaguePurpose = &Check{
	ID: "SG113", Name: "vague-purpose", Severity: diag.Warning,
	Title: "purpose too vague to audit",
	Doc: `The purpose becomes the rule's description in AWS and is what an auditor reads. "TODO",
"test", "temp", "access" or a single word do not say why the access exists. Say who needs
it for what. The words and the minimum length are configurable (vague_words,
min_purpose_words).`,
	Bad:     "web -> db tcp/5432 because \"TODO\"",
	Good:    "web -> db tcp/5432 because \"orders and catalogue queries\"",
	Checkov: []string{"CKV_AWS_23"}, Trivy: []string{"AVD-AWS-0124"}, CfnNag: []string{"W36"},
	Run: func(p *Pass) {
		vague := map[string]bool{}
		for _, w := range p.Config.VagueWords {
			vague[strings.ToLower(w)] = true
		}
		for _, f := range p.Program.ActiveFlows() {
			words := purposeWords(f.Purpose)
			switch {
			case vague[strings.ToLower(strings.TrimSpace(f.Purpose))]:
				p.Report(f, f.PurposeRange, "purpose %q does not say why the flow exists", f.Purpose)
			case len(words) < p.Config.MinPurposeWords:
				p.Report(f, f.PurposeRange, "purpose %q is too short to audit", f.Purpose).
					WithDetail("A purpose has at least %d words.", p.Config.MinPurposeWords)
			default:
				for _, w := range words {
					if lw := strings.ToLower(w); vague[lw] && (lw == "todo" || lw == "tbd" || lw == "fixme" || lw == "xxx") {
						p.Report(f, f.PurposeRange, "purpose %q is marked %s", f.Purpose, w)
						break
					}
				}
			}
		}
	},
}
