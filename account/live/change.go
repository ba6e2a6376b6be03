package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/sgc-dev/sgc/compiler/model"
)

// ChangeKind is what one change does to a live rule.
type ChangeKind string

// The kinds of change, in the order they are made: access is taken away
// before any is given, so that a run stopped half-way never leaves more
// open than either the account before it or the intent.
const (
	Revoke    ChangeKind = "revoke"    // a rule the intent does not have
	Describe  ChangeKind = "describe"  // a rule whose description is not its purpose
	Authorize ChangeKind = "authorize" // a rule of the intent that is not live
)

// Change is one call that makes a live rule what the intent says.
type Change struct {
	Kind ChangeKind `json:"kind"`
	// Rule is the rule: its group, direction, port, peer and, for
	// Describe and Authorize, the description it gets.
	Rule   Rule   `json:"-"`
	RuleID string `json:"rule_id,omitempty"` // the sgr- id of a live rule
}

// String says the change for people and the audit log.
func (c Change) String() string {
	prep := "from"
	if c.Rule.Direction == model.Egress {
		prep = "to"
	}
	peer := c.Rule.Peer
	if c.Rule.PeerKind == "sg" && c.Rule.PeerOwner != "" {
		peer = c.Rule.PeerOwner + "/" + peer
	}
	s := fmt.Sprintf("%s %s %s %s %s on %s", c.Kind, c.Rule.Direction, c.Rule.Port, prep, peer, c.Rule.GroupID)
	if c.RuleID != "" {
		s += " (" + c.RuleID + ")"
	}
	if c.Kind != Revoke {
		s += fmt.Sprintf(" described %q", c.Rule.Description)
	}
	return s
}

// IAMChangeActions are the permissions ApplyAWS needs besides IAMActions.
var IAMChangeActions = []string{"ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
	"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
	"ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress"}

// Applied is the outcome of one change, for the audit log.
type Applied struct {
	Time   time.Time `json:"time"`
	Call   string    `json:"call"` // the EC2 action
	Group  string    `json:"group"`
	Change string    `json:"change"`
	DryRun bool      `json:"dry_run,omitempty"`
	Result string    `json:"result"` // "done", ResultMadeBefore, "would succeed" (dry run), or the error
}

// ResultMadeBefore is the result of a change made by an attempt whose
// answer was lost: the SDK's retry was refused because the change was in
// place (lost.go).
const ResultMadeBefore = "done (by an attempt whose answer was lost)"

// ApplyAWS makes the changes, one call each, in order, and stops at the
// first AWS refuses. With dryRun it asks AWS whether each would succeed
// (EC2's DryRun) and changes nothing. each is told the outcome of every
// call, made or refused, before the next; done counts the changes made
// (or that would succeed).
func ApplyAWS(ctx context.Context, opts AWSOptions, changes []Change, dryRun bool, each func(Applied)) (done int, err error) {
	s, err := newSession(ctx, opts)
	if err != nil {
		return 0, err
	}
	defer s.cancel()
	for _, c := range changes {
		tries := &attempts{}
		call, err := apply(context.WithValue(s.ctx, attemptsKey{}, tries), s.client, c, dryRun)
		a := Applied{Time: time.Now().UTC(), Call: call, Group: c.Rule.GroupID, Change: c.String(), DryRun: dryRun, Result: "done"}
		var apiErr smithy.APIError
		switch {
		case err != nil && !dryRun && tries.unanswered.Load() && madeBefore(c.Kind, err):
			a.Result, err = ResultMadeBefore, nil
		case dryRun && errors.As(err, &apiErr) && apiErr.ErrorCode() == "DryRunOperation":
			a.Result, err = "would succeed", nil
		case err == nil && dryRun:
			a.Result = "would succeed" // an endpoint that ignores DryRun
		case err != nil:
			a.Result = err.Error()
		}
		each(a)
		if err != nil {
			return done, fmt.Errorf("%s: %w", c, err)
		}
		done++
	}
	return done, nil
}

// apply makes one change and returns the EC2 action it called.
func apply(ctx context.Context, client *ec2.Client, c Change, dryRun bool) (string, error) {
	group := aws.String(c.Rule.GroupID)
	dry := aws.Bool(dryRun)
	ingress := c.Rule.Direction == model.Ingress
	perms := permissionsOf(c)
	var err error
	switch {
	case c.Kind == Revoke && ingress:
		in := &ec2.RevokeSecurityGroupIngressInput{GroupId: group, DryRun: dry}
		if c.RuleID != "" {
			in.SecurityGroupRuleIds = []string{c.RuleID}
		} else {
			in.IpPermissions = perms
		}
		_, err = client.RevokeSecurityGroupIngress(ctx, in)
		return "RevokeSecurityGroupIngress", err
	case c.Kind == Revoke:
		in := &ec2.RevokeSecurityGroupEgressInput{GroupId: group, DryRun: dry}
		if c.RuleID != "" {
			in.SecurityGroupRuleIds = []string{c.RuleID}
		} else {
			in.IpPermissions = perms
		}
		_, err = client.RevokeSecurityGroupEgress(ctx, in)
		return "RevokeSecurityGroupEgress", err
	case c.Kind == Authorize && ingress:
		_, err = client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: group, IpPermissions: perms, DryRun: dry})
		return "AuthorizeSecurityGroupIngress", err
	case c.Kind == Authorize:
		_, err = client.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: group, IpPermissions: perms, DryRun: dry})
		return "AuthorizeSecurityGroupEgress", err
	case c.Kind == Describe && ingress:
		_, err = client.UpdateSecurityGroupRuleDescriptionsIngress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: group, IpPermissions: perms, DryRun: dry})
		return "UpdateSecurityGroupRuleDescriptionsIngress", err
	case c.Kind == Describe:
		_, err = client.UpdateSecurityGroupRuleDescriptionsEgress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsEgressInput{GroupId: group, IpPermissions: perms, DryRun: dry})
		return "UpdateSecurityGroupRuleDescriptionsEgress", err
	}
	return "", fmt.Errorf("unknown change %q", c.Kind)
}

// permissionsOf is the rule of c as the call takes it: a revoke names a
// rule by its content alone (AWS matches rules without their
// descriptions), the others carry the description they set.
func permissionsOf(c Change) []ec2types.IpPermission {
	r := c.Rule
	if c.Kind == Revoke {
		r.Description = ""
	}
	return []ec2types.IpPermission{sdkPermission(PermissionOf(r))}
}

// sdkPermission writes a permission in the SDK's types.
func sdkPermission(p Permission) ec2types.IpPermission {
	out := ec2types.IpPermission{IpProtocol: aws.String(p.IpProtocol)}
	if p.FromPort != nil {
		out.FromPort, out.ToPort = aws.Int32(int32(*p.FromPort)), aws.Int32(int32(*p.ToPort))
	}
	for _, r := range p.IpRanges {
		out.IpRanges = append(out.IpRanges, ec2types.IpRange{CidrIp: aws.String(r.CidrIp), Description: optional(r.Description)})
	}
	for _, r := range p.Ipv6Ranges {
		out.Ipv6Ranges = append(out.Ipv6Ranges, ec2types.Ipv6Range{CidrIpv6: aws.String(r.CidrIpv6), Description: optional(r.Description)})
	}
	for _, r := range p.PrefixListIds {
		out.PrefixListIds = append(out.PrefixListIds, ec2types.PrefixListId{PrefixListId: aws.String(r.PrefixListID), Description: optional(r.Description)})
	}
	for _, r := range p.UserIdGroupPairs {
		out.UserIdGroupPairs = append(out.UserIdGroupPairs, ec2types.UserIdGroupPair{GroupId: aws.String(r.GroupID), UserId: optional(r.UserID), Description: optional(r.Description)})
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
