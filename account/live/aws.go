package live

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// AWSOptions choose what FetchAWS reads, and how.
type AWSOptions struct {
	Region  string // "" for the standard chain (AWS_REGION, the profile)
	Profile string // "" for the standard chain (AWS_PROFILE)
	VPC     string // only this VPC; "" for every VPC
	// MaxAttempts bounds the tries of each call when AWS throttles or
	// fails (0: 10); MaxBackoff bounds the wait between them (0: 20 s).
	MaxAttempts int
	MaxBackoff  time.Duration
	// PageSize is the number of groups or rules asked for per page (0:
	// AWS's default). Tests make it small to cover pagination.
	PageSize int32
}

// IAMActions are the permissions FetchAWS needs: read-only.
var IAMActions = []string{"ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"}

// FetchAWS reads the account's security groups and their rules through
// the EC2 API, with the standard credential chain and endpoint settings
// (AWS_ENDPOINT_URL_EC2 points it at an emulator), every page of both
// calls, retrying throttled and failed calls with backoff. Its errors say
// what to do: which credentials are missing, which IAM action is denied.
func FetchAWS(ctx context.Context, opts AWSOptions) (*Export, error) {
	attempts, backoff := opts.MaxAttempts, opts.MaxBackoff
	if attempts == 0 {
		attempts = 10
	}
	if backoff == 0 {
		backoff = 20 * time.Second
	}
	var loadOpts []func(*config.LoadOptions) error
	if opts.Region != "" {
		loadOpts = append(loadOpts, config.WithRegion(opts.Region))
	}
	if opts.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(opts.Profile))
	}
	loadOpts = append(loadOpts, config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.MaxBackoff = backoff
			o.Backoff = retry.NewExponentialJitterBackoff(backoff)
		})
	}))
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("reading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, errors.New("no AWS region: pass --region, or set AWS_REGION or a profile's region")
	}
	client := ec2.NewFromConfig(cfg)

	var filters []ec2types.Filter
	if opts.VPC != "" {
		filters = append(filters, ec2types.Filter{Name: aws.String("vpc-id"), Values: []string{opts.VPC}})
	}
	ex := &Export{SecurityGroups: []Group{}}
	groups := ec2.NewDescribeSecurityGroupsPaginator(client, &ec2.DescribeSecurityGroupsInput{
		Filters: filters, MaxResults: pageSize(opts.PageSize)})
	ids := map[string]bool{}
	for groups.HasMorePages() {
		page, err := groups.NextPage(ctx)
		if err != nil {
			return nil, explain(err, "ec2:DescribeSecurityGroups")
		}
		for _, g := range page.SecurityGroups {
			ex.SecurityGroups = append(ex.SecurityGroups, groupOf(g))
			ids[aws.ToString(g.GroupId)] = true
		}
	}
	var ruleFilters []ec2types.Filter
	if opts.VPC != "" {
		if len(ids) == 0 {
			return ex, nil
		}
		var list []string
		for _, g := range ex.SecurityGroups {
			list = append(list, g.GroupID)
		}
		ruleFilters = append(ruleFilters, ec2types.Filter{Name: aws.String("group-id"), Values: list})
	}
	rules := ec2.NewDescribeSecurityGroupRulesPaginator(client, &ec2.DescribeSecurityGroupRulesInput{
		Filters: ruleFilters, MaxResults: pageSize(opts.PageSize)})
	for rules.HasMorePages() {
		page, err := rules.NextPage(ctx)
		if err != nil {
			return nil, explain(err, "ec2:DescribeSecurityGroupRules")
		}
		for _, r := range page.SecurityGroupRules {
			if ids[aws.ToString(r.GroupId)] {
				ex.SecurityGroupRules = append(ex.SecurityGroupRules, ruleOf(r))
			}
		}
	}
	return ex, nil
}

func pageSize(n int32) *int32 {
	if n == 0 {
		return nil
	}
	return aws.Int32(n)
}

// explain turns the SDK's errors into what to do about them.
func explain(err error, action string) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch code := api.ErrorCode(); {
		case code == "UnauthorizedOperation" || code == "AccessDenied" || code == "AccessDeniedException":
			return fmt.Errorf("AWS denied %s (%s): the credentials need the read-only IAM actions %s", action, code, strings.Join(IAMActions, " and "))
		case code == "AuthFailure" || code == "InvalidClientTokenId" || code == "UnrecognizedClientException" || code == "ExpiredToken":
			return fmt.Errorf("AWS refused the credentials (%s: %s): check AWS_PROFILE or --profile, or renew the session", code, api.ErrorMessage())
		}
	}
	msg := err.Error()
	if strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "get credentials") || strings.Contains(msg, "no EC2 IMDS role") {
		return fmt.Errorf("no AWS credentials: set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is available (%v)", err)
	}
	return fmt.Errorf("calling %s: %w", action, err)
}

func intPtr(p *int32) *int {
	if p == nil {
		return nil
	}
	n := int(*p)
	return &n
}

// groupOf converts a group as the SDK gives it into the export's form, the
// one `aws ec2 describe-security-groups` writes.
func groupOf(g ec2types.SecurityGroup) Group {
	out := Group{GroupID: aws.ToString(g.GroupId), GroupName: aws.ToString(g.GroupName), Description: aws.ToString(g.Description),
		VpcID: aws.ToString(g.VpcId), OwnerID: aws.ToString(g.OwnerId)}
	for _, t := range g.Tags {
		out.Tags = append(out.Tags, Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	perms := func(ps []ec2types.IpPermission) []Permission {
		var out []Permission
		for _, p := range ps {
			q := Permission{IpProtocol: aws.ToString(p.IpProtocol), FromPort: intPtr(p.FromPort), ToPort: intPtr(p.ToPort)}
			for _, r := range p.IpRanges {
				q.IpRanges = append(q.IpRanges, IPRange{CidrIp: aws.ToString(r.CidrIp), Description: aws.ToString(r.Description)})
			}
			for _, r := range p.Ipv6Ranges {
				q.Ipv6Ranges = append(q.Ipv6Ranges, IPv6Range{CidrIpv6: aws.ToString(r.CidrIpv6), Description: aws.ToString(r.Description)})
			}
			for _, r := range p.PrefixListIds {
				q.PrefixListIds = append(q.PrefixListIds, PrefixListID{PrefixListID: aws.ToString(r.PrefixListId), Description: aws.ToString(r.Description)})
			}
			for _, r := range p.UserIdGroupPairs {
				q.UserIdGroupPairs = append(q.UserIdGroupPairs, UserGroupPair{GroupID: aws.ToString(r.GroupId), GroupName: aws.ToString(r.GroupName),
					UserID: aws.ToString(r.UserId), Description: aws.ToString(r.Description)})
			}
			out = append(out, q)
		}
		return out
	}
	out.IpPermissions = perms(g.IpPermissions)
	out.IpPermissionsEgress = perms(g.IpPermissionsEgress)
	return out
}

// ruleOf converts a rule as the SDK gives it into the export's form, the
// one `aws ec2 describe-security-group-rules` writes.
func ruleOf(r ec2types.SecurityGroupRule) SecurityGroupRule {
	out := SecurityGroupRule{ID: aws.ToString(r.SecurityGroupRuleId), GroupID: aws.ToString(r.GroupId), IsEgress: aws.ToBool(r.IsEgress),
		IpProtocol: aws.ToString(r.IpProtocol), FromPort: intPtr(r.FromPort), ToPort: intPtr(r.ToPort), CidrIpv4: aws.ToString(r.CidrIpv4),
		CidrIpv6: aws.ToString(r.CidrIpv6), PrefixListID: aws.ToString(r.PrefixListId), Description: aws.ToString(r.Description)}
	if ref := r.ReferencedGroupInfo; ref != nil {
		out.ReferencedGroupInfo = &ReferencedGroup{GroupID: aws.ToString(ref.GroupId), UserID: aws.ToString(ref.UserId)}
	}
	for _, t := range r.Tags {
		out.Tags = append(out.Tags, Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	return out
}
