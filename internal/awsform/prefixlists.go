package awsform

import "sort"

// ManagedPrefixList is a prefix list AWS maintains for one of its
// services, as a policy names it (aws:NAME).
type ManagedPrefixList struct {
	Name    string // the policy's name for it, after "aws:": "cloudfront.origin-facing"
	AWSName string // its name in AWS, "{region}" standing for the Region: "com.amazonaws.global.cloudfront.origin-facing"
	Weight  int    // the rules AWS counts for one rule that references it
}

// ManagedPrefixLists are the AWS-managed prefix lists and their weights,
// from the Amazon VPC User Guide, "AWS-managed prefix lists"
// (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html),
// as published on 2026-12-02. A rule that references one counts as its
// weight against the rules-per-group quota, whatever the list holds today.
var ManagedPrefixLists = []ManagedPrefixList{
	{"cloudfront.origin-facing", "com.amazonaws.global.cloudfront.origin-facing", 55},
	{"ipv6.cloudfront.origin-facing", "com.amazonaws.global.ipv6.cloudfront.origin-facing", 55},
	{"dynamodb", "com.amazonaws.{region}.dynamodb", 1},
	{"ec2-instance-connect", "com.amazonaws.{region}.ec2-instance-connect", 2},
	{"ipv6.ec2-instance-connect", "com.amazonaws.{region}.ipv6.ec2-instance-connect", 2},
	{"groundstation", "com.amazonaws.global.groundstation", 5},
	{"route53-healthchecks", "com.amazonaws.{region}.route53-healthchecks", 25},
	{"ipv6.route53-healthchecks", "com.amazonaws.{region}.ipv6.route53-healthchecks", 25},
	{"s3", "com.amazonaws.{region}.s3", 1},
	{"s3express", "com.amazonaws.{region}.s3express", 6},
	{"vpc-lattice", "com.amazonaws.{region}.vpc-lattice", 10},
	{"ipv6.vpc-lattice", "com.amazonaws.{region}.ipv6.vpc-lattice", 10},
}

// ManagedPrefixListPrefix begins a policy's name for an AWS-managed list.
const ManagedPrefixListPrefix = "aws:"

// FindManagedPrefixList returns the AWS-managed list of that name (after
// "aws:").
func FindManagedPrefixList(name string) (ManagedPrefixList, bool) {
	for _, l := range ManagedPrefixLists {
		if l.Name == name {
			return l, true
		}
	}
	return ManagedPrefixList{}, false
}

// ManagedPrefixListNames are the names a policy may use, sorted.
func ManagedPrefixListNames() []string {
	var out []string
	for _, l := range ManagedPrefixLists {
		out = append(out, l.Name)
	}
	sort.Strings(out)
	return out
}
