package review_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
)

// TestNetworkLoadBalancerGroupRemoved: the predicted plan of a change that
// removes a Network Load Balancer's group says to give the balancer
// another group first, in both targets; removing an unmarked group does
// not.
func TestNetworkLoadBalancerGroupRemoved(t *testing.T) {
	const game = "group game \"Game servers\"\ninternet -> game udp/7777 because \"players connect\"\n"
	for _, mark := range []string{" load-balancer network", ""} {
		with := compile(t, map[string][]byte{"p.intent": []byte(game + "group nlb \"Game NLB\"" + mark + "\nnlb -> game udp/7777 because \"the NLB forwards\"\n")})
		without := compile(t, map[string][]byte{"p.intent": []byte(game)})
		for _, target := range []*emit.Target{terraform.Target, cloudformation.Target} {
			warned := strings.Contains(strings.Join(emit.PredictPlan(target, with, without, emit.Options{}).Warnings, "\n"), "Network Load Balancer")
			if warned != (mark != "") {
				t.Errorf("%s, group marked %q: warned %v", target.Name, mark, warned)
			}
		}
	}
}

// TestAssociationsPlanned: a VPC added to a group's also-in is one
// association created, in both targets, and its input a new one every
// caller must pass; one removed, one destroyed; the group itself is
// untouched.
func TestAssociationsPlanned(t *testing.T) {
	one := compile(t, map[string][]byte{"p.intent": []byte("group web \"Web\" also-in vpc-0123456789abcdef0\nweb -> web tcp/443 because \"web calls web\"\n")})
	two := compile(t, map[string][]byte{"p.intent": []byte("group web \"Web\" also-in vpc-0123456789abcdef0, shared\nweb -> web tcp/443 because \"web calls web\"\n")})
	for _, target := range []*emit.Target{terraform.Target, cloudformation.Target} {
		p := emit.PredictPlan(target, one, two, emit.Options{})
		if len(p.Create) != 1 || len(p.Update)+len(p.Replace)+len(p.Destroy) != 0 || !strings.Contains(strings.Join(p.Warnings, "\n"), "is new") {
			t.Errorf("%s: adding a VPC by input: %+v (want one association and the new input said)", target.Name, p)
		}
		if p := emit.PredictPlan(target, two, one, emit.Options{}); len(p.Destroy) != 1 || len(p.Create)+len(p.Replace) != 0 {
			t.Errorf("%s: removing a VPC: %+v", target.Name, p)
		}
	}
}
