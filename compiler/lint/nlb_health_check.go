package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// NLBHealthCheck reports Network Load Balancers whose own group keeps
// their health checks from reaching the targets.
var NLBHealthCheck = &Check{
	ID: "SG120", Name: "nlb-health-check", Severity: diag.Warning,
	Title: "Network Load Balancer health checks that its group does not let through",
	Doc: `A Network Load Balancer with a security group health-checks its targets from its own addresses,
under its own group (marked load-balancer network), whatever client IP preservation does to the
forwarded traffic: the balancer's group must allow the health checks out, and the targets must
let the balancer's group in. A target group of a UDP listener cannot be health-checked over UDP
(its health checks are TCP, HTTP or HTTPS), so a balancer that forwards only UDP to a target
also needs a TCP flow to it on the health check port. Fires when a balancer that clients reach
has no flow to any target (every target is unhealthy, and nothing is forwarded), and when a flow
from a balancer to a target group carries UDP and no flow lets the balancer reach that group
over TCP.`,
	Bad:  "group nlb \"Game NLB\" load-balancer network\ngroup game \"Game servers\"\ninternet -> nlb udp/7777 because \"players connect\"\nnlb -> game udp/7777 because \"the NLB forwards game traffic\"",
	Good: "group nlb \"Game NLB\" load-balancer network\ngroup game \"Game servers\"\ninternet -> nlb udp/7777 because \"players connect\"\nnlb -> game udp/7777 because \"the NLB forwards game traffic\"\nnlb -> game tcp/8080 because \"NLB health checks\"",
	Run: func(p *Pass) {
		flows := p.Program.ActiveFlows()
		out := map[*model.Group]bool{}                   // balancers with a flow out
		tcp := map[[2]*model.Group]bool{}                // balancer -> target over TCP (or every protocol)
		var firstClient = map[*model.Group]*model.Flow{} // the first flow into each balancer
		for _, f := range flows {
			if lb, ok := f.From.(*model.Group); ok && lb.LoadBalancer == model.NetworkLoadBalancer {
				out[lb] = true
				if target, ok := f.To.(*model.Group); ok {
					if pr := protocols(f); pr[model.TCP] || pr[model.All] {
						tcp[[2]*model.Group{lb, target}] = true
					}
				}
			}
			if lb, ok := f.To.(*model.Group); ok && lb.LoadBalancer == model.NetworkLoadBalancer && f.From != f.To && firstClient[lb] == nil {
				firstClient[lb] = f
			}
		}
		for _, f := range flows {
			if lb, ok := f.To.(*model.Group); ok && firstClient[lb] == f && !out[lb] {
				p.Report(f, f.ToRange(), "%s is a Network Load Balancer's group with no flow out: its health checks and the traffic it forwards cannot reach any target", lb.Name).
					WithSuggestion("Add a flow from %s to its targets on the traffic and health check ports.", lb.Name)
			}
			lb, ok := f.From.(*model.Group)
			target, toGroup := f.To.(*model.Group)
			if !ok || !toGroup || lb.LoadBalancer != model.NetworkLoadBalancer || target == lb {
				continue
			}
			if protocols(f)[model.UDP] && !tcp[[2]*model.Group{lb, target}] {
				p.Report(f, f.ToRange(), "%s forwards UDP to %s, whose health checks run over TCP, HTTP or HTTPS: no flow lets %s reach %s over TCP", lb.Name, target.Name, lb.Name, target.Name).
					WithSuggestion("Add a flow %s -> %s tcp/PORT because \"NLB health checks\", with the target group's health check port.", lb.Name, target.Name)
			}
		}
	},
}
