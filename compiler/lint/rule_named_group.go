package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/sgc-dev/sgc/lang/diag"
)

// Words that describe rules rather than contents, for RuleNamedGroup.
var (
	ruleWords  = map[string]bool{"allow": true, "allowed": true, "deny": true, "open": true, "permit": true, "access": true, "ssh": true, "rdp": true, "http": true, "https": true, "tcp": true, "udp": true, "icmp": true, "ingress": true, "egress": true, "inbound": true, "outbound": true, "port": true, "ports": true, "rule": true, "rules": true, "any": true}
	wellKnown  = map[string]bool{"21": true, "22": true, "23": true, "25": true, "53": true, "80": true, "443": true, "3389": true}
	trailingNo = regexp.MustCompile(`[-_.](\d+)$`)
)

// RuleNamedGroup reports groups named after what they allow.
var RuleNamedGroup = &Check{
	ID: "SG109", Name: "rule-named-group", Severity: diag.Warning,
	Title: "group named after its rules instead of its contents",
	Doc: `Groups are named after what they contain (game-servers-production), never after what
they allow (allow-https-8443, ssh-access): the rules change, the contents do not, and a
group named after a rule soon allows something else. The name also becomes the AWS group
name, which cannot be changed without replacing the group.`,
	Bad:          "group allow-ssh-22 \"SSH servers\"",
	Good:         "group bastion-hosts \"SSH bastion hosts\"",
	Declarations: true,
	Run: func(p *Pass) {
		for _, g := range p.Program.Groups {
			var why string
			for _, w := range strings.FieldsFunc(strings.ToLower(g.Name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
				if ruleWords[w] {
					why = fmt.Sprintf("%q describes a rule", w)
					break
				}
			}
			if m := trailingNo.FindStringSubmatch(g.Name); why == "" && m != nil {
				if n := atoi(m[1]); wellKnown[m[1]] || (n >= 1024 && n <= 65535 && (n < 1990 || n > 2100)) {
					why = fmt.Sprintf("%q reads as a port", m[1])
				}
			}
			if why != "" {
				p.Report(nil, g.NameRange, "group %q is named after a rule: %s", g.Name, why).
					WithSuggestion("Name the group after what it contains, such as game-servers-production.")
			}
		}
	},
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			return n
		}
	}
	return n
}
