package drift_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/importer"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// TestPasteUsesThePolicysNames: rules opened by hand are written as flows
// to paste into the policy: between its groups by their role names, from
// its networks by their names, declaring only what it lacks.
func TestPasteUsesThePolicysNames(t *testing.T) {
	p := load.FromSources(map[string][]byte{"p.intent": []byte("group web \"Web servers\"\ngroup db \"Databases\"\nnetwork office 198.51.100.0/24 \"Head office\"\nweb -> db tcp/5432 because \"orders queries\"\noffice -> web tcp/443 because \"staff\"\n")},
		compiler.Options{Now: testkit.Now})
	e, err := live.Parse([]byte(`{"SecurityGroups": [
 {"GroupId": "sg-00000000000000001", "GroupName": "web-20261202034707105100000006", "Description": "Web servers", "VpcId": "vpc-01234567",
  "Tags": [{"Key": "Name", "Value": "web"}],
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "198.51.100.0/24", "Description": "staff"}]}],
  "IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": "sg-00000000000000002", "Description": "orders queries"}]}]},
 {"GroupId": "sg-00000000000000002", "GroupName": "db-20261202034707105100000007", "Description": "Databases", "VpcId": "vpc-01234567",
  "Tags": [{"Key": "Name", "Value": "db"}],
  "IpPermissions": [
   {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": "sg-00000000000000001", "Description": "orders queries"}]},
   {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "198.51.100.0/24", "Description": "debugging"}]},
   {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "a test"}]}],
  "IpPermissionsEgress": []}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := drift.Compare(p.Program, e)
	if err != nil {
		t.Fatal(err)
	}
	hand, ids := rep.HandAdded()
	drafts, err := importer.Import(hand, importer.Options{Known: p.Program, KnownIDs: ids})
	if err != nil || len(drafts) != 1 {
		t.Fatal(drafts, err)
	}
	paste := drafts[0].Source
	text := strings.Join(strings.Fields(string(paste)), " ")
	for _, want := range []string{"office -> db tcp/22", "-> db tcp/3306"} {
		if !strings.Contains(text, want) {
			t.Errorf("the paste lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"group db", "group web", "network office", "2026120203"} {
		if strings.Contains(text, not) {
			t.Errorf("the paste holds %q:\n%s", not, text)
		}
	}
	// Pasted into the policy, it compiles.
	both := load.FromSources(map[string][]byte{"p.intent": []byte("group web \"Web servers\"\ngroup db \"Databases\"\nnetwork office 198.51.100.0/24 \"Head office\"\nweb -> db tcp/5432 because \"orders queries\"\noffice -> web tcp/443 because \"staff\"\n"), "paste.intent": paste},
		compiler.Options{Now: testkit.Now})
	if both.Diags.HasErrors() {
		t.Errorf("the policy with the paste does not compile: %v\n%s", both.Diags, text)
	}
}
