package cli_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const envPolicy = `environment staging    "Staging"    account 111111111111 region eu-west-1
environment production "Production" account 222222222222 region eu-west-2

group web "Web servers"
group bastion "Bastion hosts" in staging
network office 203.0.113.0/24 "Head office" in staging
network partner 198.51.100.0/24 "Partner API" in production
network vpc 10.1.0.0/16 "Staging VPC" in staging
network vpc 10.2.0.0/16 "Production VPC" in production

office  -> bastion tcp/22  because "engineers reach the bastion" in staging
partner -> web     tcp/443 because "partner callbacks" in production
vpc     -> web     tcp/443 because "internal clients"
never staging -> production because "an environment never reaches another"
`

// TestEnvironmentsCommands holds each command's handling of a policy with
// environments: what needs --env, what takes role names, what says the
// environment, and the usage errors.
func TestEnvironmentsCommands(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": envPolicy})
	plain := writeFiles(t, map[string]string{"a.intent": clean})
	copyDir := writeFiles(t, map[string]string{"p.intent": `group web-staging "Web servers"
group bastion-staging "Bastion hosts"
network office 203.0.113.0/24 "Head office"
network vpc 10.1.0.0/16 "Staging VPC"
office -> bastion-staging tcp/22 because "engineers reach the bastion"
vpc -> web-staging tcp/443 because "internal clients"
`})
	now := "--now=2026-12-01"
	runCases(t, []cliCase{
		{"check all", []string{"check", dir, now}, 0, nil, []string{"2 environments (production: 1 group, 2 flows, 2 rules; staging: 2 groups, 2 flows, 2 rules): ok"}},
		{"check one", []string{"check", dir, now, "--env", "staging"}, 0, nil, []string{"environment staging: 2 groups"}},
		{"check unknown env", []string{"check", dir, now, "--env", "qa"}, 2, nil, []string{"--env qa: no such environment; the policy declares production, staging"}},
		{"env without environments", []string{"check", plain, now, "--env", "qa"}, 2, nil, []string{"the policy declares no environments"}},
		{"why needs env", []string{"why", "vpc", "web", "tcp/443", dir, now}, 2, nil, []string{"give --env NAME"}},
		{"why by role name", []string{"why", "vpc", "web", "tcp/443", dir, now, "--env", "production"}, 0, []string{"environment production", "allowed: vpc -> web-production tcp/443"}, nil},
		{"reaches", []string{"who-can-reach", "bastion", dir, now, "--env", "staging"}, 0, []string{"environment staging", "office -> bastion-staging"}, nil},
		{"reaches absent", []string{"who-can-reach", "bastion", dir, now, "--env", "production"}, 2, nil, []string{`no group named "bastion"`}},
		{"graph", []string{"graph", dir, now, "--env", "staging", "--format", "dot"}, 0, []string{`label="environment staging"`}, nil},
		{"doc", []string{"doc", dir, now, "--env", "production"}, 0, []string{"# Security group policy report, environment production"}, nil},
		{"drift needs env", []string{"drift", dir, now, "--live", "-"}, 2, nil, []string{"give --env NAME"}},
		{"drift region", []string{"drift", dir, now, "--env", "staging", "--aws", "--region", "us-east-1"}, 2, nil, []string{"--region us-east-1: the environment staging is in eu-west-1"}},
		{"diff per environment", []string{"diff", dir, dir, now}, 0, []string{"environment production: no flow changes", "environment staging: no flow changes"}, nil},
		{"diff a copy", []string{"diff", copyDir, dir, now, "--env", "staging"}, 0, []string{"environment staging: no flow changes; access unchanged", "Plan, terraform: 0 to add, 0 to change, 0 to destroy"}, nil},
		{"diff a copy without env", []string{"diff", copyDir, dir, now}, 2, nil, []string{"give --env NAME to compare"}},
		{"promotion", []string{"diff", "--env", "staging..production", dir, now}, 0, []string{"from environment staging to production", "+ partner (198.51.100.0/24) can now reach web on tcp/443", "- office (203.0.113.0/24) can no longer reach bastion"}, nil},
		{"promotion gate", []string{"diff", "--env", "staging..production", dir, now, "--fail-on-widen"}, 1, nil, nil},
		{"promotion bad", []string{"diff", "--env", "staging..", dir, now}, 2, nil, []string{"want two environments"}},
		{"promotion unknown", []string{"diff", "--env", "staging..qa", dir, now}, 2, nil, []string{"qa: no such environment"}},
	})
}

// TestBuildEnvironments: build writes a directory per environment, --env
// one of them, and an error in one environment writes nothing.
func TestBuildEnvironments(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": envPolicy})
	out := t.TempDir()
	if r := run(t, "", "build", dir, "-t", "terraform", "-o", out, "--now=2026-12-01"); r.code != 0 {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}
	for _, f := range []string{"staging/main.tf", "staging/environment.tf", "production/main.tf"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("build did not write %s", f)
		}
	}
	main, _ := os.ReadFile(filepath.Join(out, "production", "main.tf"))
	if !strings.Contains(string(main), `name_prefix = "web-production-"`) || strings.Contains(string(main), "bastion") {
		t.Errorf("production's module is not production's:\n%s", main)
	}
	one := t.TempDir()
	if r := run(t, "", "build", dir, "-t", "cloudformation", "-o", one, "--env", "staging", "--now=2026-12-01"); r.code != 0 {
		t.Fatalf("build --env: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(one, "production")); err == nil {
		t.Errorf("build --env staging wrote production")
	}
	tmpl, _ := os.ReadFile(filepath.Join(one, "staging", "template.yaml"))
	if !strings.Contains(string(tmpl), "in the environment staging (deploy to account 111111111111, Region eu-west-1)") {
		t.Errorf("the template does not say where it goes:\n%.400s", tmpl)
	}
	broken := writeFiles(t, map[string]string{"p.intent": envPolicy + "partner -> bastion tcp/22 because \"oops\" in staging\n"})
	none := t.TempDir()
	r := run(t, "", "build", broken, "-t", "terraform", "-o", none, "--now=2026-12-01")
	if r.code != 1 || !strings.Contains(r.stderr, "partner is declared only in production; this flow holds in staging too") {
		t.Errorf("build of a policy with an error in one environment: exit %d\n%s", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(none); len(entries) > 0 {
		t.Errorf("a failed build wrote %d entries", len(entries))
	}
}

// TestDriftRefusesAnotherAccount: drift --aws of an environment asks STS
// whose the credentials are first, and refuses another account's before
// reading any group (the fake answers STS only: an EC2 call would fail
// differently).
func TestDriftRefusesAnotherAccount(t *testing.T) {
	var calls []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		calls = append(calls, r.Form.Get("Action"))
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::999999999999:user/x</Arn><UserId>AIDA</UserId><Account>999999999999</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`))
	}))
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_STS", srv.URL)
	t.Setenv("AWS_ENDPOINT_URL_EC2", srv.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	dir := writeFiles(t, map[string]string{"p.intent": envPolicy})
	r := run(t, "", "drift", dir, "--now=2026-12-01", "--env", "production", "--aws")
	if r.code != 2 || !strings.Contains(r.stderr, "the credentials are of account 999999999999, not 222222222222, the environment's") {
		t.Errorf("drift against another account: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "import", "--aws", "--env", "staging", "--policy", dir)
	if r.code != 2 || !strings.Contains(r.stderr, "the credentials are of account 999999999999, not 111111111111, the environment's") {
		t.Errorf("import of another account: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Join(calls, ",") != "GetCallerIdentity,GetCallerIdentity" {
		t.Errorf("calls made: %v, want only GetCallerIdentity", calls)
	}
}

// TestUsageCommand: sgc usage from files (the report, the evidence JSON
// that sgc check --usage reads back), and its usage errors.
func TestUsageCommand(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": `group web "Web servers"
network office 10.0.0.0/16 "Head office"
office -> web tcp/22 because "administrators log in"
office -> web tcp/443 because "staff use the site"
`})
	files := writeFiles(t, map[string]string{
		"enis.json":   `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-0b0b0b0b", "Groups": [{"GroupId": "sg-22222222"}], "PrivateIpAddresses": [{"PrivateIpAddress": "10.1.1.10"}]}]}`,
		"groups.json": `{"SecurityGroups": [{"GroupId": "sg-22222222", "GroupName": "web", "Description": "Web servers", "VpcId": "vpc-12345678", "OwnerId": "123456789012", "IpPermissions": [], "IpPermissionsEgress": []}]}`,
		"flows.log": "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
			"2 123456789012 eni-0b0b0b0b 10.0.3.7 10.1.1.10 50000 443 6 5 500 1764547200 1764547260 ACCEPT OK\n" +
			"2 123456789012 eni-0b0b0b0b 10.0.3.7 10.1.1.10 50000 443 6 5 500 1772323200 1772323260 ACCEPT OK\n",
		"not-a-log.txt": "hello world\n",
	})
	path := func(n string) string { return filepath.Join(files, n) }
	r := run(t, "", "usage", dir, "--flow-logs", path("flows.log"), "--interfaces", path("enis.json"), "--live", path("groups.json"), "--unused-for", "30d", "--format", "json")
	if r.code != 1 || !strings.Contains(r.stdout, `"key": "office -> web tcp/22"`) {
		t.Fatalf("usage: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	evidence := filepath.Join(t.TempDir(), "usage.json")
	os.WriteFile(evidence, []byte(r.stdout), 0o644)
	c := run(t, "", "check", dir, "--usage", evidence)
	if c.code != 0 || !strings.Contains(c.stdout, "no traffic in the flow logs from 2025-12-01 to 2026-03-01 (90 days or more) [SG121]") ||
		strings.Contains(c.stdout, "tcp/443 because") {
		t.Errorf("check --usage: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"usage", dir, "--interfaces", path("enis.json"), "--live", path("groups.json")}, "give the flow logs"},
		{[]string{"usage", dir, "--flow-logs", path("flows.log")}, "give --aws to read the interfaces"},
		{[]string{"usage", dir, "--flow-logs", path("flows.log"), "--aws", "--live", path("groups.json")}, "leave out --interfaces and --live"},
		{[]string{"usage", dir, "--flow-logs", path("flows.log"), "--interfaces", path("enis.json"), "--live", path("groups.json"), "--unused-for", "soon"}, "--unused-for"},
		{[]string{"usage", dir, "--flow-logs", path("not-a-log.txt"), "--interfaces", path("enis.json"), "--live", path("groups.json")}, "neither a header naming flow log fields nor a record"},
		{[]string{"usage", dir, "--flow-logs", path("flows.log"), "--interfaces", path("groups.json"), "--live", path("groups.json")}, "no NetworkInterfaces"},
		{[]string{"usage", dir, "--flow-logs", path("flows.log"), "--interfaces", path("enis.json"), "--live", path("groups.json"), "--log-format", "${version} ${srcaddr}"}, "the format lacks interface-id"},
		{[]string{"check", dir, "--usage", path("groups.json")}, "no flows in the document"},
	} {
		r := run(t, "", tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, want 2 and %q\n%s", tt.args, r.code, tt.want, r.stderr)
		}
	}
}

// TestOwnersCommand: sgc owners says, owner by owner, the flow changes
// each must approve, in text and JSON.
func TestOwnersCommand(t *testing.T) {
	old := writeFiles(t, map[string]string{"p.intent": "group web \"Web servers\" owner acme/web\ngroup db \"Order database\" owner acme/data\n"})
	cur := writeFiles(t, map[string]string{"p.intent": "group web \"Web servers\" owner acme/web\ngroup db \"Order database\" owner acme/data\nweb -> db tcp/5432 because \"the web servers store orders\"\n"})
	r := run(t, "", "owners", old, cur)
	want := "acme/data must approve:\n  added web -> db tcp/5432 because \"the web servers store orders\"\nacme/web must approve:\n  added web -> db tcp/5432 because \"the web servers store orders\"\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("owners: exit %d\n%s\nwant\n%s%s", r.code, r.stdout, want, r.stderr)
	}
	r = run(t, "", "owners", old, cur, "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"owner": "acme/data"`) || !strings.Contains(r.stdout, `"added web -> db tcp/5432 because \"the web servers store orders\""`) {
		t.Errorf("owners --format json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "owners", old, old); r.code != 0 || !strings.Contains(r.stdout, "no owner's approval needed") {
		t.Errorf("owners of no change: %+v", r)
	}
	if r := run(t, "", "owners", old, cur, "--format", "markdown"); r.code != 2 {
		t.Errorf("owners --format markdown: exit %d", r.code)
	}
}
