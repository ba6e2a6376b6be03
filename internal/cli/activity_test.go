package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestActivity: the CloudTrail events of the policy's groups (matched to
// the account's ids as drift matches them) are reported; another team's
// group is not; exit 1 with findings; bad input is exit 2.
func TestActivity(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": "group web \"Web servers\"\ngroup db \"Databases\"\nweb -> db tcp/5432 because \"queries\"\n" +
		"never internet -> web tcp/22 because \"no SSH from the internet\"\n"})
	export := filepath.Join(t.TempDir(), "live.json")
	os.WriteFile(export, []byte(`{"SecurityGroups": [
 {"GroupId": "sg-00000000000000001", "GroupName": "web", "Description": "Web servers", "VpcId": "vpc-01234567", "IpPermissions": [], "IpPermissionsEgress": []},
 {"GroupId": "sg-00000000000000002", "GroupName": "db", "Description": "Databases", "VpcId": "vpc-01234567", "IpPermissions": [], "IpPermissionsEgress": []},
 {"GroupId": "sg-0000000000000000f", "GroupName": "other", "Description": "Another team's", "VpcId": "vpc-01234567", "IpPermissions": [], "IpPermissionsEgress": []}]}`), 0o644)
	trail := "../../account/activity/testdata"
	r := run(t, "", "activity", dir, "--cloudtrail", trail, "--live", export, "--pipeline", "arn:aws:iam::111111111111:role/deploy-*")
	if r.code != 1 || !strings.Contains(r.stdout, "activity: 10 security group call(s) on the policy's groups; 1 broke-never, 6 outside-pipeline, 1 opened-and-closed, 2 open-to-internet, 2 failed") ||
		!strings.Contains(r.stdout, "breaks never internet -> web (no SSH from the internet); open 20m0s, until revoked by arn:aws:iam::111111111111:user/alice") ||
		strings.Contains(r.stdout, "sg-0000000000000000f") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "activity", dir, "--cloudtrail", trail, "--live", export, "--pipeline", "arn:aws:iam::111111111111:user/*", "--pipeline", "arn:aws:iam::111111111111:role/*", "--format", "json"); r.code != 1 || !strings.Contains(r.stdout, `"kind": "opened-and-closed"`) || strings.Contains(r.stdout, "outside-pipeline") {
		t.Errorf("json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// SARIF: each finding on its group's declaration.
	r2 := run(t, "", "activity", dir, "--cloudtrail", trail, "--live", export, "--pipeline", "arn:aws:iam::111111111111:role/deploy-*", "--format", "sarif")
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r2.stdout), &sarif); err != nil || r2.code != 1 || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) != 12 {
		t.Fatalf("sarif (%v): exit %d\n%s", err, r2.code, r2.stdout)
	}
	for _, res := range sarif.Runs[0].Results {
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.Region.StartLine < 1 {
			t.Errorf("%s has no place: %+v", res.RuleID, res.Locations)
		}
	}
	// The pipeline from sgc.hcl, when no flag gives it; without either,
	// the deploy role's change is outside the pipeline too.
	withFlag := r.stdout
	if r := run(t, "", "activity", dir, "--cloudtrail", trail, "--live", export); !strings.Contains(r.stdout, "8 outside-pipeline") {
		t.Errorf("without a pipeline:\n%s", r.stdout)
	}
	os.WriteFile(filepath.Join(dir, "sgc.hcl"), []byte("activity {\n  pipeline = [\"arn:aws:iam::111111111111:role/deploy-*\"]\n}\n"), 0o644)
	if r := run(t, "", "activity", dir, "--cloudtrail", trail, "--live", export); r.stdout != withFlag {
		t.Errorf("sgc.hcl's pipeline:\n%s\nwant the flag's:\n%s", r.stdout, withFlag)
	}
	os.WriteFile(filepath.Join(dir, "sgc.hcl"), []byte("activity {\n  pipeline = [\"deploy-[\"]\n}\n"), 0o644)
	if r := run(t, "", "activity", dir, "--cloudtrail", trail, "--live", export); r.code != 1 || !strings.Contains(r.stderr, `sgc.hcl:2:14: error: pipeline "deploy-[" is not an ARN pattern`) {
		t.Errorf("a bad pattern: exit %d\n%s", r.code, r.stderr)
	}
	os.Remove(filepath.Join(dir, "sgc.hcl"))
	notTrail := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(notTrail, []byte(`[1, 2]`), 0o644)
	for _, args := range [][]string{
		{"activity", dir, "--live", export},
		{"activity", dir, "--cloudtrail", trail},
		{"activity", dir, "--cloudtrail", notTrail, "--live", export},
		{"activity", dir, "--cloudtrail", trail, "--live", export, "--window", "-1h"},
		{"activity", dir, "--lookup", "-1h", "--live", export},
	} {
		if r := run(t, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args[2:], r.code, r.stderr)
		}
	}
}
