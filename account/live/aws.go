package live

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
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
	// CallTimeout bounds each HTTP call, its response read to the end
	// (0: DefaultCallTimeout): an endpoint that accepts and never answers,
	// or trickles a byte every few seconds, fails the call, which is then
	// retried. Timeout bounds the whole read (0: DefaultTimeout).
	CallTimeout, Timeout time.Duration
	// MaxResponse bounds the bytes of one response (0: DefaultMaxResponse).
	MaxResponse int64
	// PrefixLists also reads the AWS-managed prefix lists of the Region
	// (ec2:DescribeManagedPrefixLists), for a policy that names one.
	PrefixLists bool
	// Associations also reads the groups' associations with other VPCs
	// (ec2:DescribeSecurityGroupVpcAssociations), for a policy whose
	// groups say also-in.
	Associations bool
	// Account, when set, is the account the credentials must belong to
	// (an environment's): sts:GetCallerIdentity is asked before anything
	// else, and any other account is refused, so an environment's policy is
	// never compared with, or applied to, another environment's account.
	Account string
}

// The defaults of AWSOptions' bounds: far above what AWS takes to answer
// (a page of 1,000 groups is a few MB, served in well under a second), so
// they only stop what is broken or hostile.
const (
	DefaultCallTimeout = 60 * time.Second
	DefaultTimeout     = 15 * time.Minute
	DefaultMaxResponse = 64 << 20
	// vpcIDsPerFilter is how many group ids one filter of
	// DescribeSecurityGroupRules carries: AWS limits the values of a filter
	// (200 is the documented bound for most EC2 filters).
	vpcIDsPerFilter = 200
	// maxPages bounds the pages of one call: 1,000 pages of 1,000 is past
	// any account's quota of groups and rules.
	maxPages = 10000
)

// IAMActions are the permissions FetchAWS needs: read-only.
var IAMActions = []string{"ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"}

// FetchAWS reads the account's security groups and their rules through
// the EC2 API, with the standard credential chain and endpoint settings
// (AWS_ENDPOINT_URL_EC2 points it at an emulator), every page of both
// calls, retrying throttled and failed calls with backoff. Its errors say
// what to do: which credentials are missing, which IAM action is denied.
func FetchAWS(ctx context.Context, opts AWSOptions) (*Export, error) {
	s, err := newSession(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer s.cancel()
	ctx, client, timeout, tripped := s.ctx, s.client, s.timeout, &s.tripped
	ex, err := fetch(ctx, client, opts)
	if err != nil && tripped.Load() {
		return nil, fmt.Errorf("a response was larger than %d bytes, more than EC2 sends in a page: the endpoint does not behave like EC2 (%w)", maxResponseOf(opts), err)
	}
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("reading the account took longer than %v (--timeout): %w", timeout, err)
	}
	return ex, err
}

// session is one run against the account: a client, and the context that
// bounds the whole run (opts.Timeout).
type session struct {
	ctx     context.Context
	cancel  context.CancelFunc
	client  *ec2.Client
	timeout time.Duration
	tripped atomic.Bool // a response was cut at opts.MaxResponse
}

func newSession(ctx context.Context, opts AWSOptions) (*session, error) {
	s := &session{timeout: opts.Timeout}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	s.ctx, s.cancel = context.WithTimeout(ctx, s.timeout)
	client, cfg, err := newClient(s.ctx, opts, &s.tripped)
	if err != nil {
		s.cancel()
		return nil, err
	}
	if opts.Account != "" {
		if err := checkAccount(s.ctx, cfg, opts.Account); err != nil {
			s.cancel()
			return nil, err
		}
	}
	s.client = client
	return s, nil
}

// checkAccount refuses credentials of another account than want.
func checkAccount(ctx context.Context, cfg aws.Config, want string) error {
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("asking which account the credentials are of (sts:GetCallerIdentity): %w", err)
	}
	if got := aws.ToString(out.Account); got != want {
		return fmt.Errorf("the credentials are of account %s, not %s, the environment's: choose the profile of account %s (--profile or AWS_PROFILE)", got, want, want)
	}
	return nil
}

func maxResponseOf(opts AWSOptions) int64 {
	if opts.MaxResponse == 0 {
		return DefaultMaxResponse
	}
	return opts.MaxResponse
}

// newClient makes the EC2 client of opts: the standard credential chain
// and endpoint settings, retries with backoff, every call and response
// bounded (tripped says a response was cut).
func newClient(ctx context.Context, opts AWSOptions, tripped *atomic.Bool) (*ec2.Client, aws.Config, error) {
	attempts, backoff := opts.MaxAttempts, opts.MaxBackoff
	if attempts == 0 {
		attempts = 10
	}
	if backoff == 0 {
		backoff = 20 * time.Second
	}
	callTimeout, maxResponse := opts.CallTimeout, maxResponseOf(opts)
	if callTimeout == 0 {
		callTimeout = DefaultCallTimeout
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
	loadOpts = append(loadOpts, config.WithHTTPClient(boundedClient(callTimeout)))
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, cfg, fmt.Errorf("reading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, cfg, errors.New("no AWS region: pass --region, or set AWS_REGION or a profile's region")
	}
	return ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.APIOptions = append(o.APIOptions, limitResponses(maxResponse, tripped), recordAttempts)
	}), cfg, nil
}

func fetch(ctx context.Context, client *ec2.Client, opts AWSOptions) (*Export, error) {
	var filters []ec2types.Filter
	if opts.VPC != "" {
		filters = append(filters, ec2types.Filter{Name: aws.String("vpc-id"), Values: []string{opts.VPC}})
	}
	ex := &Export{SecurityGroups: []Group{}}
	groups := ec2.NewDescribeSecurityGroupsPaginator(client, &ec2.DescribeSecurityGroupsInput{
		Filters: filters, MaxResults: pageSize(opts.PageSize)}, func(o *ec2.DescribeSecurityGroupsPaginatorOptions) { o.StopOnDuplicateToken = true })
	ids := map[string]bool{}
	pages := pageGuard{action: "ec2:DescribeSecurityGroups"}
	for groups.HasMorePages() {
		page, err := groups.NextPage(ctx)
		if err != nil {
			return nil, explain(err, "ec2:DescribeSecurityGroups")
		}
		if err := pages.next(page.NextToken); err != nil {
			return nil, err
		}
		for _, g := range page.SecurityGroups {
			ex.SecurityGroups = append(ex.SecurityGroups, groupOf(g))
			ids[aws.ToString(g.GroupId)] = true
		}
	}
	if opts.PrefixLists {
		lists := ec2.NewDescribeManagedPrefixListsPaginator(client, &ec2.DescribeManagedPrefixListsInput{
			Filters: []ec2types.Filter{{Name: aws.String("owner-id"), Values: []string{"AWS"}}}}, func(o *ec2.DescribeManagedPrefixListsPaginatorOptions) { o.StopOnDuplicateToken = true })
		pages := pageGuard{action: "ec2:DescribeManagedPrefixLists"}
		for lists.HasMorePages() {
			page, err := lists.NextPage(ctx)
			if err != nil {
				return nil, explain(err, "ec2:DescribeManagedPrefixLists")
			}
			if err := pages.next(page.NextToken); err != nil {
				return nil, err
			}
			for _, l := range page.PrefixLists {
				ex.PrefixLists = append(ex.PrefixLists, PrefixList{PrefixListID: aws.ToString(l.PrefixListId),
					PrefixListName: aws.ToString(l.PrefixListName), OwnerID: aws.ToString(l.OwnerId)})
			}
		}
	}
	if opts.Associations {
		ex.SecurityGroupVpcAssociations = []VpcAssociation{}
		assoc := ec2.NewDescribeSecurityGroupVpcAssociationsPaginator(client, &ec2.DescribeSecurityGroupVpcAssociationsInput{},
			func(o *ec2.DescribeSecurityGroupVpcAssociationsPaginatorOptions) { o.StopOnDuplicateToken = true })
		pages := pageGuard{action: "ec2:DescribeSecurityGroupVpcAssociations"}
		for assoc.HasMorePages() {
			page, err := assoc.NextPage(ctx)
			if err != nil {
				return nil, explain(err, "ec2:DescribeSecurityGroupVpcAssociations")
			}
			if err := pages.next(page.NextToken); err != nil {
				return nil, err
			}
			for _, a := range page.SecurityGroupVpcAssociations {
				if ids[aws.ToString(a.GroupId)] {
					ex.SecurityGroupVpcAssociations = append(ex.SecurityGroupVpcAssociations, VpcAssociation{
						GroupID: aws.ToString(a.GroupId), VpcID: aws.ToString(a.VpcId), State: string(a.State)})
				}
			}
		}
	}
	// The rules of every group, or with --vpc of the VPC's groups, their
	// ids sent a filter's worth at a time.
	batches := [][]string{nil}
	if opts.VPC != "" {
		if len(ids) == 0 {
			return ex, nil
		}
		batches = nil
		for i := 0; i < len(ex.SecurityGroups); i += vpcIDsPerFilter {
			var list []string
			for _, g := range ex.SecurityGroups[i:min(i+vpcIDsPerFilter, len(ex.SecurityGroups))] {
				list = append(list, g.GroupID)
			}
			batches = append(batches, list)
		}
	}
	for _, batch := range batches {
		var ruleFilters []ec2types.Filter
		if batch != nil {
			ruleFilters = append(ruleFilters, ec2types.Filter{Name: aws.String("group-id"), Values: batch})
		}
		rules := ec2.NewDescribeSecurityGroupRulesPaginator(client, &ec2.DescribeSecurityGroupRulesInput{
			Filters: ruleFilters, MaxResults: pageSize(opts.PageSize)}, func(o *ec2.DescribeSecurityGroupRulesPaginatorOptions) { o.StopOnDuplicateToken = true })
		pages := pageGuard{action: "ec2:DescribeSecurityGroupRules"}
		for rules.HasMorePages() {
			page, err := rules.NextPage(ctx)
			if err != nil {
				return nil, explain(err, "ec2:DescribeSecurityGroupRules")
			}
			if err := pages.next(page.NextToken); err != nil {
				return nil, err
			}
			for _, r := range page.SecurityGroupRules {
				if ids[aws.ToString(r.GroupId)] {
					ex.SecurityGroupRules = append(ex.SecurityGroupRules, ruleOf(r))
				}
			}
		}
	}
	return ex, nil
}

// pageGuard stops a paginated read that would never end: a token seen
// before (a loop of any length, which the SDK's own duplicate check, of
// the token just before, does not see) or more pages than any account has.
type pageGuard struct {
	action string
	seen   map[string]bool
	pages  int
}

func (g *pageGuard) next(token *string) error {
	g.pages++
	if g.pages > maxPages {
		return fmt.Errorf("calling %s: more than %d pages; the endpoint does not behave like EC2", g.action, maxPages)
	}
	if token == nil || *token == "" {
		return nil
	}
	if g.seen == nil {
		g.seen = map[string]bool{}
	}
	if g.seen[*token] {
		return fmt.Errorf("calling %s: the endpoint returned the page token %.40q again; the listing would never end", g.action, *token)
	}
	g.seen[*token] = true
	return nil
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

// LoadConfig reads the AWS configuration of the standard chain, with the
// Region and shared-config profile given (each "" for the chain's): for
// the clients of other services than EC2 that the live-account family
// reads (CloudTrail, CloudWatch Logs).
func LoadConfig(ctx context.Context, region, profile string) (aws.Config, error) {
	var loadOpts []func(*config.LoadOptions) error
	if region != "" {
		loadOpts = append(loadOpts, config.WithRegion(region))
	}
	if profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return cfg, fmt.Errorf("reading the AWS configuration: %w", err)
	}
	return cfg, nil
}
