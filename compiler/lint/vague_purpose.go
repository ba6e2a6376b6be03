package lint

import (
	"iter"
	"strings"

	"github.com/sgc-dev/sgc/lang/diag"
)

// eachWord yields the words of a purpose: the matches of
// [A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*, found by hand because a regexp made
// this check the slowest of all on large policies (TestPurposeWords holds
// the two to the same result), and one by one, without gathering them:
// the check reads 50,000 purposes in a large policy.
func eachWord(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
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
			if !yield(s[start:i]) {
				return
			}
		}
	}
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
		// A purpose longer than every vague word is not one, even after
		// lower-casing, which shortens a letter to a third at most (the
		// Kelvin sign's three bytes to k's one).
		longest := 0
		for _, w := range p.Config.VagueWords {
			vague[strings.ToLower(w)] = true
			longest = max(longest, len(w))
		}
		// The marks a vague word list can hold, in the order they are
		// looked for in a word.
		var marks []string
		for _, m := range []string{"todo", "tbd", "fixme", "xxx"} {
			if vague[m] {
				marks = append(marks, m)
			}
		}
		for f := range p.Program.Active() {
			if t := strings.TrimSpace(f.Purpose); len(t) <= 3*longest && vague[strings.ToLower(t)] {
				p.Report(f, f.PurposeRange(), "purpose %q does not say why the flow exists", f.Purpose)
				continue
			}
			n, marked := 0, ""
			for w := range eachWord(f.Purpose) {
				n++
				if marked == "" {
					for _, m := range marks {
						if strings.EqualFold(w, m) {
							marked = w
							break
						}
					}
				}
			}
			switch {
			case n < p.Config.MinPurposeWords:
				p.Report(f, f.PurposeRange(), "purpose %q is too short to audit", f.Purpose).
					WithDetail("A purpose has at least %d words.", p.Config.MinPurposeWords)
			case marked != "":
				p.Report(f, f.PurposeRange(), "purpose %q is marked %s", f.Purpose, marked)
			}
		}
	},
}
