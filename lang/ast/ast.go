// Package ast declares the syntax tree of intent files. The structs double as
// the participle grammar (the struct tags), so the tree is exactly what was
// written; fields without tags are filled by the parser after matching
// (decoded values such as an address's prefix). Every node knows its extent,
// and names are nodes of their own, so a diagnostic can point at exactly the
// name, the port or the date that is wrong.
//
// The tree holds syntax only. Meaning (what a name refers to, whether a port
// is in range, which rules a flow produces) is the compiler's business.
package ast

import (
	"net/netip"
	"time"

	"github.com/sgc-dev/sgc/lang/source"
)

// Node is implemented by every syntax node.
type Node interface {
	Range() source.Range
}

// Extent is embedded in every node: participle fills Pos with the position
// of the node's first token and EndPos with the position just after its last.
type Extent struct {
	Pos    source.Pos
	EndPos source.Pos
}

// Range returns the node's extent.
func (e Extent) Range() source.Range { return source.Range{Start: e.Pos, End: e.EndPos} }

// File is one parsed intent file.
type File struct {
	Name  string
	Stmts []Stmt // declarations, flows, standalone comments and bad statements, in source order
}

// Stmt is a top-level statement: a declaration, a flow, a comment line or a
// statement that failed to parse.
type Stmt interface {
	Node
	// Base returns the comments attached to the statement.
	Base() *StmtBase
}

// StmtBase holds what every statement has besides its grammar: its extent
// and the comments written on its lines.
type StmtBase struct {
	Extent
	// Inner holds comments on the lines of a statement continued over several
	// lines (after a trailing "," or "->"). The formatter prints them above it.
	Inner []*Comment
	// Trailing is a comment at the end of the statement's last line.
	Trailing *Comment
	// In lists the environments the statement holds in, from a trailing
	// `in ENV[, ENV...]`; nil means every environment.
	In []*Ident
}

// HoldsIn reports whether the statement holds in the environment env:
// it names no environment, or names env.
func (b *StmtBase) HoldsIn(env string) bool {
	if len(b.In) == 0 {
		return true
	}
	for _, id := range b.In {
		if id.Name == env {
			return true
		}
	}
	return false
}

// Base returns b itself; it makes every statement a Stmt.
func (b *StmtBase) Base() *StmtBase { return b }

// Comment is a "#" comment. Text includes the "#".
type Comment struct {
	StmtBase
	Text string
}

// Waiver is the directive `# sgc:waive ID[, ID...] until DATE because "reason"`
// on the line before a flow: it waives the named findings for that flow, for
// a reason, until a date. It is a comment to the formatter, which prints
// Text unchanged.
type Waiver struct {
	StmtBase
	Text   string   // the whole comment, as written
	IDs    []*Ident `parser:"'sgc:waive' @@ (',' @@)*"`
	Until  *Date    `parser:"('until' @@)?"`
	Reason *String  `parser:"('because' @@)?"`
}

// GroupDecl is `group NAME "description" [internet-facing]
// [load-balancer network] [formerly NAME[, NAME...]] [also-in VPC[, VPC...]] [owner TEAM]`. Formerly lists the names the
// group had before, the latest first: a renamed group keeps its AWS group,
// and only its Name tag changes. AlsoIn lists the other VPCs the group
// serves (a vpc- id, or a name whose id is an input). Owner is who approves
// changes to the group's access: a GitHub user or org/team.
type GroupDecl struct {
	StmtBase
	Name           *Ident   `parser:"'group' @@"`
	Description    *String  `parser:"@@"`
	InternetFacing *Keyword `parser:"@@?"`
	LoadBalancer   *Word    `parser:"('load-balancer' @@)?"`
	Formerly       []*Ident `parser:"('formerly' @@ (',' @@)*)?"`
	AlsoIn         []*Word  `parser:"('also-in' @@ (',' @@)*)?"`
	Owner          *Word    `parser:"('owner' @@)?"`

	// Role is the name as written when the environments' projection gave
	// the group its AWS name (web for web-staging), "" otherwise: never
	// patterns match role names, whatever the environment.
	Role string
}

// EnvironmentDecl is `environment NAME "description" [account ACCOUNT]
// [region REGION]`: one of the places the policy is deployed to. A policy
// with environments is compiled once per environment, each statement
// holding where its `in` clause says.
type EnvironmentDecl struct {
	StmtBase
	Name        *Ident  `parser:"'environment' @@"`
	Description *String `parser:"@@"`
	Account     *Word   `parser:"('account' @@)?"`
	Region      *Word   `parser:"('region' @@)?"`
}

// Keyword is the optional `internet-facing` flag of a group.
type Keyword struct {
	Extent
	Name string `parser:"@'internet-facing'"`
}

// NetworkDecl is `network NAME CIDR[, CIDR...] "description"`.
type NetworkDecl struct {
	StmtBase
	Name        *Ident     `parser:"'network' @@"`
	Addresses   []*Address `parser:"@@ (',' @@)*"`
	Description *String    `parser:"@@"`
}

// PrefixListDecl is `prefix-list NAME pl-... [max-entries N] "description"`.
type PrefixListDecl struct {
	StmtBase
	Name        *Ident  `parser:"'prefix-list' @@"`
	ID          *Word   `parser:"@@"`
	MaxEntries  *Number `parser:"('max-entries' @@)?"`
	Description *String `parser:"@@"`
}

// ExternalDecl is `external NAME [[ACCOUNT/]sg-...] "description"
// [account ACCOUNT] [via peering|transit-gateway]`.
type ExternalDecl struct {
	StmtBase
	Name        *Ident  `parser:"'external' @@"`
	ID          *Word   `parser:"@@?"`
	Description *String `parser:"@@"`
	Account     *Word   `parser:"('account' @@)?"`
	Via         *Word   `parser:"('via' @@)?"`
}

// InterfaceDecl is `interface NAME GROUP[, GROUP...] "description"`: the
// groups attached together to one network interface (an instance fleet,
// an ECS service, a load balancer).
type InterfaceDecl struct {
	StmtBase
	Name        *Ident   `parser:"'interface' @@"`
	Groups      []*Ident `parser:"@@ (',' @@)*"`
	Description *String  `parser:"@@"`
}

// ServiceDecl is `service NAME PORTS`.
type ServiceDecl struct {
	StmtBase
	Name  *Ident    `parser:"'service' @@"`
	Ports *PortList `parser:"@@"`
}

// Flow is `parser:"SOURCE -> DESTINATION PORTS because 'purpose' [until DATE]"`.
type Flow struct {
	StmtBase
	// Waivers are the waiver directives on the lines right before the flow.
	Waivers []*Waiver
	From    *Ident    `parser:"@@"`
	To      *Ident    `parser:"'->' @@"`
	Ports   *PortList `parser:"@@"`
	Purpose *String   `parser:"'because' @@"`
	Until   *Date     `parser:"('until' @@)?"`
}

// Never is `never SOURCE -> DESTINATION [PORTS] [except NAME[, NAME...]]
// because "reason"`: access that must never be allowed, whatever flows say.
// It is parsed by hand (parser.parseNever): its port list is optional and
// ends at "except" or "because", which participle's grammar of port terms
// (any word) cannot tell apart.
type Never struct {
	StmtBase
	From, To *Selector
	Ports    *PortList // nil: every protocol and port
	Except   []*Ident  // names left out of both sides
	Reason   *String
}

// Selector is one side of a never: a declared name (or internet), or a
// quoted glob over group names in which "*" stands for any run of
// characters: "*-db-*", "*".
type Selector struct {
	Extent
	Name    *Ident
	Pattern *String
}

// String writes the selector as it is written.
func (s *Selector) String() string {
	if s.Pattern != nil {
		return s.Pattern.Raw
	}
	return s.Name.Name
}

// BadStmt stands for a statement that failed to parse. When the statement
// was a declaration whose name could be read, Name holds it, so that the
// compiler can treat the name as declared and not report every use of it
// as unknown.
type BadStmt struct {
	StmtBase
	Keyword string // "group", "network", ...; "" for a flow or an unknown statement
	Name    *Ident // the declared name, when it could be read
}

// Ident is a name: a group, network, service, ... being declared or used.
type Ident struct {
	Extent
	Name string `parser:"@Word"`
}

// String is a double-quoted string. Value is its content with escapes
// resolved; Raw is the literal as written, quotes included.
type String struct {
	Extent
	Raw   string `parser:"@String"`
	Value string
}

// Word is a raw word whose form the compiler checks, such as an sg- or pl- id.
type Word struct {
	Extent
	Text string `parser:"@Word"`
}

// Number is a decimal number. Value is -1 when the text is too large to be
// any number sgc accepts, so range checks fail and quote Text.
type Number struct {
	Extent
	Text  string `parser:"@Word"`
	Value int
}

// Address is an IPv4 or IPv6 CIDR block, or a host address. Prefix is the
// decoded block as written (host bits are kept so the compiler can report
// them); Host is true when no prefix length was written.
type Address struct {
	Extent
	Text   string `parser:"@Word"`
	Prefix netip.Prefix
	Host   bool
}

// Date is a YYYY-MM-DD date; Time is its midnight UTC.
type Date struct {
	Extent
	Text string `parser:"@Word"`
	Time time.Time
}

// PortList is a comma-separated list of port terms.
type PortList struct {
	Extent
	Terms []*PortTerm `parser:"@@ (',' @@)*"`
}

// PortKind says what a port term is.
type PortKind int

// The kinds of port terms.
const (
	PortInvalid  PortKind = iota
	PortService           // a service name: `game`
	PortAll               // `all`: every protocol and port
	PortRange             // `tcp/443`, `udp/8000-8099`, or a bare `443` continuing the previous protocol
	PortICMP              // `icmp/8`, `icmp/3:4`, `icmp/echo-request`, `icmpv6/128`
	PortProtocol          // `proto/50`
)

// PortTerm is one element of a port list, decoded by the parser into its
// parts, each with its own position.
type PortTerm struct {
	Extent
	Text string `parser:"@Word"`

	Kind     PortKind
	Protocol *Ident  // "tcp", "udp", "icmp", "icmpv6" or "proto"; nil for a service, `all` or a bare continuation
	Name     *Ident  // PortService: the service; PortICMP: a type name such as echo-request
	From     *Number // PortRange: first port; PortICMP: the type; PortProtocol: the protocol number
	To       *Number // PortRange: last port (nil for one port); PortICMP: the code (nil for any code)
}

// Continued reports whether the term is a bare port or range that takes its
// protocol from the term before it, as 443 does in `tcp/80,443`.
func (t *PortTerm) Continued() bool { return t.Kind == PortRange && t.Protocol == nil }

// Decls reports the keywords that start declarations, in the order the
// language reference lists them.
var Decls = []string{"group", "network", "prefix-list", "external", "service", "interface"}

// ValidName reports whether s has the form of a name: a letter, then
// letters, digits, "-", "_" and ".". Reserved words have the form too;
// see Reserved.
func ValidName(s string) bool {
	if s == "" || !letter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func letter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Reserved lists the words that cannot be used as names: they are keywords
// or have a fixed meaning in port lists.
var Reserved = map[string]bool{
	"group": true, "network": true, "prefix-list": true, "external": true, "service": true,
	"because": true, "until": true, "internet-facing": true, "max-entries": true,
	"all": true, "tcp": true, "udp": true, "icmp": true, "icmpv6": true, "proto": true,
}
