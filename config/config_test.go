package config_test

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/config"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// TestGolden parses each archive's sgc.hcl and prints the diagnostics.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		src := a.Files[0].Data
		_, diags := config.Parse("sgc.hcl", src)
		diags.Sort()
		var b strings.Builder
		diag.Fprint(&b, source.Files{"sgc.hcl": {Name: "sgc.hcl", Src: src}}, diags)
		return map[string]string{"diagnostics": b.String()}
	})
}

func TestSettingsApply(t *testing.T) {
	cfg, diags := config.Parse("sgc.hcl", []byte(`lint {
  severity = { SG101 = "error", rule-named-group = "off" }
  wide_cidr_prefix    = 20
  expiring_within     = "2w"
  quota               = 120
  admin_ports         = [22]
  vague_words         = ["nope"]
  min_purpose_words   = 3
  wide_port_range     = 10
  default_max_entries = 5
}
`))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	l := cfg.Lint
	if l.Severity["SG101"] != diag.Error || l.Severity["SG109"] != diag.Invalid || l.WideCIDRPrefix != 20 ||
		l.ExpiringWithin != 14*24*time.Hour || l.Quota != 120 || len(l.AdminPorts) != 1 || l.VagueWords[0] != "nope" ||
		l.MinPurposeWords != 3 || l.WidePortRange != 10 || l.DefaultMaxEntries != 5 {
		t.Errorf("settings not applied: %+v", l)
	}
}

func TestGroupNames(t *testing.T) {
	for src, want := range map[string]string{
		"":             "prefix",
		"build {\n}\n": "prefix",
		"build {\n  group_names = \"exact\"\n}\n":  "exact",
		"build {\n  group_names = \"prefix\"\n}\n": "prefix",
	} {
		cfg, diags := config.Parse("sgc.hcl", []byte(src))
		if len(diags) > 0 || cfg.GroupNames != want {
			t.Errorf("%q: group_names %q, want %q (%v)", src, cfg.GroupNames, want, diags)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "36h": 36 * time.Hour} {
		if got, err := config.ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "d", "-3d", "soon", "1y"} {
		if _, err := config.ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", bad)
		}
	}
}

// TestHostileConfig: oversized or deeply nested files are refused before
// the HCL parser sees them (100,000 nested brackets overflowed its stack),
// and windows that would overflow a duration are refused.
func TestHostileConfig(t *testing.T) {
	for name, src := range map[string]string{
		"nested brackets": "lint {\n  vague_words = " + strings.Repeat("[", 100000) + "\n}\n",
		"nested braces":   "lint {\n  severity = " + strings.Repeat("{a = ", 100000) + "\n}\n",
		"oversized":       "# " + strings.Repeat("x", config.MaxSize) + "\n",
		"long window":     "lint {\n  expiring_within = \"200000d\"\n}\n",
	} {
		_, diags := config.Parse("sgc.hcl", []byte(src))
		if !diags.HasErrors() {
			t.Errorf("%s: accepted", name)
		}
	}
	// Brackets inside strings and comments do not count.
	src := "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nlint {\n  vague_words = [\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]\n}\n"
	if _, diags := config.Parse("sgc.hcl", []byte(src)); diags.HasErrors() {
		t.Errorf("brackets in strings and comments counted: %v", diags)
	}
	for _, bad := range []string{"106752d", "200000d", "5300w", "2562048h"} {
		if _, err := config.ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", bad)
		}
	}
	if _, err := config.ParseDuration("36500d"); err != nil {
		t.Errorf("ParseDuration(36500d): %v", err)
	}
}
