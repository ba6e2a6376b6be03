package lint

// Checks is the one list of checks, in id order. Ids are stable: a check
// is never renumbered, and a removed check's id is not reused.
var Checks = []*Check{
	OpenIngress, AdminPortOpen, OpenEgress, WideSource, AllBetweenGroups, ShadowedFlow,
	UnusedDeclaration, ExpiringFlow, RuleNamedGroup, OverQuota, OpenAllPorts, ProtocolFromInternet,
	VaguePurpose, EmptyGroup, WidePortRange, DuplicateDeclaration, ConfusableNames, InterfaceOverQuota, NLBClientIP, NLBHealthCheck, UnusedFlow, UnusedWaiver,
}
