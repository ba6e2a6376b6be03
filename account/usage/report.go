package usage

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Options shape a report.
type Options struct {
	// UnusedFor is how long a flow must have carried nothing to be a
	// removal candidate (0: DefaultUnusedFor).
	UnusedFor time.Duration
	// Top is how many peers each entry names (0: 3).
	Top int
}

// DefaultUnusedFor is the window after which a flow without traffic is a
// removal candidate.
const DefaultUnusedFor = 30 * 24 * time.Hour

// Report is the evidence of a policy's use, section by section.
type Report struct {
	From, To  time.Time // the window the records cover
	UnusedFor Duration  `json:"unused_for"`
	Stats     Stats
	// Partial is set when the logs cover less than UnusedFor: the flows
	// in Unused carried nothing in them, which is less than asked.
	Partial     bool
	Flows       []FlowUsage // every active flow with rules, in the policy's order
	Unused      []FlowUsage // flows without traffic for UnusedFor: removal candidates
	Narrow      []Narrowing // networks far wider than what talked
	Unexplained []Traffic   // accepted traffic no flow allows: another group's, or drift
	Rejected    []Traffic   // refused traffic, by destination and port
	// Unverifiable counts accepted records only a rule to a prefix list or
	// an external group could allow; Others records of interfaces that
	// carry none of the policy's groups.
	Unverifiable, Others int
}

// Duration is a time.Duration written in days in JSON and text.
type Duration time.Duration

// MarshalText writes the duration in days: "30d".
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(fmt.Sprintf("%dd", time.Duration(d)/(24*time.Hour))), nil
}

// FlowUsage is the evidence of one flow.
type FlowUsage struct {
	Key       string     `json:"key"` // model.Flow.Key: its ends and ports
	At        string     `json:"at"`  // file:line of the flow
	Purpose   string     `json:"purpose"`
	Records   int64      `json:"records"`
	Bytes     int64      `json:"bytes"`
	Responses int64      `json:"responses,omitempty"`
	First     *time.Time `json:"first_seen,omitempty"`
	Last      *time.Time `json:"last_seen,omitempty"`
	TopPeers  []Peer     `json:"top_peers,omitempty"`
}

// Peer is an address and how many records it had.
type Peer struct {
	Addr    string `json:"address"`
	Records int64  `json:"records"`
}

// Narrowing suggests a narrower network for a flow, as an edit of the
// policy that keeps the flow's purpose.
type Narrowing struct {
	Flow    string   `json:"flow"`
	At      string   `json:"at"`
	Network string   `json:"network"`
	Blocks  []string `json:"network_blocks"` // what the network says
	Seen    []string `json:"seen_blocks"`    // the /24s (IPv4) or /64s (IPv6) that talked
	Edit    string   `json:"edit"`           // the statements that would replace the flow
}

// Traffic is a group of records the policy does not explain, or refused.
type Traffic struct {
	Group     string     `json:"group"`
	Direction string     `json:"direction"`
	Port      string     `json:"port"` // tcp/443, udp/53, icmp, proto/50
	Records   int64      `json:"records"`
	Bytes     int64      `json:"bytes"`
	First     *time.Time `json:"first_seen"`
	Last      *time.Time `json:"last_seen"`
	TopPeers  []Peer     `json:"top_peers"`
}

// Report turns what was folded in into the report.
func (a *Analyzer) Report(st Stats, opts Options) Report {
	if opts.UnusedFor == 0 {
		opts.UnusedFor = DefaultUnusedFor
	}
	if opts.Top == 0 {
		opts.Top = 3
	}
	rep := Report{Stats: st, UnusedFor: Duration(opts.UnusedFor), Unverifiable: a.unverifiable, Others: a.others}
	if a.to > 0 {
		rep.From, rep.To = time.Unix(a.from, 0).UTC(), time.Unix(a.to, 0).UTC()
	}
	rep.Partial = rep.To.Sub(rep.From) < opts.UnusedFor
	cutoff := a.to - int64(opts.UnusedFor/time.Second)
	withRules := map[*model.Flow]bool{}
	for _, r := range a.prog.Rules {
		withRules[r.Flow] = true
	}
	for _, f := range a.prog.ActiveFlows() {
		if !withRules[f] {
			continue
		}
		u := FlowUsage{Key: f.Key(), At: at(f), Purpose: f.Purpose}
		t := a.flows[f]
		if t != nil {
			u.Records, u.Bytes, u.Responses = t.Records, t.Bytes, t.Responses
			u.First, u.Last = stamp(t.First), stamp(t.Last)
			u.TopPeers = t.top(opts.Top)
		}
		rep.Flows = append(rep.Flows, u)
		if t == nil || t.Last < cutoff {
			rep.Unused = append(rep.Unused, u)
		}
		if t != nil {
			if n, ok := narrowing(f, t); ok {
				rep.Narrow = append(rep.Narrow, n)
			}
		}
	}
	rep.Unexplained = traffic(a.unexplained, opts.Top)
	rep.Rejected = traffic(a.rejected, opts.Top)
	return rep
}

func stamp(sec int64) *time.Time {
	if sec == 0 {
		return nil
	}
	t := time.Unix(sec, 0).UTC()
	return &t
}

func at(f *model.Flow) string {
	return fmt.Sprintf("%s:%d", f.Range.Start.Filename, f.Range.Start.Line)
}

// top returns the n peers with the most records (ties by address).
func (t *Tally) top(n int) []Peer {
	type pc struct {
		a netip.Addr
		c int64
	}
	all := make([]pc, 0, len(t.peers))
	for a, c := range t.peers {
		all = append(all, pc{a, c})
	}
	slices.SortFunc(all, func(x, y pc) int {
		if c := cmp.Compare(y.c, x.c); c != 0 {
			return c
		}
		return x.a.Compare(y.a)
	})
	var out []Peer
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, Peer{all[i].a.String(), all[i].c})
	}
	return out
}

func traffic(m map[trafficKey]*Tally, top int) []Traffic {
	var out []Traffic
	for k, t := range m {
		port := protoName(k.Protocol)
		if k.Port >= 0 {
			port = fmt.Sprintf("%s/%d", port, k.Port)
		}
		out = append(out, Traffic{Group: k.Group, Direction: k.Direction.String(), Port: port, Records: t.Records, Bytes: t.Bytes,
			First: stamp(t.First), Last: stamp(t.Last), TopPeers: t.top(top)})
	}
	slices.SortFunc(out, func(x, y Traffic) int {
		if c := cmp.Compare(y.Records, x.Records); c != 0 {
			return c
		}
		return cmp.Compare(x.Group+" "+x.Direction+" "+x.Port, y.Group+" "+y.Direction+" "+y.Port)
	})
	return out
}

func protoName(p int) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1:
		return "icmp"
	case 58:
		return "icmpv6"
	}
	return fmt.Sprintf("proto/%d", p)
}

// narrowing suggests a narrower network for a flow whose network is far
// wider than its peers: at most 8 seen /24s (IPv4) or /64s (IPv6) that
// together cover at most a sixteenth of the network's blocks.
func narrowing(f *model.Flow, t *Tally) (Narrowing, bool) {
	n, ok := f.From.(*model.Network)
	if !ok || n.Predeclared {
		n, ok = f.To.(*model.Network)
	}
	if !ok || n.Predeclared || t.peersDropped > 0 {
		return Narrowing{}, false
	}
	seen := map[netip.Prefix]bool{}
	var size, covered float64
	for _, c := range n.CIDRs {
		size += blockSize(c)
	}
	for a := range t.peers {
		bits := 24
		if a.Is6() {
			bits = 64
		}
		p, _ := a.Prefix(bits)
		for _, c := range n.CIDRs {
			if c.Contains(a) && c.Bits() < bits && !seen[p] {
				seen[p] = true
				covered += blockSize(p)
			}
		}
	}
	if len(seen) == 0 || len(seen) > 8 || covered*16 > size {
		return Narrowing{}, false
	}
	var blocks, seenBlocks []string
	for _, c := range n.CIDRs {
		blocks = append(blocks, c.String())
	}
	for p := range seen {
		seenBlocks = append(seenBlocks, p.String())
	}
	slices.Sort(seenBlocks)
	name := n.Name + "-seen"
	from, to := f.From.Declared().Name, f.To.Declared().Name
	if f.From == model.Endpoint(n) {
		from = name
	} else {
		to = name
	}
	edit := fmt.Sprintf("network %s %s %s\n%s -> %s %s because %s", name, strings.Join(seenBlocks, ", "),
		quote(trimDesc(n.Description+", the blocks seen in flow logs")), from, to, model.PortsString(f.Ports), quote(f.Purpose))
	return Narrowing{Flow: f.Key(), At: at(f), Network: n.Name, Blocks: blocks, Seen: seenBlocks, Edit: edit}, true
}

// blockSize is the number of addresses of a block, as a float (an IPv6
// block's is past any integer); IPv6 blocks count in /64s.
func blockSize(p netip.Prefix) float64 {
	if p.Addr().Is4() {
		return float64(uint64(1) << (32 - p.Bits()))
	}
	if p.Bits() >= 64 {
		return 1
	}
	return float64(uint64(1) << (64 - p.Bits()))
}

// quote writes s as an intent string: between double quotes, with the
// two escapes the language has.
func quote(s string) string { return `"` + quoteEscapes.Replace(s) + `"` }

// quoteEscapes are the language's two escapes (a Replacer made once, not
// once a string).
var quoteEscapes = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func trimDesc(s string) string {
	if len(s) > 255 {
		return s[:255]
	}
	return s
}
