package cloudformation_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/lang/diag"
)

const keptPolicy = `group web "Web tier ${tier} & friends"
group db "DB"
network office 203.0.113.0/24 "office"
office -> web tcp/443 because "staff use the app"
web -> db tcp/5432 because "the app reads the database"
`

// TestDescriptionKept: building over an earlier output, a group whose
// description changed keeps the AWS description the output gave it and
// carries the new one in its Description tag; nothing else changes, so
// CloudFormation updates the group in place (no replacement, no new
// exported id for split rule stacks to refuse). The kept description
// stays kept on later builds, and reverting the policy gives back the
// first output byte for byte.
func TestDescriptionKept(t *testing.T) {
	for _, opts := range []emit.Options{{}, {Format: "json"}, {Split: true}, {Split: true, Format: "json"}, {GroupNames: emit.NameExact}} {
		t.Run(fmt.Sprintf("%+v", opts), func(t *testing.T) {
			dir := t.TempDir()
			write := func(files []emit.File) {
				t.Helper()
				if _, err := emit.WriteDir(dir, cloudformation.Target, files); err != nil {
					t.Fatal(err)
				}
			}
			first := build(t, compile(t, map[string][]byte{"p.intent": []byte(keptPolicy)}), opts)
			write(first)
			prev, err := emit.Previous(dir, cloudformation.Target)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string]string{"web": "Web tier ${tier} & friends", "db": "DB"}; !reflect.DeepEqual(prev.Descriptions, want) {
				t.Fatalf("read back %v, want %v", prev.Descriptions, want)
			}

			edited := compile(t, map[string][]byte{"p.intent": []byte(strings.Replace(keptPolicy, `"DB"`, `"Databases (PostgreSQL)"`, 1))})
			next := opts
			next.Earlier = prev
			second, diags := cloudformation.Emit(edited, next)
			var notes []*diag.Diagnostic
			for _, d := range diags {
				if d.Code == cloudformation.DescriptionKept {
					notes = append(notes, d)
				}
			}
			var db *model.Group
			for _, g := range edited.Groups {
				if g.Name == "db" {
					db = g
				}
			}
			if len(notes) != 1 || notes[0].Severity != diag.Info || notes[0].Subject != db.Range {
				t.Fatalf("want one note at group db, got %v", diags)
			}
			before, after := templates(t, first), templates(t, second)
			changed := 0
			for name, tpl := range after {
				if reflect.DeepEqual(tpl, before[name]) {
					continue
				}
				changed++
				res, old := tpl.Section("Resources"), before[name].Section("Resources")
				if !reflect.DeepEqual(keys(res), keys(old)) || !reflect.DeepEqual(tpl.Section("Outputs"), before[name].Section("Outputs")) {
					t.Errorf("%s: logical IDs or outputs changed", name)
				}
				for id := range res {
					if id != "Db" && !reflect.DeepEqual(res[id], old[id]) {
						t.Errorf("%s: %s changed", name, id)
					}
				}
				props := res["Db"].(map[string]any)["Properties"].(map[string]any)
				if props["GroupDescription"] != "DB" {
					t.Errorf("GroupDescription = %v, want the kept DB", props["GroupDescription"])
				}
				if tags := fmt.Sprint(props["Tags"]); !strings.Contains(tags, "Key:Description Value:Databases (PostgreSQL)") {
					t.Errorf("tags %s lack the new description", tags)
				}
			}
			if changed != 1 {
				t.Errorf("%d templates changed, want the one holding the group", changed)
			}

			write(second)
			again, err := emit.Previous(dir, cloudformation.Target)
			if err != nil || again.Descriptions["db"] != "DB" {
				t.Fatalf("after the second build, db's description reads %q (%v)", again.Descriptions["db"], err)
			}
			next.Earlier = again
			if third := build(t, edited, next); !sameFiles(third, second) {
				t.Error("a third build differs from the second")
			}
			reverted := build(t, compile(t, map[string][]byte{"p.intent": []byte(keptPolicy)}), next)
			if !sameFiles(reverted, first) {
				t.Error("reverting the description does not give the first output back")
			}
		})
	}
}

// TestPreviousReadsOnlyOwnOutput: the descriptions kept come only from
// files this target wrote into the directory, still generated, and only
// when AWS and the compiler would accept them: a template edited by hand
// cannot put a dynamic reference or a foreign character into the output.
func TestPreviousReadsOnlyOwnOutput(t *testing.T) {
	p := compile(t, map[string][]byte{"p.intent": []byte(keptPolicy)})
	if prev, err := emit.Previous(filepath.Join(t.TempDir(), "none"), cloudformation.Target); err != nil || prev.Descriptions != nil || prev.Addresses != nil {
		t.Fatalf("a missing directory: %v, %v", prev, err)
	}
	for _, tc := range []struct {
		name string
		edit func(dir string, data []byte) []byte
		want map[string]string
	}{
		{"as written", nil, map[string]string{"web": "Web tier ${tier} & friends", "db": "DB"}},
		{"dynamic reference", func(_ string, d []byte) []byte {
			return bytes.Replace(d, []byte("GroupDescription: DB"), []byte("GroupDescription: '{{resolve:ssm:/db/password}}'"), 1)
		}, map[string]string{"web": "Web tier ${tier} & friends"}},
		{"a character AWS refuses", func(_ string, d []byte) []byte {
			return bytes.Replace(d, []byte("GroupDescription: DB"), []byte("GroupDescription: \"DB\\u00e9\""), 1)
		}, map[string]string{"web": "Web tier ${tier} & friends"}},
		{"too long", func(_ string, d []byte) []byte {
			return bytes.Replace(d, []byte("GroupDescription: DB"), []byte("GroupDescription: "+strings.Repeat("x", 256)), 1)
		}, map[string]string{"web": "Web tier ${tier} & friends"}},
		{"not a string", func(_ string, d []byte) []byte {
			return bytes.Replace(d, []byte("GroupDescription: DB"), []byte("GroupDescription: !Ref VpcId"), 1)
		}, map[string]string{"web": "Web tier ${tier} & friends"}},
		{"notice removed", func(_ string, d []byte) []byte {
			return bytes.ReplaceAll(d, []byte(emit.Marker), []byte("Written by a person"))
		}, nil},
		{"not in the manifest", func(dir string, d []byte) []byte {
			other := bytes.Replace(d, []byte("GroupDescription: DB"), []byte("GroupDescription: Other"), 1)
			if err := os.WriteFile(filepath.Join(dir, "groups-9.yaml"), other, 0o644); err != nil {
				t.Fatal(err)
			}
			return d
		}, map[string]string{"web": "Web tier ${tier} & friends", "db": "DB"}},
		{"not YAML", func(_ string, d []byte) []byte { return append(d, "\n\t: [\n"...) }, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := emit.WriteDir(dir, cloudformation.Target, build(t, p, emit.Options{})); err != nil {
				t.Fatal(err)
			}
			if tc.edit != nil {
				path := filepath.Join(dir, "template.yaml")
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				edited := tc.edit(dir, data)
				if tc.name != "not in the manifest" && bytes.Equal(edited, data) {
					t.Fatal("the edit changed nothing")
				}
				record(t, dir, "template.yaml", edited)
			}
			prev, err := emit.Previous(dir, cloudformation.Target)
			if err != nil {
				t.Fatal(err)
			}
			if got := prev.Descriptions; len(got) != len(tc.want) || (len(tc.want) > 0 && !reflect.DeepEqual(got, tc.want)) {
				t.Errorf("read %v, want %v", got, tc.want)
			}
		})
	}
}

// FuzzDescribed: whatever an output directory holds, reading it back
// never fails and keeps only descriptions AWS accepts and logical IDs
// CloudFormation accepts.
func FuzzDescribed(f *testing.F) {
	p := compile(f, map[string][]byte{"p.intent": []byte(keptPolicy)})
	for _, opts := range []emit.Options{{}, {Format: "json"}} {
		for _, file := range build(f, p, opts) {
			f.Add(file.Path, file.Data)
		}
	}
	f.Add("template.yaml", []byte("Resources: {a: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: {Fn::Join: ['', [a, b]]}, Tags: [{Key: Name, Value: x}]}}}"))
	f.Add("template.yaml", []byte("a: &a [*a, *a]"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		e := cloudformation.Target.Earlier([]emit.File{{Path: name, Data: data}})
		for key, id := range e.Addresses {
			if id == "" || len(id) > 255 || strings.ContainsFunc(id, func(r rune) bool {
				return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
			}) {
				t.Errorf("kept the logical ID %q for %s", id, key)
			}
		}
		prev := e.Descriptions
		for role, d := range prev {
			if d == "" || len(d) > 255 || strings.Contains(d, "{{resolve:") || strings.ContainsFunc(d, func(r rune) bool {
				return !strings.ContainsRune(" ._-:/()#,@[]+=&;{}!$*", r) && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
			}) {
				t.Errorf("kept %q for %s", d, role)
			}
		}
	})
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sameFiles(a, b []emit.File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

// TestLogicalIDsKept: a template an earlier sgc wrote under other logical
// IDs (its naming of groups and rules differed) is built over with the
// same IDs for every group and rule AWS would see as unchanged, since
// CloudFormation has no moved blocks and would create each renamed rule
// before deleting its old self, which AWS refuses. A new rule takes its own
// ID; an ID a hand-edited file makes invalid is not taken.
func TestLogicalIDsKept(t *testing.T) {
	p := compile(t, map[string][]byte{"p.intent": []byte(keptPolicy)})
	dir := t.TempDir()
	if _, err := emit.WriteDir(dir, cloudformation.Target, build(t, p, emit.Options{})); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "template.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The earlier naming: rules after the network's name, and the group
	// db as "Database".
	legacy := strings.NewReplacer(
		"  WebIngressFrom203x0x113x0x24Tcp443:", "  WebIngressFromOfficeTcp443:",
		"  DbIngressFromWebTcp5432:", "  Bad-Id:",
		"  Db:", "  Database:", "Db.GroupId", "Database.GroupId", "  DbId:", "  DatabaseId:",
	).Replace(string(data))
	record(t, dir, "template.yaml", []byte(legacy))
	prev, err := emit.Previous(dir, cloudformation.Target)
	if err != nil {
		t.Fatal(err)
	}
	grown := compile(t, map[string][]byte{"p.intent": []byte(keptPolicy + "office -> db tcp/5432 because \"reports\"\n")})
	res := templates(t, build(t, grown, emit.Options{Earlier: prev}))["template.yaml"].Section("Resources")
	for _, id := range []string{"WebIngressFromOfficeTcp443", "Database", "DbIngressFromWebTcp5432", "DbIngressFrom203x0x113x0x24Tcp5432", "WebEgressToDbTcp5432"} {
		if _, ok := res[id]; !ok {
			t.Errorf("no %s in %v", id, keys(res))
		}
	}
	for _, id := range []string{"WebIngressFrom203x0x113x0x24Tcp443", "Db", "Bad-Id"} {
		if _, ok := res[id]; ok {
			t.Errorf("%s was not kept under its earlier ID", id)
		}
	}
	if ref := fmt.Sprint(res["DbIngressFromWebTcp5432"]); !strings.Contains(ref, "[Database GroupId]") {
		t.Errorf("the rule on db does not reference the kept group: %s", ref)
	}
	// The prediction of that build names the same addresses.
	var addrs []string
	for _, r := range cloudformation.Resources(grown, emit.Options{Earlier: prev}) {
		addrs = append(addrs, r.Address)
	}
	sort.Strings(addrs)
	if got := keys(res); !reflect.DeepEqual(addrs, got) {
		t.Errorf("Resources says %v, the template holds %v", addrs, got)
	}
}

// TestEarlierReads: reading an earlier output reads the templates that
// hold groups and nothing else, so that a split output's hundreds of rule
// stacks cost nothing at the next build.
func TestEarlierReads(t *testing.T) {
	for name, want := range map[string]bool{
		"template.yaml": true, "template.json": true, "groups-1.yaml": true, "groups-12.json": true,
		"rules-1.yaml": false, "rules-3.json": false, "template-import.yaml": false,
		"README.md": false, "resources-to-import.json": false,
	} {
		for _, sameNaming := range []bool{false, true} {
			if got := cloudformation.Target.EarlierReads(name, sameNaming); got != want {
				t.Errorf("%s: reads %v, want %v", name, got, want)
			}
		}
	}
}

// record makes data the content of the file name in the output dir as a
// build writes it (its sum in the manifest): what an earlier sgc wrote,
// or what its validation must stand up to. A file edited in place after
// a build is no longer the build's, and is not read at all
// (TestEditedOutputIsNotRead).
func record(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if _, err := emit.WriteDir(dir, cloudformation.Target, []emit.File{{Path: name, Data: data, NoNotice: !emit.IsGenerated(data)}}); err != nil {
		t.Fatal(err)
	}
}

// TestEditedOutputIsNotRead: an earlier template edited by hand after the
// build is not what sgc wrote; nothing is kept from it (and the build
// that would overwrite it is refused).
func TestEditedOutputIsNotRead(t *testing.T) {
	p := compile(t, map[string][]byte{"p.intent": []byte(keptPolicy)})
	dir := t.TempDir()
	files := build(t, p, emit.Options{})
	if _, err := emit.WriteDir(dir, cloudformation.Target, files); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "template.yaml")
	data, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(data, []byte("GroupDescription: DB"), []byte("GroupDescription: Edited"), 1), 0o644)
	prev, err := emit.Previous(dir, cloudformation.Target)
	if err != nil || len(prev.Descriptions) != 0 {
		t.Errorf("read %v, %v from an edited template", prev.Descriptions, err)
	}
	var fe *fsutil.NotOursError
	if _, err := emit.WriteDir(dir, cloudformation.Target, files); !errors.As(err, &fe) {
		t.Errorf("overwriting the edited template: %v", err)
	}
}
