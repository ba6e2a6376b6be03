package live

import (
	"strings"
	"testing"
)

// TestRuleListedTwice: an export that lists one AWS rule twice (two
// descriptions of it) gives one rule, the first, and a problem naming
// both descriptions; rules that differ in anything AWS tells apart stay.
func TestRuleListedTwice(t *testing.T) {
	port := func(p int) *int { return &p }
	pair := func(desc string) Permission {
		return Permission{IpProtocol: "tcp", FromPort: port(5432), ToPort: port(5432),
			UserIdGroupPairs: []UserGroupPair{{GroupID: "sg-00000000000000002", Description: desc}}}
	}
	g := Group{GroupID: "sg-00000000000000001", GroupName: "db", IpPermissions: []Permission{
		pair("app reads"), pair("app writes"),
		{IpProtocol: "tcp", FromPort: port(5433), ToPort: port(5433), UserIdGroupPairs: []UserGroupPair{{GroupID: "sg-00000000000000002"}}},
	}}
	rules, problems := g.Rules()
	if len(rules) != 2 || rules[0].Description != "app reads" {
		t.Fatalf("%d rules (%+v), want the first of the repeated one and the other", len(rules), rules)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), `listed twice (described "app reads" and "app writes")`) {
		t.Errorf("problems: %v", problems)
	}
}
