// Package motoserver starts moto_server, an AWS API emulator, for tests:
// on a free loopback port, stopped when the test ends. A test without
// moto_server is skipped, or fails where SGC_REQUIRE_REALTOOLS is set (as
// CI sets it on machines that have the tool).
package motoserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/sgc-dev/sgc/internal/testproc"
)

// Server is a running emulator.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
}

// Start starts moto_server and stops it when tb's test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("SGC_REQUIRE_REALTOOLS") != "" {
			tb.Fatalf("moto_server is required (SGC_REQUIRE_REALTOOLS) but not installed: %v", err)
		}
		tb.Skipf("moto_server is not installed: this test is skipped")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := testproc.Command(tb, bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	var log lockedBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port)}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.Endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return s
		}
		if time.Now().After(deadline) {
			tb.Fatalf("moto_server did not start: %v\n%s", err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Env points the AWS SDK and CLI of the test at the emulator, with dummy
// credentials.
func (s *Server) Env(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_EC2", s.Endpoint)
	t.Setenv("AWS_ENDPOINT_URL_STS", s.Endpoint)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", s.Endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// EC2 points the test's SDK at the emulator (Env) and returns a client.
func (s *Server) EC2(t *testing.T) *ec2.Client {
	t.Helper()
	s.Env(t)
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithHTTPClient(HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	return ec2.NewFromConfig(cfg)
}

// HTTPClient is the SDK's HTTP client without keep-alive, for the
// clients of tests: each call has a connection of its own, so none meets
// a pooled connection Go's transport is closing. The SDK retries a call
// whose connection was closed while its answer was read
// (aws-sdk-go-v2#2737), and a retried create or authorization is refused
// as a duplicate of the one the first attempt made: TestFetchAWS failed
// so once in CI.
func HTTPClient() aws.HTTPClient {
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.DisableKeepAlives = true })
}

// Client returns a client of the emulator without touching the process's
// environment, for tests that run in parallel.
func (s *Server) Client() *ec2.Client {
	return ec2.New(ec2.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		HTTPClient:   HTTPClient(),
	})
}

// VPC makes a VPC with the block cidr and returns its id.
func VPC(t *testing.T, c *ec2.Client, cidr string) string {
	t.Helper()
	out, err := c.CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Vpc.VpcId
}

// Group makes a security group in vpc and returns its id. Without
// defaultEgress it revokes the allow-all egress AWS gives every new group,
// as sgc's targets do.
func Group(t *testing.T, c *ec2.Client, vpc, name, desc string, defaultEgress bool) string {
	t.Helper()
	ctx := context.Background()
	out, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(desc), VpcId: aws.String(vpc)})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "InvalidGroup.Duplicate" {
		// A retry after a lost answer (see HTTPClient), which a client
		// other than this package's may still make: the first attempt
		// made the group. The test's VPC is its own, so the group of that
		// name is the one this call made.
		out, err = groupNamed(ctx, c, vpc, name)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !defaultEgress {
		_, err := c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: out.GroupId, IpPermissions: []ec2types.IpPermission{
			{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return *out.GroupId
}

// groupNamed finds the group name of vpc, as CreateSecurityGroup would have
// returned it.
func groupNamed(ctx context.Context, c *ec2.Client, vpc, name string) (*ec2.CreateSecurityGroupOutput, error) {
	out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("group-name"), Values: []string{name}}}})
	if err != nil {
		return nil, err
	}
	if len(out.SecurityGroups) != 1 {
		return nil, fmt.Errorf("group %s of %s: %d found after InvalidGroup.Duplicate", name, vpc, len(out.SecurityGroups))
	}
	return &ec2.CreateSecurityGroupOutput{GroupId: out.SecurityGroups[0].GroupId}, nil
}
