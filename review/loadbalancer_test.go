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
