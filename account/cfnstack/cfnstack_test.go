package cfnstack

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// decode reads a template into plain values, for comparing two of them.
func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		t.Fatal(err)
	}
	var plain func(n *yaml.Node) any
	plain = func(n *yaml.Node) any {
		switch n.Kind {
		case yaml.DocumentNode:
			return plain(n.Content[0])
		case yaml.MappingNode:
			m := map[string]any{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				m[n.Content[i].Value] = plain(n.Content[i+1])
			}
			return m
		case yaml.SequenceNode:
			var out []any
			for _, c := range n.Content {
				out = append(out, plain(c))
			}
			return map[string]any{n.Tag: out}
		}
		return n.Tag + " " + n.Value
	}
	return plain(&n).(map[string]any)
}

// TestRetainChangesOnlyPolicies: the Retain template is the stack's own
// with DeletionPolicy and UpdateReplacePolicy Retain on each security
// group resource (one that said Delete too), and nothing else: every
// other key, tag (!Ref, !GetAtt, !Sub) and comment is as it was.
func TestRetainChangesOnlyPolicies(t *testing.T) {
	s, err := Parse(read(t, "legacy.yaml"), read(t, "resources.json"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "legacy" || len(s.Groups) != 2 || s.Groups["Db"] != "sg-0123456789abcdef1" || strings.Join(s.Resources, ",") != "Web,Db,DbFromWeb" {
		t.Fatalf("stack %+v", s)
	}
	out, err := s.Retain()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "# The web tier's group, with an inline rule.") {
		t.Errorf("the comment is lost:\n%s", out)
	}
	before, after := decode(t, read(t, "legacy.yaml")), decode(t, out)
	res := after["Resources"].(map[string]any)
	for _, id := range []string{"Web", "Db", "DbFromWeb"} {
		r := res[id].(map[string]any)
		if r["DeletionPolicy"] != "!!str Retain" || r["UpdateReplacePolicy"] != "!!str Retain" {
			t.Errorf("%s: %v", id, r)
		}
		delete(r, "DeletionPolicy")
		delete(r, "UpdateReplacePolicy")
		delete(before["Resources"].(map[string]any)[id].(map[string]any), "DeletionPolicy")
	}
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	if string(a) != string(b) {
		t.Errorf("more than the policies changed:\nbefore %s\nafter  %s", b, a)
	}
}

// TestRelease: the release template holds no security group resource,
// and what referred to a group refers to its id; what cannot be written
// as a literal is said.
func TestRelease(t *testing.T) {
	s, err := Parse(read(t, "legacy.yaml"), read(t, "resources.json"))
	if err != nil {
		t.Fatal(err)
	}
	out, notes, err := s.WithoutGroups()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, gone := range []string{"AWS::EC2::SecurityGroup", "!Ref Web", ", GroupId]", ".GroupId", "DependsOn", "${Web"} {
		if strings.Contains(text, gone) {
			t.Errorf("the release template still holds %q:\n%s", gone, text)
		}
	}
	for _, want := range []string{"- sg-0123456789abcdef0\n", "- sg-0123456789abcdef1\n", "Value: sg-0123456789abcdef0\n", `!Sub "orders-sg-0123456789abcdef0-sg-0123456789abcdef0-${AWS::Region}"`, "!Ref VpcId", "Name: !Sub \"${AWS::StackName}-web\""} {
		if !strings.Contains(text, want) {
			t.Errorf("the release template lacks %q:\n%s", want, text)
		}
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "Resources.Endpoint: uses Web.VpcId") {
		t.Errorf("notes %q", notes)
	}
}

// TestJSONStaysJSON: get-template's output of a JSON template gives JSON
// templates, keys in their order.
func TestJSONStaysJSON(t *testing.T) {
	tpl := `{"TemplateBody": {"Resources": {"Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "Web", "VpcId": "vpc-01234567", "Tags": [{"Key": "n", "Value": 1}]}},
 "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"VpcConfig": {"SecurityGroupIds": [{"Fn::GetAtt": ["Web", "GroupId"]}], "SubnetIds": []}}}},
 "Outputs": {"Id": {"Value": {"Ref": "Web"}}}}, "StagesAvailable": ["Original"]}`
	res := `{"StackResourceSummaries": [{"LogicalResourceId": "Web", "PhysicalResourceId": "sg-0123456789abcdef0", "ResourceType": "AWS::EC2::SecurityGroup"}]}`
	s, err := Parse([]byte(tpl), []byte(res))
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Retain()
	if err != nil || !json.Valid(out) || !strings.Contains(string(out), `"DeletionPolicy": "Retain"`) || !strings.Contains(string(out), `"Value": 1`) {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Index(string(out), `"Web"`) > strings.Index(string(out), `"Fn"`) {
		t.Errorf("keys reordered:\n%s", out)
	}
	rel, _, err := s.WithoutGroups()
	if err != nil || !json.Valid(rel) || !strings.Contains(string(rel), `"SecurityGroupIds": [
            "sg-0123456789abcdef0"
          ]`) || !strings.Contains(string(rel), `"Value": "sg-0123456789abcdef0"`) {
		t.Errorf("%v\n%s", err, rel)
	}
}

func TestParseRefuses(t *testing.T) {
	res := string(read(t, "resources.json"))
	for _, tc := range []struct{ name, tpl, res, want string }{
		{"not a template", "- a list", res, "not a mapping"},
		{"no resources", "Description: x\n", res, "no Resources"},
		{"no groups", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n", res, "no AWS::EC2::SecurityGroup"},
		{"no physical id", "Resources:\n  Other:\n    Type: AWS::EC2::SecurityGroup\n", res, "no physical id for Other"},
		{"not resources", "Resources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n", `{"x": 1}`, "no StackResources"},
		{"a group outside a VPC", "Resources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n", `{"StackResources": [{"LogicalResourceId": "Web", "PhysicalResourceId": "legacy-Web-1"}]}`, "is not a security group id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.tpl), []byte(tc.res))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// FuzzParse: any template gives a stack or an error, and a stack's
// templates render, never a panic.
func FuzzParse(f *testing.F) {
	res, _ := os.ReadFile("testdata/resources.json")
	tpl, _ := os.ReadFile("testdata/legacy.yaml")
	f.Add(tpl)
	f.Add([]byte(`{"TemplateBody": "{\"Resources\": {\"Web\": {\"Type\": \"AWS::EC2::SecurityGroup\"}}}"}`))
	f.Fuzz(func(t *testing.T, tpl []byte) {
		s, err := Parse(tpl, res)
		if err != nil {
			return
		}
		s.Retain()
		s.WithoutGroups()
	})
}
