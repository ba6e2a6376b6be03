package compiler

// Diagnostic codes reported by the compiler. Codes are stable: add new ones
// at the end, never change or reuse old ones. Each has an example of a
// policy that triggers it.
const (
	// UnknownName: a flow or service names something never declared.
	// Example: `lb -> game-server-production tcp/8443 because "..."`
	// when the group is game-servers-production.
	UnknownName = "UnknownName"

	// DuplicateName: two declarations share a name. Names share one
	// namespace across all files of a policy, and internet is predeclared.
	// Example: `group web "..."` and `network web 10.0.0.0/8 "..."`.
	DuplicateName = "DuplicateName"

	// WrongKind: a name is used where a different kind of name must stand.
	// Example: `game -> web tcp/443 because "..."` where game is a service.
	WrongKind = "WrongKind"

	// NonGroupFlow: neither side of a flow is a group of this policy, so no
	// security group of this policy could carry the rule.
	// Example: `corp-office -> internet all because "..."`.
	NonGroupFlow = "NonGroupFlow"

	// PortOutOfRange: a TCP or UDP port outside 0-65535.
	// Example: `tcp/70000`.
	PortOutOfRange = "PortOutOfRange"

	// InvertedRange: a port range whose first port is above its last.
	// Example: `tcp/8099-8000`.
	InvertedRange = "InvertedRange"

	// ICMPOutOfRange: an ICMP type or code outside 0-255, or an unknown ICMP type name.
	// Example: `icmp/300`, `icmp/3:256`, `icmp/echo`.
	ICMPOutOfRange = "ICMPOutOfRange"

	// ProtocolOutOfRange: an IP protocol number outside 0-255, or the number
	// of a protocol that has its own port form.
	// Example: `proto/256`, `proto/6` (write tcp/PORTS).
	ProtocolOutOfRange = "ProtocolOutOfRange"

	// MissingProtocol: a bare port that does not follow a tcp or udp term.
	// Example: `443` alone, or `icmp/8,443`.
	MissingProtocol = "MissingProtocol"

	// HostBitsSet: a CIDR block with bits set after its prefix length; AWS
	// refuses it.
	// Example: `10.0.0.1/16` (meant 10.0.0.0/16, or the host 10.0.0.1/32).
	HostBitsSet = "HostBitsSet"

	// InvalidDescription: a description or purpose that AWS would refuse:
	// empty, longer than 255 characters, or with a character outside
	// a-z A-Z 0-9, space and ._-:/()#,@[]+=&;{}!$*.
	// Example: `because "the ALB's traffic"` (the apostrophe).
	InvalidDescription = "InvalidDescription"

	// InvalidGroupName: a group name AWS refuses: "default", one starting
	// with "sg-", or one over 255 characters.
	// Example: `group default "..."`.
	InvalidGroupName = "InvalidGroupName"

	// MalformedID: an sg- or pl- id that is not "sg-" or "pl-" followed by 8
	// or 17 lower-case hexadecimal digits.
	// Example: `external bastion sg-12345 "..."`.
	MalformedID = "MalformedID"

	// InvalidMaxEntries: a prefix list's max-entries outside 1-1000.
	// Example: `prefix-list s3 pl-63a5400a max-entries 0 "..."`.
	InvalidMaxEntries = "InvalidMaxEntries"

	// ServiceCycle: services that include each other.
	// Example: `service a b` and `service b a`.
	ServiceCycle = "ServiceCycle"

	// DuplicateRule: two flows produce the same AWS rule (same group,
	// direction, protocol, ports and peer). AWS refuses the second one, and
	// treats rules that differ only in description as the same rule.
	// Example: `network a 10.0.0.0/8 "..."`, `network b 10.0.0.0/8 "..."`,
	// then `a -> web tcp/443 ...` and `b -> web tcp/443 ...`.
	DuplicateRule = "DuplicateRule"

	// ExpiredFlow (a warning): a flow whose until date has passed. It
	// grants no access and is left out of builds; delete it.
	// Example: `... until 2020-01-01`.
	ExpiredFlow = "ExpiredFlow"

	// DynamicReference: a description or purpose holding a CloudFormation
	// dynamic reference, which CloudFormation would resolve on deploy and
	// so publish the secret or parameter it names in the description.
	// Example: `because "db password {{resolve:ssm:/prod/db/password}}"`.
	DynamicReference = "DynamicReference"

	// IPv4MappedAddress: an IPv4 address written as IPv6 (::ffff:a.b.c.d),
	// which AWS and Terraform refuse as an IPv6 block.
	// Example: `network n ::ffff:1.2.3.4 "..."` (meant 1.2.3.4/32).
	IPv4MappedAddress = "IPv4MappedAddress"

	// ServiceTooLarge: a service that expands to more port ranges than AWS
	// allows rules in one group (1,000), so no flow could ever use it.
	// Example: a service naming 1,001 single ports.
	ServiceTooLarge = "ServiceTooLarge"

	// PolicyTooLarge: a policy that expands to more AWS rules than any
	// account holds (1,000,000), reported at the flow that crosses it.
	// Example: a 1,000-range service used by 1,001 flows between groups.
	PolicyTooLarge = "PolicyTooLarge"

	// FamilyMismatch: a flow whose ICMP ports and address blocks share no
	// address family, so it would become no rule at all: icmp applies to
	// IPv4 blocks only, icmpv6 to IPv6 blocks only. AWS accepts such a
	// rule, and it never matches a packet.
	// Example: `network v6 2001:db8::/32 "..."` and
	// `v6 -> web icmp/echo-request because "..."`.
	FamilyMismatch = "FamilyMismatch"

	// FamilySkipped (a note): a flow some of whose ICMP port and address
	// block pairs share no family; those pairs are left out.
	// Example: `internet -> web icmp/echo-request because "..."` becomes a
	// rule for 0.0.0.0/0 only.
	FamilySkipped = "FamilySkipped"

	// NeverViolated: a flow becomes a rule that a never statement forbids.
	// Waivers do not apply: a never is a guarantee, not a lint.
	// Example: `never internet -> "*-db-*" because "..."` and
	// `office -> orders-db-prod tcp/5432 because "..."` where office is
	// 0.0.0.0/1.
	NeverViolated = "NeverViolated"

	// NeverMatchesNothing: a never whose pattern matches nothing declared,
	// so that it would guarantee nothing (a typo would disable it). An
	// error since 2026-12: a warning let a typo disable a guarantee.
	// Example: `never internet -> "*-dbs-*" because "..."` with no such name.
	NeverMatchesNothing = "NeverMatchesNothing"

	// NeverTooCostly: never statements that together would examine more
	// rules than limits.NeverChecks; the rest are left unchecked, so the
	// policy cannot be built.
	// Example: 600 `never "*" -> "*" ...` statements over 100,000 rules.
	NeverTooCostly = "NeverTooCostly"

	// NeverUnprovable: a flow whose rule a never may or may not forbid,
	// which cannot be known at compile time: a prefix list (its entries
	// are in AWS) against a network or internet, an external declared
	// without an id against another external. Never passed on faith: say
	// so with except.
	// Example: `never internet -> db because "..."` and
	// `s3 -> db tcp/443 because "..."` where s3 is a prefix list.
	NeverUnprovable = "NeverUnprovable"

	// InvalidFormerName: a group's former name that is declared now, is
	// the group's own, or is claimed by two groups, so that it cannot say
	// which AWS group the renamed group takes over.
	// Example: `group redis "..." formerly cache` beside `group cache "..."`.
	InvalidFormerName = "InvalidFormerName"

	// InvalidExternal: an external's account or way of reach that AWS has
	// no such thing as: the account in its id and in its account clause
	// differ, or via names neither peering nor transit-gateway.
	// Example: `external mon 111111111111/sg-0123456789abcdef0 "..." account 222222222222`,
	// `external mon sg-0123456789abcdef0 "..." via vpn`.
	InvalidExternal = "InvalidExternal"

	// EgressAcrossTransitGateway: a flow from a group to an external
	// reached through a transit gateway (or Cloud WAN), which would be an
	// outbound rule referencing it: AWS references groups across a transit
	// gateway in inbound rules only.
	// Example: `api -> shared-auth tcp/443 because "..."` where
	// `external shared-auth sg-0123456789abcdef0 "..." via transit-gateway`.
	EgressAcrossTransitGateway = "EgressAcrossTransitGateway"

	// UnknownManagedPrefixList: a prefix list named aws:NAME that AWS does
	// not manage (awsform.ManagedPrefixLists).
	// Example: `prefix-list cdn aws:cloudfront "CloudFront"` (the list is
	// aws:cloudfront.origin-facing).
	UnknownManagedPrefixList = "UnknownManagedPrefixList"

	// InvalidAlsoIn: a VPC a group is also in that is neither a vpc- id
	// nor a name, or is listed twice.
	// Example: `group web "Web" also-in shared, shared`.
	InvalidAlsoIn = "InvalidAlsoIn"

	// InvalidOwner: a group's owner that is neither a GitHub user nor an
	// org/team.
	// Example: `group web "Web" owner acme/platform/web`.
	InvalidOwner = "InvalidOwner"

	// InvalidLoadBalancer: a load-balancer mark other than network.
	// Example: `group lb "NLB" load-balancer nlb`.
	InvalidLoadBalancer = "InvalidLoadBalancer"
)
