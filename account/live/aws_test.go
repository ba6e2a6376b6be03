package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestFetchAWS reads an emulated account with the SDK: every group of the
// VPC over several pages, each rule with its sgr- id, descriptions and
// tags, and nothing of another VPC.
func TestFetchAWS(t *testing.T) {
	m := motoserver.Start(t)
	c := m.EC2(t)
	ctx := context.Background()
	vpc := motoserver.VPC(t, c, "10.1.0.0/16")
	other := motoserver.VPC(t, c, "10.2.0.0/16")
	var ids []string
	for i := 0; i < 12; i++ { // more than two pages of 5
		ids = append(ids, motoserver.Group(t, c, vpc, fmt.Sprintf("app-%02d", i), "App tier", true))
	}
	motoserver.Group(t, c, other, "elsewhere", "Another VPC", true)
	// Made again, as the SDK's retry of a create whose answer was lost
	// makes it, a group is the one made first (motoserver.Group).
	if again := motoserver.Group(t, c, vpc, "app-00", "App tier", true); again != ids[0] {
		t.Errorf("app-00 made again: %s, want the first's %s", again, ids[0])
	}
	_, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(ids[0]),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			IpRanges:         []ec2types.IpRange{{CidrIp: aws.String("203.0.113.0/24"), Description: aws.String("office")}},
			Ipv6Ranges:       []ec2types.Ipv6Range{{CidrIpv6: aws.String("2001:db8::/48"), Description: aws.String("office v6")}},
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(ids[1]), Description: aws.String("app-01 calls app-00")}}}},
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSecurityGroupRule,
			Tags: []ec2types.Tag{{Key: aws.String("sgc:source"), Value: aws.String("app.intent")}}}}})
	if err != nil {
		t.Fatal(err)
	}

	ex, err := live.FetchAWS(ctx, live.AWSOptions{VPC: vpc, PageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, g := range ex.SecurityGroups {
		if g.VpcID != vpc {
			t.Errorf("group %s of another VPC read", g.GroupName)
		}
		names[g.GroupName] = true
	}
	if len(names) != 13 || !names["default"] || !names["app-11"] {
		t.Errorf("groups read: %v (want the 12 made and the VPC's default)", names)
	}
	var app0 *live.Group
	for i := range ex.SecurityGroups {
		if ex.SecurityGroups[i].GroupID == ids[0] {
			app0 = &ex.SecurityGroups[i]
		}
	}
	rules, problems := app0.Rules()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var ingress []string
	for _, r := range rules {
		if r.Direction.String() == "ingress" {
			ingress = append(ingress, r.Peer+" "+r.Description)
		}
	}
	want := "203.0.113.0/24 office|2001:db8::/48 office v6|" + ids[1] + " app-01 calls app-00"
	if got := strings.Join(ingress, "|"); !sameSet(got, want) {
		t.Errorf("ingress of app-00: %s, want %s", got, want)
	}
	tagged := 0
	for _, r := range ex.SecurityGroupRules {
		if !strings.HasPrefix(r.ID, "sgr-") {
			t.Errorf("rule without an sgr- id: %+v", r)
		}
		for _, tag := range r.Tags {
			if tag.Key == "sgc:source" && tag.Value == "app.intent" {
				tagged++
			}
		}
	}
	if tagged != 3 {
		t.Errorf("%d rules carry the sgc:source tag, want 3", tagged)
	}
}

func sameSet(a, b string) bool {
	as, bs := strings.Split(a, "|"), strings.Split(b, "|")
	if len(as) != len(bs) {
		return false
	}
	seen := map[string]int{}
	for _, x := range as {
		seen[x]++
	}
	for _, x := range bs {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// fakeEC2 answers like EC2: errors for the first calls, then empty pages.
func fakeEC2(t *testing.T, failures int, status int, code string) (*httptest.Server, *int32) {
	var calls int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := atomic.AddInt32(&calls, 1)
		r.ParseForm()
		if int(n) <= failures {
			w.WriteHeader(status)
			fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>r%d</RequestID></Response>`, code, code, n)
			return
		}
		switch r.Form.Get("Action") {
		case "DescribeSecurityGroups":
			// Two pages: the first ends with a token for the second.
			id, next := "sg-0123456789abcdef0", "<nextToken>page-2</nextToken>"
			if r.Form.Get("NextToken") == "page-2" {
				id, next = "sg-0123456789abcdef1", ""
			}
			fmt.Fprintf(w, `<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><securityGroupInfo><item><groupId>%s</groupId><groupName>%s</groupName><groupDescription>Web</groupDescription><vpcId>vpc-01234567</vpcId><ownerId>123456789012</ownerId><ipPermissions/><ipPermissionsEgress/></item></securityGroupInfo>%s</DescribeSecurityGroupsResponse>`, id, id, next)
		case "DescribeSecurityGroupRules":
			fmt.Fprint(w, `<DescribeSecurityGroupRulesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><securityGroupRuleSet/></DescribeSecurityGroupRulesResponse>`)
		default:
			w.WriteHeader(400)
		}
	}))
	t.Cleanup(s.Close)
	t.Setenv("AWS_ENDPOINT_URL_EC2", s.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	return s, &calls
}

// TestFetchAWSRetriesThrottling: throttled calls are retried with backoff
// until they pass, and every page is read.
func TestFetchAWSRetriesThrottling(t *testing.T) {
	_, calls := fakeEC2(t, 3, 503, "RequestLimitExceeded")
	ex, err := live.FetchAWS(context.Background(), live.AWSOptions{MaxBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.SecurityGroups) != 2 || *calls != 6 {
		t.Errorf("%d groups after %d calls, want 2 (two pages) after 6 (3 throttled)", len(ex.SecurityGroups), *calls)
	}
}

// TestFetchAWSExplainsErrors: a denied action names the IAM actions
// needed; missing credentials say how to give them.
func TestFetchAWSExplainsErrors(t *testing.T) {
	fakeEC2(t, 100, 403, "UnauthorizedOperation")
	_, err := live.FetchAWS(context.Background(), live.AWSOptions{MaxBackoff: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "ec2:DescribeSecurityGroups") {
		t.Errorf("denied: %v", err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	_, err = live.FetchAWS(context.Background(), live.AWSOptions{MaxBackoff: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials") {
		t.Errorf("without credentials: %v", err)
	}
}

// TestFetchAWSAssociations: asked for, the groups' VPC associations are
// read, those of groups not read are left out; not asked for, none are,
// and the export says they were not read (nil).
func TestFetchAWSAssociations(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		switch r.Form.Get("Action") {
		case "DescribeSecurityGroups":
			fmt.Fprint(w, `<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><securityGroupInfo><item><groupId>sg-0123456789abcdef0</groupId><groupName>web</groupName><groupDescription>Web</groupDescription><vpcId>vpc-01234567</vpcId><ownerId>123456789012</ownerId><ipPermissions/><ipPermissionsEgress/></item></securityGroupInfo></DescribeSecurityGroupsResponse>`)
		case "DescribeSecurityGroupRules":
			fmt.Fprint(w, `<DescribeSecurityGroupRulesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><securityGroupRuleSet/></DescribeSecurityGroupRulesResponse>`)
		case "DescribeSecurityGroupVpcAssociations":
			fmt.Fprint(w, `<DescribeSecurityGroupVpcAssociationsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><securityGroupVpcAssociationSet>`+
				`<item><groupId>sg-0123456789abcdef0</groupId><vpcId>vpc-0000000000000000a</vpcId><state>associated</state></item>`+
				`<item><groupId>sg-0fedcba9876543210</groupId><vpcId>vpc-0000000000000000b</vpcId><state>associated</state></item>`+
				`</securityGroupVpcAssociationSet></DescribeSecurityGroupVpcAssociationsResponse>`)
		default:
			w.WriteHeader(400)
		}
	}))
	t.Cleanup(s.Close)
	t.Setenv("AWS_ENDPOINT_URL_EC2", s.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	ex, err := live.FetchAWS(context.Background(), live.AWSOptions{Associations: true, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.SecurityGroupVpcAssociations) != 1 || ex.SecurityGroupVpcAssociations[0] != (live.VpcAssociation{GroupID: "sg-0123456789abcdef0", VpcID: "vpc-0000000000000000a", State: "associated"}) {
		t.Errorf("associations %+v, want web's alone", ex.SecurityGroupVpcAssociations)
	}
	if ex, err = live.FetchAWS(context.Background(), live.AWSOptions{MaxAttempts: 1}); err != nil || ex.SecurityGroupVpcAssociations != nil {
		t.Errorf("not asked for: %+v, %v", ex.SecurityGroupVpcAssociations, err)
	}
}
