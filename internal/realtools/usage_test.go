package realtools

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/motoserver"
)

const usagePolicy = `group lb "Load balancer" internet-facing
group web "Web servers"
group db "Order database"
network partner 198.51.100.0/24 "Payment partner"
internet -> lb tcp/443 because "customers browse the shop"
lb -> web tcp/8080 because "the load balancer forwards to the web servers"
web -> db tcp/5432 because "the web servers store orders"
partner -> web tcp/9443 because "the partner confirms payments"
`

// TestUsage reads flow logs from CloudWatch Logs and the interfaces and
// groups from the account (DescribeNetworkInterfaces, DescribeSecurityGroups)
// on moto: sgc usage --cloudwatch --aws credits each record to its flow
// through the interfaces' groups, and finds the partner's flow unused, a
// connection no flow allows and a refused scan.
func TestUsage(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: starts moto")
	}
	m := motoserver.Start(t)
	c := m.EC2(t) // the SDK of the process: sgc usage --aws reads through it
	ctx := context.Background()
	vpc := motoserver.VPC(t, c, "10.61.0.0/16")
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.61.0.0/20")})
	if err != nil {
		t.Fatal(err)
	}
	enis := map[string]string{}
	for i, g := range []string{"lb", "web", "db"} {
		id := motoserver.Group(t, c, vpc, g, "the "+g, false)
		out, err := c.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: sub.Subnet.SubnetId, Groups: []string{id},
			PrivateIpAddress: aws.String(fmt.Sprintf("10.61.0.%d", 10+i))})
		if err != nil {
			t.Fatal(err)
		}
		enis[g] = *out.NetworkInterface.NetworkInterfaceId
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(motoserver.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	logs := cloudwatchlogs.NewFromConfig(cfg)
	group, stream := "/vpc/flow-logs", "all"
	if _, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(-time.Hour).Truncate(time.Second)
	// A custom format, as the flow log would have been created with.
	format := "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
	line := func(eni, src, dst string, sport, dport int, action string) string {
		return fmt.Sprintf("%s %s %s %d %d 6 5 500 %d %d %s OK", eni, src, dst, sport, dport, now.Unix(), now.Unix()+60, action)
	}
	var events []cwtypes.InputLogEvent
	for _, msg := range []string{
		line(enis["lb"], "203.0.113.5", "10.61.0.10", 50000, 443, "ACCEPT"),
		line(enis["lb"], "10.61.0.10", "10.61.0.11", 40000, 8080, "ACCEPT"),
		line(enis["web"], "10.61.0.10", "10.61.0.11", 40000, 8080, "ACCEPT"),
		line(enis["db"], "10.61.0.11", "10.61.0.12", 41000, 5432, "ACCEPT"),
		line(enis["db"], "10.9.9.9", "10.61.0.12", 41001, 5432, "ACCEPT"),
		line(enis["web"], "198.18.0.1", "10.61.0.11", 60000, 3389, "REJECT"),
	} {
		events = append(events, cwtypes.InputLogEvent{Message: aws.String(msg), Timestamp: aws.Int64(now.UnixMilli())})
	}
	if _, err := logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "policy")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "p.intent"), []byte(usagePolicy), 0o644)
	var stdout, stderr strings.Builder
	code := cli.Main([]string{"usage", dir, "--cloudwatch", group, "--since", "2d", "--log-format", format, "--aws", "--vpc", vpc, "--unused-for", "1d"},
		strings.NewReader(""), &stdout, &stderr)
	out := stdout.String()
	if code != 1 {
		t.Fatalf("usage: exit %d, want 1 (an unused flow)\n%s%s", code, out, stderr.String())
	}
	for _, want := range []string{
		"usage: 6 records",
		"internet -> lb tcp/443                             1 records",
		"lb -> web tcp/8080                                 2 records",
		"web -> db tcp/5432                                 1 records",
		"partner -> web tcp/9443                            no traffic",
		"db ingress tcp/5432: 1 records",
		"web ingress tcp/3389: 1 records",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("usage does not say %q:\n%s", want, out)
		}
	}
}
