package drift_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// The policy drift compares with: the shape of a real one, with groups,
// networks, an external and a prefix list.
const fuzzPolicy = `group web-alb "Public load balancer" internet-facing
group app-servers "Application servers"
group orders-db "Orders database"
network office 203.0.113.0/24, 2001:db8::/48 "Office"
prefix-list s3 pl-63a5400a "S3"
external bastion sg-0123456789abcdef0 "Bastion hosts"
external logging "Central logging"
internet -> web-alb tcp/443 because "shoppers over HTTPS"
web-alb -> app-servers tcp/8080 because "the ALB forwards requests"
app-servers -> orders-db tcp/5432 because "orders queries"
office -> app-servers tcp/22 because "debugging from the office"
app-servers -> s3 tcp/443 because "images in S3"
bastion -> orders-db tcp/5432 because "admin queries"
app-servers -> logging udp/514 because "syslog to central logging"
`

// FuzzDrift compares a fixed policy with arbitrary exports. It must never
// panic: an export either reads and compares, or is a clear error.
func FuzzDrift(f *testing.F) {
	seeds, _ := filepath.Glob("../importer/testdata/*.json")
	more, _ := filepath.Glob("../importer/testdata/seeds/*.json")
	for _, s := range append(seeds, more...) {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("{\"SecurityGroups\":[{\"GroupId\":\"sg-0123456789abcdef9\",\"GroupName\":\"evil\\u001b[2J\\r\\ndrift: no drift\\u202e\",\"VpcId\":\"vpc-01234567\"}]}"))
	f.Add([]byte(`{"SecurityGroups":[{"GroupId":"sg-0123456789abcdef1","GroupName":"orders-db","VpcId":"vpc-01234567","IpPermissions":[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"UserIdGroupPairs":[{"GroupId":"sg-0123456789abcdef0"}]},{"IpProtocol":"tcp","FromPort":-5,"ToPort":-7,"IpRanges":[{"CidrIp":"1.2.3.4/8"}]}]}]}`))
	p := load.FromSources(map[string][]byte{"p.intent": []byte(fuzzPolicy)}, compiler.Options{Now: testkit.Now})
	if p.Diags.HasErrors() {
		f.Fatal(p.Diags)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := live.Parse(data)
		if err != nil {
			return
		}
		rep, err := drift.Compare(p.Program, e)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := rep.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		if lines := strings.Count(text, "\n"); lines != 2*len(rep.Findings)+1 {
			t.Fatalf("%d findings printed on %d lines:\n%s", len(rep.Findings), lines, text)
		}
		if i := strings.IndexFunc(text, func(r rune) bool {
			return r != '\n' && (r < 0x20 || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || r == 0x2028 || r == 0x2029)
		}); i >= 0 {
			t.Fatalf("the text report holds %q:\n%q", text[i:i+1], text)
		}
		if err := rep.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
	})
}
