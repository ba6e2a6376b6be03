package review_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/review"
)

// TestRenameWithFormerly: renaming a group with formerly is the same AWS
// group: diff calls it renamed, widens nothing, and each target's plan
// changes the group in place (its Name tag) and nothing else; without
// formerly the group is replaced, and diff says how to keep it.
func TestRenameWithFormerly(t *testing.T) {
	const v1 = "group cache-payments-production \"Payment session cache\"\ngroup app \"Application servers\"\n\napp -> cache-payments-production tcp/6379 because \"the app keeps sessions in the cache\"\n"
	v2 := strings.NewReplacer("group cache-payments-production \"Payment session cache\"", "group redis-payments-production \"Payment session cache\" formerly cache-payments-production",
		"-> cache-payments-production", "-> redis-payments-production").Replace(v1)
	old := compile(t, map[string][]byte{"p.intent": []byte(v1)})
	cur := compile(t, map[string][]byte{"p.intent": []byte(v2)})
	d := review.Compare(old, cur)
	if len(d.Widened)+len(d.Narrowed) > 0 || len(d.Groups) != 1 || d.Groups[0].Kind != "renamed" {
		t.Errorf("diff: %+v", d)
	}
	for _, target := range []*emit.Target{terraform.Target, cloudformation.Target} {
		for _, split := range []bool{false, true} {
			if split && target == terraform.Target {
				continue
			}
			p := emit.PredictPlan(target, old, cur, emit.Options{Split: split})
			if len(p.Create)+len(p.Replace)+len(p.Destroy) > 0 || len(p.Update) != 1 || len(p.Warnings) > 0 {
				t.Errorf("%s (split %v) plan: %+v", target.Name, split, p)
			}
		}
	}
	without := strings.ReplaceAll(v2, " formerly cache-payments-production", "")
	d = review.Compare(old, compile(t, map[string][]byte{"p.intent": []byte(without)}))
	if len(d.Groups) != 1 || d.Groups[0].Kind != "replaced" || !strings.Contains(d.Groups[0].Detail, "formerly cache-payments-production") {
		t.Errorf("without formerly: %+v", d.Groups)
	}
}

// TestWhyNamesAnExpiredFlow: access a flow allowed until yesterday is
// denied today, and why says which flow it was and when it ended.
func TestWhyNamesAnExpiredFlow(t *testing.T) {
	p := compile(t, map[string][]byte{"p.intent": []byte("group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"the migration\" until 2026-05-31\n")})
	src, _ := review.ParseParty(p, "web")
	dst, _ := review.ParseParty(p, "db")
	a := review.Why(p, src, dst, []model.Port{{Protocol: model.TCP, From: 5432, To: 5432}})
	var b strings.Builder
	a.WriteText(&b)
	if a.Allowed || len(a.Expired) != 1 || !strings.Contains(b.String(), "expired on 2026-05-31") {
		t.Errorf("why:\n%s", b.String())
	}
}
