package lint

import (
	"slices"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// NLBClientIP reports targets of a Network Load Balancer that would not
// see their traffic allowed once the balancer preserves client addresses.
var NLBClientIP = &Check{
	ID: "SG119", Name: "nlb-client-ip", Severity: diag.Warning,
	Title: "Network Load Balancer targets that do not allow the clients' addresses",
	Doc: `A Network Load Balancer preserves the client's IP address for its targets by default (instance
targets, and IP targets of UDP and TCP_UDP listeners; settable per target group). The targets
then see the clients' addresses, not the balancer's: a flow from the balancer's group (marked
load-balancer network) to the targets does not let that traffic in. For each flow from such a
group to a target group, the clients that reach the balancer by address (networks, prefix lists,
internet) must reach the target too; add the flow, or turn client IP preservation off on the
target group (the balancer's group then suffices) and waive the finding with that reason.`,
	Bad:  "group nlb \"Game NLB\" load-balancer network\ngroup game \"Game servers\"\ninternet -> nlb udp/7777 because \"players connect\"\nnlb -> game udp/7777 because \"the NLB forwards game traffic\"",
	Good: "group nlb \"Game NLB\" load-balancer network\ngroup game \"Game servers\"\ninternet -> nlb udp/7777 because \"players connect\"\nnlb -> game udp/7777 because \"the NLB forwards game traffic\"\ninternet -> game udp/7777 because \"players, their addresses preserved by the NLB\"",
	Run: func(p *Pass) {
		// Most policies have no network load balancer: then nothing is
		// indexed (the index of who reaches whom cost a large policy a
		// tenth of its lints).
		if !slices.ContainsFunc(p.Program.Groups, func(g *model.Group) bool { return g.LoadBalancer == model.NetworkLoadBalancer }) {
			return
		}
		flows := p.Program.ActiveFlows()
		type client struct {
			from  model.Endpoint
			proto map[model.Protocol]bool
		}
		clients := map[*model.Group][]client{} // an NLB's group -> who reaches it by address, and over what
		reaches := map[[2]model.Endpoint]bool{}
		for _, f := range flows {
			reaches[[2]model.Endpoint{f.From, f.To}] = true
			if lb, ok := f.To.(*model.Group); ok && lb.LoadBalancer == model.NetworkLoadBalancer {
				switch f.From.(type) {
				case *model.Network, *model.PrefixList:
					clients[lb] = append(clients[lb], client{f.From, protocols(f)})
				}
			}
		}
		for _, f := range flows {
			lb, ok := f.From.(*model.Group)
			target, toGroup := f.To.(*model.Group)
			if !ok || !toGroup || lb.LoadBalancer != model.NetworkLoadBalancer || target == lb {
				continue
			}
			// A listener may forward to another port, but not to another
			// protocol: the clients that matter reach the balancer over a
			// protocol it forwards to the target.
			forwarded := protocols(f)
			var missing []string
			seen := map[string]bool{}
			for _, c := range clients[lb] {
				if !overlap(c.proto, forwarded) {
					continue
				}
				if name := c.from.Declared().Name; !reaches[[2]model.Endpoint{c.from, target}] && !seen[name] {
					seen[name] = true
					missing = append(missing, name)
				}
			}
			if len(missing) == 0 {
				continue
			}
			sort.Strings(missing)
			p.Report(f, f.ToRange(), "%s is a Network Load Balancer's target: with client IP preservation it sees the addresses of %s, which no flow to %s allows",
				target.Name, strings.Join(missing, ", "), target.Name).
				WithSuggestion("Add a flow from %s to %s, or turn client IP preservation off on the target group and waive this with that reason.", strings.Join(missing, " and "), target.Name)
		}
	},
}

// protocols are the protocols of a flow's ports.
func protocols(f *model.Flow) map[model.Protocol]bool {
	out := map[model.Protocol]bool{}
	for _, p := range f.Ports {
		out[p.Protocol] = true
	}
	return out
}

// overlap reports whether a and b share a protocol, all traffic sharing
// every one.
func overlap(a, b map[model.Protocol]bool) bool {
	if a[model.All] || b[model.All] {
		return true
	}
	for p := range a {
		if b[p] {
			return true
		}
	}
	return false
}
