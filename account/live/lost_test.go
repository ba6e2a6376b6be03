package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
)

// lossyEC2 is an EC2 endpoint of one group's ingress rules that makes
// each change it is asked for and, while lose is set, drops the
// connection instead of answering the first call of each change: the
// change is made, its answer lost.
type lossyEC2 struct {
	mu    sync.Mutex
	rules map[string]bool // "CIDR" or "sgr-..." of the rules in place
	lose  bool
	calls []string // the actions asked, in order
	lost  map[string]bool
}

func startLossyEC2(t *testing.T, lose bool, rules ...string) *lossyEC2 {
	e := &lossyEC2{rules: map[string]bool{}, lose: lose, lost: map[string]bool{}}
	for _, r := range rules {
		e.rules[r] = true
	}
	s := httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(s.Close)
	t.Setenv("AWS_ENDPOINT_URL_EC2", s.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return e
}

func (e *lossyEC2) serve(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	action := r.Form.Get("Action")
	key := r.Form.Get("IpPermissions.1.IpRanges.1.CidrIp") + r.Form.Get("SecurityGroupRuleId.1")
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = append(e.calls, action)
	fail := func(code string) {
		w.WriteHeader(400)
		fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>r</RequestID></Response>`, code, code)
	}
	switch {
	case action == "AuthorizeSecurityGroupIngress" && e.rules[key]:
		fail("InvalidPermission.Duplicate")
		return
	case action == "AuthorizeSecurityGroupIngress":
		e.rules[key] = true
	case action == "RevokeSecurityGroupIngress" && !e.rules[key]:
		fail("InvalidPermission.NotFound")
		return
	case action == "RevokeSecurityGroupIngress":
		delete(e.rules, key)
	default:
		fail("InvalidAction")
		return
	}
	if e.lose && !e.lost[action+key] {
		e.lost[action+key] = true
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close() // made, and the answer lost
		return
	}
	fmt.Fprintf(w, `<%sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><return>true</return></%sResponse>`, action, action)
}

func ingress(cidr string) live.Rule {
	return live.Rule{GroupID: "sg-0123456789abcdef0", Direction: model.Ingress,
		Port: model.Port{Protocol: model.TCP, From: 443, To: 443}, PeerKind: "cidr", Peer: cidr, Description: "clients"}
}

// TestApplyAWSAnswerLost: a change made by an attempt whose answer was
// lost is done when the SDK's retry is refused because it is in place (a
// duplicate authorization, a revoke of a rule no longer there), and revert
// goes on to the next; the same refusal without a lost answer (the
// account changed since it was read) still stops it.
func TestApplyAWSAnswerLost(t *testing.T) {
	opts := live.AWSOptions{MaxBackoff: time.Millisecond}
	changes := []live.Change{
		{Kind: live.Revoke, Rule: ingress("0.0.0.0/0"), RuleID: "sgr-0123456789abcdef0"},
		{Kind: live.Authorize, Rule: ingress("203.0.113.0/24")},
	}

	e := startLossyEC2(t, true, "sgr-0123456789abcdef0")
	var results []string
	done, err := live.ApplyAWS(context.Background(), opts, changes, false, func(a live.Applied) { results = append(results, a.Result) })
	if err != nil || done != 2 {
		t.Fatalf("answers lost: %d done, %v; want both done", done, err)
	}
	if want := live.ResultMadeBefore + "|" + live.ResultMadeBefore; strings.Join(results, "|") != want {
		t.Errorf("results %q, want %q", results, want)
	}
	if got := strings.Join(e.calls, " "); got != "RevokeSecurityGroupIngress RevokeSecurityGroupIngress AuthorizeSecurityGroupIngress AuthorizeSecurityGroupIngress" {
		t.Errorf("calls: %s, want each change asked twice (the first answer lost)", got)
	}
	if len(e.rules) != 1 || !e.rules["203.0.113.0/24"] {
		t.Errorf("rules in place: %v, want only 203.0.113.0/24", e.rules)
	}

	// Answered at once, the same refusals stop revert at the first.
	e = startLossyEC2(t, false, "203.0.113.0/24")
	results = nil
	done, err = live.ApplyAWS(context.Background(), opts, changes, false, func(a live.Applied) { results = append(results, a.Result) })
	if err == nil || done != 0 || len(results) != 1 || !strings.Contains(results[0], "InvalidPermission.NotFound") {
		t.Errorf("refused at once: %d done, %v, results %q; want a stop at the revoke", done, err, results)
	}
}
