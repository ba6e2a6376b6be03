// Package model is the meaning of a policy, after names are resolved and
// values checked: groups, the things they talk to, flows between them, and
// the AWS rules those flows become. Lint passes, emitters and review tools
// work on the model alone; none of them sees syntax. Everything in a
// Program is sorted by content, so two policies that say the same thing in
// a different order or split over different files give equal models.
package model

import (
	"iter"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/sgc-dev/sgc/lang/source"
)

// Program is a compiled policy.
type Program struct {
	Files       []string // the policy's files, sorted
	Groups      []*Group
	Networks    []*Network // including the predeclared internet
	PrefixLists []*PrefixList
	Externals   []*External
	Interfaces  []*Interface // groups attached together, for the per-interface quotas
	Services    []*Service
	Flows       []*Flow // every flow, expired ones included
	Rules       []*Rule // the AWS rules of the active flows
	Nevers      []*Never
	Now         time.Time
	// Environment is where the program is deployed when the policy
	// declares environments (the program is one of them), nil otherwise.
	Environment *Environment
}

// Environment is one of the places a policy is deployed to.
type Environment struct {
	Name        string
	Description string
	Account     string // 12 digits; "" when the policy does not say
	Region      string // "" when the policy does not say
}

// Kind says what a declared name is.
type Kind int

// The kinds of declared names.
const (
	KindGroup Kind = iota + 1
	KindNetwork
	KindPrefixList
	KindExternal
	KindService
)

var kindNames = map[Kind]string{
	KindGroup: "group", KindNetwork: "network", KindPrefixList: "prefix-list",
	KindExternal: "external", KindService: "service",
}

// String returns the keyword that declares the kind.
func (k Kind) String() string { return kindNames[k] }

// Decl is what every declaration has: a name, a kind and where it was written.
type Decl struct {
	Name      string
	NameRange source.Range // the name in its declaration
	Range     source.Range // the whole declaration
}

// Endpoint is what a flow can start or end at: a group, a network, a prefix
// list or an external group.
type Endpoint interface {
	Declared() *Decl
	Kind() Kind
}

// Declared returns d itself; it gives every declaration the Endpoint method.
func (d *Decl) Declared() *Decl { return d }

// Group is a security group this policy manages.
type Group struct {
	Decl
	Description    string
	InternetFacing bool
	// Formerly lists the names the group had before, the latest first: a
	// renamed group keeps its AWS group. Terraform moves its resources from
	// each earlier address; CloudFormation, which cannot move, keeps the
	// logical IDs and exports the oldest name gave (Identity).
	Formerly []string
	// LoadBalancer is "network" for a Network Load Balancer's group, which
	// AWS lets an NLB change only among groups (never to none).
	LoadBalancer string
	// AlsoIn are the other VPCs the group serves (security group VPC
	// associations), in the order written.
	AlsoIn []VPC
	// Owner approves changes to the group's access: a GitHub user or
	// org/team, "" when the policy names none.
	Owner string
	// Role is the name written in the policy when the group is one
	// environment's copy (web for web-staging), "" otherwise.
	Role string
}

// RoleName is the name the policy gives the group: its role, the same in
// every environment, or its name when the policy has no environments.
func (g *Group) RoleName() string {
	if g.Role != "" {
		return g.Role
	}
	return g.Name
}

// NetworkLoadBalancer marks the group of a Network Load Balancer.
const NetworkLoadBalancer = "network"

// VPC is a VPC a group is associated with besides its own: by id, or by a
// name whose id is an input of the generated code.
type VPC struct {
	ID    string // vpc-...; "" for an input
	Input string // the name of the input; "" for an id
}

// Key names the VPC in addresses: its id, or its input's name.
func (v VPC) Key() string {
	if v.ID != "" {
		return v.ID
	}
	return v.Input
}

// Identity is the name the group's resources were first named by: the
// oldest of its former names, or its name.
func (g *Group) Identity() string {
	if len(g.Formerly) > 0 {
		return g.Formerly[len(g.Formerly)-1]
	}
	return g.Name
}

// Kind returns KindGroup.
func (*Group) Kind() Kind { return KindGroup }

// Network is a named set of address blocks. The predeclared internet is a
// Network too (0.0.0.0/0 and ::/0), marked Predeclared.
type Network struct {
	Decl
	CIDRs       []netip.Prefix // masked, sorted, without repeats
	Description string
	Predeclared bool
}

// Kind returns KindNetwork.
func (*Network) Kind() Kind { return KindNetwork }

// PrefixList is a managed prefix list, referenced by id.
type PrefixList struct {
	Decl
	ID          string // pl-...; for an AWS-managed list, its name as written (aws:NAME)
	MaxEntries  int    // 0 when not declared
	Description string
	// An AWS-managed list named by what it is (aws:NAME) rather than its
	// id, which differs per Region and is looked up where it is deployed.
	Managed string // NAME; "" for a list given by its id
	AWSName string // its name in AWS, "{region}" standing for the Region
	Weight  int    // what AWS counts for a rule that references it
}

// Quota is what a rule that references the list counts against the
// rules-per-group quota: its max-entries, else an AWS-managed list's
// weight, else def.
func (l *PrefixList) Quota(def int) int {
	switch {
	case l.MaxEntries > 0:
		return l.MaxEntries
	case l.Weight > 0:
		return l.Weight
	}
	return def
}

// Kind returns KindPrefixList.
func (*PrefixList) Kind() Kind { return KindPrefixList }

// External is a security group managed elsewhere. Without an ID it becomes
// an input of the generated module or template.
type External struct {
	Decl
	ID          string // "" when the id is an input
	Account     string // the AWS account that owns it, when another account's; "" when not said
	Via         string // how it is reached from this VPC: ViaPeering, ViaTransitGateway, or ""
	Description string
}

// How an external group in another VPC is reached.
const (
	ViaPeering        = "peering"         // a VPC peering connection
	ViaTransitGateway = "transit-gateway" // a transit gateway or Cloud WAN: inbound references only
)

// Reference is how AWS and the Terraform provider write a reference to
// the external's group: "ACCOUNT/sg-..." for a group of another account,
// its id otherwise ("" for an external without an id).
func (e *External) Reference() string {
	if e.Account != "" && e.ID != "" {
		return e.Account + "/" + e.ID
	}
	return e.ID
}

// Kind returns KindExternal.
func (*External) Kind() Kind { return KindExternal }

// Interface is a set of groups attached together to one network
// interface (an instance fleet, an ECS service, a load balancer), which
// AWS's per-interface quotas apply to.
type Interface struct {
	Decl
	Groups      []*Group
	Description string
}

// Service is a named set of ports.
type Service struct {
	Decl
	Ports    []Port
	Includes []*Service // the services it names
}

// Kind returns KindService.
func (*Service) Kind() Kind { return KindService }

// Protocol is an IP protocol as AWS names it in a rule: "tcp", "udp",
// "icmp", "icmpv6", "-1" for all, or a decimal protocol number.
type Protocol string

// The protocols with names.
const (
	TCP    Protocol = "tcp"
	UDP    Protocol = "udp"
	ICMP   Protocol = "icmp"
	ICMPv6 Protocol = "icmpv6"
	All    Protocol = "-1"
)

// Port is one protocol-and-range element, in AWS's terms: for tcp and udp a
// port range; for icmp and icmpv6 From is the type and To the code, -1
// meaning any; for all protocols and protocol numbers both are -1.
type Port struct {
	Protocol Protocol
	From, To int
}

// HasPorts reports whether AWS takes a port range (or ICMP type and code)
// for the protocol.
func (p Port) HasPorts() bool {
	switch p.Protocol {
	case TCP, UDP, ICMP, ICMPv6:
		return true
	}
	return false
}

// String writes the port the way intent files do: tcp/443, tcp/80-90,
// icmp/3:4, icmp/8, icmp/all, proto/50, all.
func (p Port) String() string { return string(p.appendText(make([]byte, 0, 16))) }

// appendText appends String's text to b. (strconv, not fmt: reports
// spell every flow's ports, and fmt was most of a 50,000-flow document's
// ports.) TestPortStringIsFmt holds it to the fmt forms it replaced.
func (p Port) appendText(b []byte) []byte {
	switch p.Protocol {
	case All:
		return append(b, "all"...)
	case TCP, UDP:
		b = strconv.AppendInt(append(append(b, p.Protocol...), '/'), int64(p.From), 10)
		if p.From != p.To {
			b = strconv.AppendInt(append(b, '-'), int64(p.To), 10)
		}
		return b
	case ICMP, ICMPv6:
		b = append(append(b, p.Protocol...), '/')
		if p.From == -1 {
			return append(b, "all"...)
		}
		b = strconv.AppendInt(b, int64(p.From), 10)
		if p.To != -1 {
			b = strconv.AppendInt(append(b, ':'), int64(p.To), 10)
		}
		return b
	}
	return append(append(b, "proto/"...), p.Protocol...)
}

// Covers reports whether port p includes all of port o: all protocols
// include everything, a range the ranges inside it, any ICMP type or code
// the specific ones.
func (p Port) Covers(o Port) bool {
	switch {
	case p.Protocol == All:
		return true
	case p.Protocol != o.Protocol:
		return false
	case p.Protocol == TCP || p.Protocol == UDP:
		return p.From <= o.From && o.To <= p.To
	case p.Protocol == ICMP || p.Protocol == ICMPv6:
		return p.From == -1 || (p.From == o.From && (p.To == -1 || p.To == o.To))
	}
	return p == o
}

// AppliesTo reports whether a rule for port p can match traffic from or to
// peer: ICMP is IPv4's and ICMPv6 is IPv6's, so either applies to address
// blocks of its own family only. Every other protocol, and every group or
// prefix list peer, takes both families.
func (p Port) AppliesTo(peer Peer) bool {
	if peer.Kind != PeerCIDR {
		return true
	}
	switch p.Protocol {
	case ICMP:
		return peer.CIDR.Addr().Is4()
	case ICMPv6:
		return peer.CIDR.Addr().Is6()
	}
	return true
}

// Less orders ports by protocol, then range.
func (p Port) Less(o Port) bool {
	if p.Protocol != o.Protocol {
		return ProtocolOrder(p.Protocol) < ProtocolOrder(o.Protocol)
	}
	if p.From != o.From {
		return p.From < o.From
	}
	return p.To < o.To
}

// ProtocolOrder is a protocol's place in Port.Less's order: named protocols
// first, then protocol numbers numerically.
func ProtocolOrder(p Protocol) int {
	switch p {
	case All:
		return 0
	case TCP:
		return 1
	case UDP:
		return 2
	case ICMP:
		return 3
	case ICMPv6:
		return 4
	}
	n, _ := strconv.Atoi(string(p))
	return 10 + n
}

// Status says where a flow stands relative to the compile's "now".
type Status int

// The statuses of a flow.
const (
	Active   Status = iota // permanent, or its date is still ahead
	Expiring               // still active, but its date is within the expiry window
	Expired                // its date has passed: it produces no rules
)

// String names the status.
func (s Status) String() string { return [...]string{"active", "expiring", "expired"}[s] }

// Flow is one line of intent: who may talk to whom, on what, why, until when.
type Flow struct {
	From, To Endpoint
	Ports    []Port // services expanded, sorted, without repeats
	Purpose  string
	Until    time.Time // zero when the flow is permanent
	Status   Status
	Range    source.Range // the whole flow statement
	// The parts of the flow, for diagnostics that point at one of them
	// (FromRange and the others): spans in Range's file. As ranges, they
	// were three quarters of a flow's bytes.
	FromSpan, ToSpan, PortsSpan, UntilSpan, PurposeSpan source.Span
	// Waivers are the waiver directives written before the flow.
	Waivers []Waiver
	// Services are the services the flow's ports name.
	Services []*Service
}

// Key names the flow as evidence about it does (sgc usage, the lint of
// unused flows): its two ends and its ports, which say what it allows
// whatever line it is written on.
func (f *Flow) Key() string {
	return f.From.Declared().Name + " -> " + f.To.Declared().Name + " " + PortsString(f.Ports)
}

// Waiver waives named findings for one flow, for a reason, until a date.
type Waiver struct {
	IDs     []string
	Until   time.Time
	Reason  string
	Expired bool // its date has passed: it no longer waives anything
	Range   source.Range
}

// FromRange is where the flow's source is written.
func (f *Flow) FromRange() source.Range { return f.FromSpan.In(f.Range.Start.Filename) }

// ToRange is where the flow's destination is written.
func (f *Flow) ToRange() source.Range { return f.ToSpan.In(f.Range.Start.Filename) }

// PortsRange is where the flow's ports are written.
func (f *Flow) PortsRange() source.Range { return f.PortsSpan.In(f.Range.Start.Filename) }

// UntilRange is where the flow's expiry date is written; the zero Range
// when it has none.
func (f *Flow) UntilRange() source.Range { return f.UntilSpan.In(f.Range.Start.Filename) }

// PurposeRange is where the flow's purpose is written.
func (f *Flow) PurposeRange() source.Range { return f.PurposeSpan.In(f.Range.Start.Filename) }

// Temporary reports whether the flow has an expiry date.
func (f *Flow) Temporary() bool { return !f.Until.IsZero() }

// Direction says on which side of a group a rule sits.
type Direction int

// The directions.
const (
	Ingress Direction = iota
	Egress
)

// String returns "ingress" or "egress".
func (d Direction) String() string { return [...]string{"ingress", "egress"}[d] }

// PeerKind says what a rule's other side is.
type PeerKind int

// The kinds of peers.
const (
	PeerCIDR       PeerKind = iota // an address block
	PeerPrefixList                 // a managed prefix list
	PeerGroup                      // a group of this policy
	PeerExternal                   // a group managed elsewhere
)

// Peer is the other side of a rule: exactly one CIDR block, prefix list or
// group, as AWS takes it.
type Peer struct {
	Kind       PeerKind
	CIDR       netip.Prefix
	PrefixList *PrefixList
	Group      *Group
	External   *External
	// Via is the endpoint the peer was named by in the flow: the network a
	// CIDR came from, or the group, prefix list or external itself.
	Via Endpoint
}

// Key identifies the peer as AWS does: two peers with equal keys are the
// same rule target. It is ID().String().
func (p Peer) Key() string { return p.ID().String() }

// PeerID is a comparable form of a peer's Key, for use as a map key:
// equal exactly when the keys are equal, and built without allocating.
type PeerID struct {
	Kind PeerKind
	CIDR netip.Prefix
	Name string // the prefix list's id, the group's name, the external's id or else its name
	ByID bool   // an external named by its id
}

// String writes the peer's identity: cidr:BLOCK, pl:ID, group:NAME,
// sg:ID, or external:NAME for an external without an id.
func (id PeerID) String() string { return string(id.AppendTo(nil)) }

// AppendTo appends String's form to b: a rule's identity is hashed once
// per rule in a build, and needs no string of its own for that.
func (id PeerID) AppendTo(b []byte) []byte {
	switch id.Kind {
	case PeerCIDR:
		return id.CIDR.AppendTo(append(b, "cidr:"...))
	case PeerPrefixList:
		return append(append(b, "pl:"...), id.Name...)
	case PeerGroup:
		return append(append(b, "group:"...), id.Name...)
	case PeerExternal:
		if id.ByID {
			return append(append(b, "sg:"...), id.Name...)
		}
		return append(append(b, "external:"...), id.Name...)
	}
	return b
}

// ID returns the peer's PeerID.
func (p Peer) ID() PeerID {
	switch p.Kind {
	case PeerCIDR:
		return PeerID{Kind: p.Kind, CIDR: p.CIDR}
	case PeerPrefixList:
		return PeerID{Kind: p.Kind, Name: p.PrefixList.ID}
	case PeerGroup:
		return PeerID{Kind: p.Kind, Name: p.Group.Name}
	case PeerExternal:
		if p.External.ID != "" {
			return PeerID{Kind: p.Kind, Name: p.External.ID, ByID: true}
		}
		return PeerID{Kind: p.Kind, Name: p.External.Name}
	}
	return PeerID{Kind: p.Kind}
}

// String describes the peer for people: the CIDR, or the name.
func (p Peer) String() string {
	switch p.Kind {
	case PeerCIDR:
		return p.CIDR.String()
	case PeerPrefixList:
		return p.PrefixList.Name
	case PeerGroup:
		return p.Group.Name
	case PeerExternal:
		return p.External.Name
	}
	return ""
}

// Rule is one AWS security group rule: one group, one direction, one
// protocol and range, one peer. Flows expand into rules; a group-to-group
// flow becomes an egress rule on the source and an ingress rule on the
// destination.
type Rule struct {
	Group     *Group
	Direction Direction
	Port      Port
	Peer      Peer
	Flow      *Flow // the flow the rule comes from; its purpose is the description
}

// RuleID is what AWS identifies a rule by: its group, direction,
// protocol and range, and peer. AWS refuses two rules with the same
// RuleID, even when their descriptions differ. It is comparable, for the
// maps that match rules (adoption, drift, earlier templates).
type RuleID struct {
	Group     string // the group's name in the policy
	Direction Direction
	Port      Port
	Peer      PeerID
}

// String writes the identity in one form, for files, tags and hashes:
// GROUP|DIRECTION|PROTOCOL|FROM|TO|PEER. Addresses are derived from it,
// so it never changes.
func (id RuleID) String() string {
	// Written out rather than with fmt.Sprintf: every rule's identity is
	// made several times in a build (names, stacks, plans).
	// TestRuleIDString holds it to the Sprintf form.
	return string(id.AppendTo(make([]byte, 0, len(id.Group)+len(id.Peer.Name)+64)))
}

// AppendTo appends String's form to b.
func (id RuleID) AppendTo(b []byte) []byte {
	b = append(b, id.Group...)
	b = append(b, '|')
	b = append(b, id.Direction.String()...)
	b = append(b, '|')
	b = append(b, id.Port.Protocol...)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(id.Port.From), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(id.Port.To), 10)
	b = append(b, '|')
	return id.Peer.AppendTo(b)
}

// ID returns the rule's RuleID.
func (r *Rule) ID() RuleID {
	return RuleID{Group: r.Group.Name, Direction: r.Direction, Port: r.Port, Peer: r.Peer.ID()}
}

// Key is ID().String().
func (r *Rule) Key() string { return r.ID().String() }

// IdentityKey is Key with each group named by its Identity: the same for
// a rule before and after its group (or the group it references) is
// renamed with formerly, as the AWS rule is the same.
func (r *Rule) IdentityKey() string { return string(r.AppendIdentityKey(nil)) }

// AppendIdentityKey appends IdentityKey to b.
func (r *Rule) AppendIdentityKey(b []byte) []byte {
	id := r.ID()
	id.Group = r.Group.Identity()
	if r.Peer.Kind == PeerGroup {
		id.Peer.Name = r.Peer.Group.Identity()
	}
	return id.AppendTo(b)
}

// Inputs returns the externals declared without an id, in declaration
// order: the ids the generated code must be given. Every one declared is
// an input, used or not, so that a module's variables and a template's
// parameters stay the same while the external is declared: removing its
// last use or adding a first changes no caller.
func (p *Program) Inputs() []*External {
	var out []*External
	for _, e := range p.Externals {
		if e.ID == "" {
			out = append(out, e)
		}
	}
	return out
}

// VPCInputs returns the VPCs the groups' also-in name by an input, each
// once, sorted: the ids the generated code must be given.
func (p *Program) VPCInputs() []string {
	seen := map[string]bool{}
	var out []string
	for _, g := range p.Groups {
		for _, v := range g.AlsoIn {
			if v.Input != "" && !seen[v.Input] {
				seen[v.Input] = true
				out = append(out, v.Input)
			}
		}
	}
	sort.Strings(out)
	return out
}

// NamesManagedPrefixLists reports whether p declares an AWS-managed
// prefix list by name (aws:NAME), whose id is looked up where it is used.
func (p *Program) NamesManagedPrefixLists() bool {
	for _, l := range p.PrefixLists {
		if l.Managed != "" {
			return true
		}
	}
	return false
}

// ServesOtherVPCs reports whether a group of p also serves other VPCs
// (also-in).
func (p *Program) ServesOtherVPCs() bool {
	for _, g := range p.Groups {
		if len(g.AlsoIn) > 0 {
			return true
		}
	}
	return false
}

// TemporaryFlows returns the flows with an until date, soonest first; with
// a positive within, only those ending no later than Now+within (expired
// ones included).
func (p *Program) TemporaryFlows(within time.Duration) []*Flow {
	var out []*Flow
	for _, f := range p.Flows {
		if f.Temporary() && (within <= 0 || !f.Until.After(p.Now.Add(within))) {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Until.Equal(out[j].Until) {
			return out[i].Until.Before(out[j].Until)
		}
		return out[i].Range.Before(out[j].Range)
	})
	return out
}

// ActiveFlows returns the flows that still grant access: all but the
// expired ones, in model order.
func (p *Program) ActiveFlows() []*Flow {
	return slices.AppendSeq(make([]*Flow, 0, len(p.Flows)), p.Active())
}

// Active yields the flows of ActiveFlows without collecting them: a check
// that reads each flow once then touches each flow once, not twice, which
// on a large policy is a cache miss a flow.
func (p *Program) Active() iter.Seq[*Flow] {
	return func(yield func(*Flow) bool) {
		for _, f := range p.Flows {
			if f.Status != Expired && !yield(f) {
				return
			}
		}
	}
}

// Lookup returns the group, network, prefix list or external named name,
// or nil.
func (p *Program) Lookup(name string) Endpoint {
	for _, g := range p.Groups {
		if g.Name == name {
			return g
		}
	}
	for _, n := range p.Networks {
		if n.Name == name {
			return n
		}
	}
	for _, l := range p.PrefixLists {
		if l.Name == name {
			return l
		}
	}
	for _, e := range p.Externals {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// LookupRole is Lookup, and for an environment's program also finds a
// group by its role name (web for web-staging): the name a person writes.
func (p *Program) LookupRole(name string) Endpoint {
	if e := p.Lookup(name); e != nil {
		return e
	}
	for _, g := range p.Groups {
		if g.Role == name {
			return g
		}
	}
	return nil
}
