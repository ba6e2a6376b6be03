package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/account/live"
)

// hostileEC2 serves handler as the EC2 endpoint of the test.
func hostileEC2(t *testing.T, handler http.HandlerFunc) {
	s := httptest.NewServer(handler)
	t.Cleanup(func() {
		s.CloseClientConnections()
		s.Close()
	})
	t.Setenv("AWS_ENDPOINT_URL_EC2", s.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
}

const groupsPage = `<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><securityGroupInfo>%s</securityGroupInfo>%s</DescribeSecurityGroupsResponse>`

func groupItem(id string) string {
	return fmt.Sprintf(`<item><groupId>%s</groupId><groupName>%s</groupName><groupDescription>Web</groupDescription><vpcId>vpc-01234567</vpcId><ownerId>123456789012</ownerId><ipPermissions/><ipPermissionsEgress/></item>`, id, id)
}

// TestFetchAWSBounded: an endpoint that never answers, trickles, loops its
// page tokens or sends without end fails the read with an error that says
// so, promptly; nothing hangs or grows without a bound.
func TestFetchAWSBounded(t *testing.T) {
	fast := live.AWSOptions{MaxAttempts: 2, MaxBackoff: time.Millisecond, CallTimeout: 300 * time.Millisecond, Timeout: 5 * time.Second}
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		opts    live.AWSOptions
		want    string
	}{
		{"never answers", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		}, fast, "ec2:DescribeSecurityGroups"},
		{"trickles", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<DescribeSecurityGroupsResponse>"))
			for i := 0; i < 100; i++ {
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
				w.Write([]byte(" "))
			}
		}, fast, "ec2:DescribeSecurityGroups"},
		{"loops its tokens", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			next := map[string]string{"": "a", "a": "b", "b": "a"}[r.Form.Get("NextToken")]
			fmt.Fprintf(w, groupsPage, groupItem("sg-0123456789abcdef0"), "<nextToken>"+next+"</nextToken>")
		}, fast, "page token"},
		{"sends without end", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>`))
			chunk := []byte(strings.Repeat("x", 64<<10))
			for i := 0; i < 1024; i++ { // 64 MB at most, then the test server stops
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, live.AWSOptions{MaxAttempts: 1, MaxResponse: 1 << 20, Timeout: 20 * time.Second}, "larger than|closed network connection"},
		{"times out as a whole", func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(200 * time.Millisecond)
			r.ParseForm()
			n := len(r.Form.Get("NextToken"))
			fmt.Fprintf(w, groupsPage, groupItem(fmt.Sprintf("sg-%017x", n)), fmt.Sprintf("<nextToken>%s</nextToken>", strings.Repeat("t", n+1)))
		}, live.AWSOptions{MaxAttempts: 1, Timeout: time.Second}, "--timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hostileEC2(t, tc.handler)
			start := time.Now()
			_, err := live.FetchAWS(context.Background(), tc.opts)
			// (An endless body is cut off at the bound; the SDK sometimes
			// closes the connection first and says so instead: either way
			// the read stops at once.)
			if err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error()) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
			if d := time.Since(start); d > 15*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestFetchAWSPagesVPCGroupIDs: with a VPC, the rules are asked for by the
// VPC's group ids, at most 200 in one filter (AWS refuses more), and all
// are read.
func TestFetchAWSPagesVPCGroupIDs(t *testing.T) {
	var maxValues, calls int32
	hostileEC2(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		switch r.Form.Get("Action") {
		case "DescribeSecurityGroups":
			var items strings.Builder
			for i := 0; i < 450; i++ {
				items.WriteString(groupItem(fmt.Sprintf("sg-%017x", i)))
			}
			fmt.Fprintf(w, groupsPage, items.String(), "")
		case "DescribeSecurityGroupRules":
			atomic.AddInt32(&calls, 1)
			n := int32(0)
			for k := range r.Form {
				if strings.HasPrefix(k, "Filter.1.Value.") {
					n++
				}
			}
			if n > atomic.LoadInt32(&maxValues) {
				atomic.StoreInt32(&maxValues, n)
			}
			fmt.Fprint(w, `<DescribeSecurityGroupRulesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><securityGroupRuleSet/></DescribeSecurityGroupRulesResponse>`)
		}
	})
	ex, err := live.FetchAWS(context.Background(), live.AWSOptions{VPC: "vpc-01234567"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.SecurityGroups) != 450 || calls != 3 || maxValues != 200 {
		t.Errorf("%d groups, %d rule calls, at most %d ids a filter; want 450, 3, 200", len(ex.SecurityGroups), calls, maxValues)
	}
}
