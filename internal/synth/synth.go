// Package synth generates synthetic policies that compile cleanly: role-
// named groups, IPv4 and IPv6 networks, prefix lists, externals with and
// without ids, services, and a realistic mix of group-to-group, self,
// CIDR, prefix-list and external flows, some temporary. The same Config
// always gives the same policy, so property tests and benchmarks are
// reproducible.
package synth

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
)

// Config sizes a synthetic policy.
type Config struct {
	Groups int   // managed groups, at least 1
	Flows  int   // flows; fewer when the groups cannot carry that many distinct ones
	Seed   int64 // the same seed gives the same policy
	// GroupsPerFile spreads the policy over files of this many groups each
	// (0: one file).
	GroupsPerFile int
}

var (
	roles = []string{"web", "api", "worker", "db", "cache", "queue", "batch", "search", "auth", "billing",
		"gateway", "ingest", "reports", "scheduler", "ledger", "media", "notify", "profile", "catalog", "checkout"}
	envs  = []string{"production", "staging", "sandbox"}
	verbs = []string{"reads from", "writes to", "calls", "bills ${ops-42} for", "reports ${AWS::StackName} to", "streams to", "syncs with", "health-checks", "pushes metrics to"}
)

// flowKey identifies a flow's rules well enough to keep generated flows
// from producing the same AWS rule twice.
type flowKey struct {
	from, to string
	port     string
}

// adminPort reports whether a generated tcp/N port is one the lints treat
// as an administration port, which generated flows avoid.
func adminPort(ports string) bool {
	for _, p := range []string{"tcp/11211", "tcp/27017", "tcp/27018", "tcp/50070"} {
		if ports == p {
			return true
		}
	}
	return false
}

// Generate returns the policy's files by name.
func Generate(cfg Config) map[string][]byte {
	if cfg.Groups < 1 {
		cfg.Groups = 1
	}
	r := rand.New(rand.NewSource(cfg.Seed))
	groups := make([]string, cfg.Groups)
	for i := range groups {
		groups[i] = fmt.Sprintf("%s-%s-n%d", roles[i%len(roles)], envs[(i/len(roles))%len(envs)], i)
	}
	nNet := 1 + cfg.Groups/4
	nPL := 1 + cfg.Groups/20
	nExt := 1 + cfg.Groups/10
	nSvc := 1 + cfg.Groups/5

	var decls []string
	nets := make([]string, nNet)
	ipv4Only := map[string]bool{} // networks icmpv6 cannot apply to
	for i := range nets {
		nets[i] = fmt.Sprintf("net-%d", i)
		cidrs := []string{fmt.Sprintf("10.%d.%d.0/24", (i/256)%256, i%256)}
		if i%3 == 0 {
			cidrs = append(cidrs, fmt.Sprintf("2001:db8:%x::/48", i%65536))
		} else {
			ipv4Only[nets[i]] = true
		}
		if i%5 == 1 {
			cidrs = append(cidrs, fmt.Sprintf("172.%d.%d.%d", 16+(i/65536)%16, (i/256)%256, i%256))
		}
		decls = append(decls, fmt.Sprintf("network %s %s \"Partner network %d\"", nets[i], strings.Join(cidrs, ", "), i))
	}
	pls := make([]string, nPL)
	for i := range pls {
		pls[i] = fmt.Sprintf("pl-%d", i)
		max := ""
		if i%2 == 0 {
			max = fmt.Sprintf(" max-entries %d", 1+i%5)
		}
		decls = append(decls, fmt.Sprintf("prefix-list %s pl-%08x%s \"Managed prefix list %d\"", pls[i], 0x1000+i, max, i))
	}
	exts := make([]string, nExt)
	for i := range exts {
		exts[i] = fmt.Sprintf("ext-%d", i)
		id := ""
		if i%2 == 0 {
			id = fmt.Sprintf(" sg-%017x", 0xabc000+i)
		}
		decls = append(decls, fmt.Sprintf("external %s%s \"Group of team %d\"", exts[i], id, i))
	}
	svcs := make([]string, nSvc)
	svcPorts := make([]string, nSvc)
	for i := range svcs {
		svcs[i] = fmt.Sprintf("svc-%d", i)
		svcPorts[i] = fmt.Sprintf("tcp/%d", 8000+i)
		decls = append(decls, fmt.Sprintf("service %s %s", svcs[i], svcPorts[i]))
	}

	fileOf := func(group int) int {
		if cfg.GroupsPerFile <= 0 {
			return 0
		}
		return group / cfg.GroupsPerFile
	}
	body := map[int][]string{}
	for i, g := range groups {
		facing := ""
		if i%10 == 0 {
			facing = " internet-facing"
		}
		body[fileOf(i)] = append(body[fileOf(i)], fmt.Sprintf("group %s \"%s servers, %s\"%s", g, roles[i%len(roles)], envs[(i/len(roles))%len(envs)], facing))
	}

	seen := map[flowKey]bool{}
	// flowsOn counts the flows each name takes part in, to keep every group
	// well under AWS's rules-per-group quota (a flow gives up to 3 rules per side).
	flowsOn := map[string]int{}
	const maxFlowsPerGroup = 18
	pick := func(xs []string) string { return xs[r.Intn(len(xs))] }
	for n, tries := 0, 0; n < cfg.Flows && tries < cfg.Flows*20; tries++ {
		gi := r.Intn(len(groups))
		g := groups[gi]
		var from, to, ports string
		switch k := r.Intn(100); {
		case k < 45: // group to group
			from, to = g, pick(groups)
		case k < 52: // self
			from, to = g, g
		case k < 67: // network to group
			from, to = pick(nets), g
		case k < 75: // group to prefix list
			from, to = g, pick(pls)
		case k < 83: // external to group, or group to external
			if r.Intn(2) == 0 {
				from, to = pick(exts), g
			} else {
				from, to = g, pick(exts)
			}
		case k < 88: // internet
			if gi%10 == 0 {
				from, to = "internet", g
			} else {
				from, to = g, "internet"
			}
		default: // group to network
			from, to = g, pick(nets)
		}
		switch k := r.Intn(100); {
		case k < 50:
			ports = fmt.Sprintf("tcp/%d", 10000+r.Intn(55000)) // clear of the services' 8000s
		case k < 60:
			lo := 10000 + r.Intn(55000)
			ports = fmt.Sprintf("tcp/%d-%d", lo, lo+1+r.Intn(100))
		case k < 75:
			i := r.Intn(len(svcs))
			if seen[flowKey{from, to, svcPorts[i]}] {
				continue
			}
			seen[flowKey{from, to, svcPorts[i]}] = true
			ports = svcs[i]
		case k < 85:
			ports = fmt.Sprintf("udp/%d", 1024+r.Intn(60000))
		case k < 90:
			ports = pick([]string{"icmp/echo-request", "icmp/3:4", "icmpv6/128", "icmp/all", "icmp/11", "icmpv6/1:3", "icmpv6/all"})
		case k < 93:
			ports = pick([]string{"proto/50", "proto/47"})
		case k < 96:
			ports = fmt.Sprintf("tcp/%d,%d", 1+r.Intn(500), 600+r.Intn(400))
		default:
			ports = "all"
		}
		if strings.HasPrefix(ports, "icmpv6/") && (ipv4Only[from] || ipv4Only[to]) {
			ports = "icmp/" + strings.TrimPrefix(ports, "icmpv6/") // icmpv6 applies to IPv6 blocks only
		}
		if from == "internet" {
			// Keep the policy free of error-level findings: the internet
			// reaches internet-facing groups on web ports only.
			ports = pick([]string{"tcp/443", "tcp/80", "tcp/8443"})
		}
		if adminPort(ports) || flowsOn[from] >= maxFlowsPerGroup || flowsOn[to] >= maxFlowsPerGroup {
			continue
		}
		if seen[flowKey{from, to, ports}] {
			continue
		}
		seen[flowKey{from, to, ports}] = true
		flowsOn[from]++
		if to != from {
			flowsOn[to]++
		}
		until := ""
		if r.Intn(10) == 0 {
			until = fmt.Sprintf(" until 2027-%02d-%02d", 1+r.Intn(12), 1+r.Intn(28))
		}
		line := fmt.Sprintf("%s -> %s %s because \"%s %s %s, flow %d\"%s", from, to, ports, from, pick(verbs), to, n, until)
		body[fileOf(gi)] = append(body[fileOf(gi)], line)
		n++
	}

	files := map[string][]byte{}
	files["shared.intent"] = []byte(strings.Join(decls, "\n") + "\n")
	keys := make([]int, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		files[fmt.Sprintf("groups-%04d.intent", k)] = []byte(strings.Join(body[k], "\n") + "\n")
	}
	return files
}
