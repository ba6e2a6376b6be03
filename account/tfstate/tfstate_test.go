package tfstate

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func fixture(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/state.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestParseState reads the state terraform 1.11 wrote for a configuration
// in every style (internal/realtools TestMigrateFromTerraform applies it to
// moto): each resource's configuration address and module, the groups, the
// AWS rules each resource manages, and the module with other resources.
func TestParseState(t *testing.T) {
	s, err := Parse(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Resources) != 13 {
		t.Fatalf("%d resources, want 13", len(s.Resources))
	}
	if g := s.Groups(); len(g) != 4 {
		t.Errorf("groups %v, want 4", g)
	}
	if s.OtherResources["module.db"] != 1 || s.OtherResources["module.cache"] != 0 {
		t.Errorf("other resources %v, want module.db's terraform_data alone", s.OtherResources)
	}
	by := map[string]Resource{}
	for _, r := range s.Resources {
		by[r.Address] = r
	}
	for _, tc := range []struct {
		address, config, module string
		rules                   int
		peer                    string // of the first rule
	}{
		{`aws_security_group_rule.app_out_https`, "aws_security_group_rule.app_out_https", "", 2, "10.20.0.0/16"},
		{`aws_security_group_rule.app_gossip_in`, "aws_security_group_rule.app_gossip_in", "", 1, "sg-560098601d5470d4a"}, // self
		{`aws_security_group_rule.app_s3`, "aws_security_group_rule.app_s3", "", 1, "pl-63a5400a"},
		{`aws_vpc_security_group_egress_rule.lb_to_app`, "aws_vpc_security_group_egress_rule.lb_to_app", "", 1, "sg-560098601d5470d4a"},
		{`module.cache[0].aws_security_group_rule.ingress_rules[0]`, "module.cache.aws_security_group_rule.ingress_rules", "module.cache", 3, "10.20.0.0/16"},
		// A group's state lists the rules the provider read when it last
		// read the group: here, when it was created, before its rule
		// resources were.
		{`module.db["main"].aws_security_group.this[0]`, "module.db.aws_security_group.this", "module.db", 0, ""},
		{`aws_security_group.lb`, "aws_security_group.lb", "", 2, "0.0.0.0/0"},
	} {
		r, ok := by[tc.address]
		if !ok {
			t.Errorf("%s not read", tc.address)
			continue
		}
		if r.Config != tc.config || r.Module != tc.module || len(r.Rules) != tc.rules || (len(r.Rules) > 0 && r.Rules[0].Peer != tc.peer) {
			t.Errorf("%s: config %q module %q, %d rules %v", tc.address, r.Config, r.Module, len(r.Rules), r.Rules)
		}
	}
	if id := by["aws_vpc_security_group_egress_rule.lb_to_app"].RuleID; id != "sgr-0a34670a8f7275711" {
		t.Errorf("rule id %q", id)
	}
}

// TestParsePlan: a plan's JSON is read by its prior state, the same.
func TestParsePlan(t *testing.T) {
	var state map[string]json.RawMessage
	if err := json.Unmarshal(fixture(t), &state); err != nil {
		t.Fatal(err)
	}
	plan, _ := json.Marshal(map[string]any{"format_version": "1.2", "prior_state": state, "planned_values": map[string]any{}})
	s, err := Parse(plan)
	if err != nil || len(s.Resources) != 13 {
		t.Fatalf("%v %v", s, err)
	}
}

// TestParseRefuses: what is not a state or plan of format 1.x, or holds
// nothing to take over, or values AWS would not have given, is an error
// that says so.
func TestParseRefuses(t *testing.T) {
	group := func(id string) string {
		return `{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_security_group.a", "mode": "managed", "type": "aws_security_group", "values": {"id": "` + id + `", "name": "a", "vpc_id": "vpc-01234567", "ingress": [], "egress": []}}]}}}`
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", "terraform", "not the JSON of terraform show -json"},
		{"a raw tfstate", `{"version": 4, "terraform_version": "1.11.0", "resources": []}`, "a raw terraform.tfstate is not read"},
		{"another format", `{"format_version": "2.0", "values": {}}`, `format_version "2.0"`},
		{"empty", `{"format_version": "1.0"}`, "the state is empty"},
		{"nothing applied", `{"format_version": "1.2", "planned_values": {}}`, "nothing applied yet"},
		{"no groups", `{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "terraform_data.x", "mode": "managed", "type": "terraform_data", "values": {}}]}}}`, "manages no security groups"},
		{"a bad group id", group("sg-1; rm -rf /"), "is not a security group id"},
		{"a bad address", strings.Replace(group("sg-01234567"), `"aws_security_group.a"`, `"aws_security_group.a[\"x]"`, 1), "an instance key Terraform would not write"},
		{"a name with a brace", strings.Replace(group("sg-01234567"), `"aws_security_group.a"`, `"aws_security_group.a}"`, 1), "is not a Terraform name"},
		{"a rule without a peer", `{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_security_group_rule.r", "mode": "managed", "type": "aws_security_group_rule", "values": {"type": "ingress", "security_group_id": "sg-01234567", "protocol": "tcp", "from_port": 1, "to_port": 2}}]}}}`, "with no peer"},
		{"ports out of range", `{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_security_group_rule.r", "mode": "managed", "type": "aws_security_group_rule", "values": {"type": "ingress", "security_group_id": "sg-01234567", "protocol": "tcp", "from_port": 1, "to_port": 70000, "cidr_blocks": ["10.0.0.0/8"]}}]}}}`, "not a port range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestConfigAddress(t *testing.T) {
	for _, tc := range []struct{ in, config, top string }{
		{"aws_security_group.a", "aws_security_group.a", ""},
		{`module.y["db"].aws_security_group.this[0]`, "module.y.aws_security_group.this", "module.y"},
		{`module.y["a.b]\"c"].module.z[3].aws_security_group_rule.r[12]`, "module.y.module.z.aws_security_group_rule.r", "module.y"},
	} {
		config, top, err := configAddress(tc.in)
		if err != nil || config != tc.config || top != tc.top {
			t.Errorf("configAddress(%q) = %q, %q, %v; want %q, %q", tc.in, config, top, err, tc.config, tc.top)
		}
	}
}

// FuzzParse: any input gives a state or an error, never a panic, and a
// state's addresses are Terraform names only.
func FuzzParse(f *testing.F) {
	data, _ := os.ReadFile("testdata/state.json")
	f.Add(data)
	f.Add([]byte(`{"format_version": "1.0", "values": {"root_module": {"child_modules": [{"child_modules": []}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		for _, r := range s.Resources {
			for _, part := range strings.Split(r.Config, ".") {
				if !identifier.MatchString(part) {
					t.Fatalf("config address %q", r.Config)
				}
			}
		}
	})
}
