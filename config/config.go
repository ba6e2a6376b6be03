// Package config reads sgc.hcl, the optional settings file of a policy
// directory. It is HCL, decoded with gohcl, so a misspelled setting is an
// error at its line and column:
//
//	lint {
//	  severity = {
//	    SG109 = "off"        # or "error", "warning", "info"; ids or names
//	    vague-purpose = "error"
//	  }
//	  wide_cidr_prefix    = 16
//	  expiring_within     = "30d"
//	  quota               = 60
//	  admin_ports         = [22, 3389, 5432]
//	  vague_words         = ["todo", "test", "temp"]
//	  min_purpose_words   = 2
//	  wide_port_range     = 1000
//	  default_max_entries = 1
//	  groups_per_interface = 5
//	  unused_for          = "90d"   # SG121, with sgc check --usage FILE
//	}
//
//	build {
//	  group_names = "exact"  # default "prefix": see GroupNames
//	  environment_group_names = "{name}-{environment}"  # see EnvironmentGroupNames
//	}
//
//	activity {
//	  pipeline = ["arn:aws:iam::111111111111:role/deploy-*"]  # see Pipeline
//	}
//
//	owners {
//	  files = { "payments-*.intent" = "acme/payments" }  # see Owners
//	}
package config

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/internal/ghcomment"
	"github.com/sgc-dev/sgc/internal/hclfile"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/internal/naming"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// FileName is the settings file looked for in a policy directory.
const FileName = "sgc.hcl"

// Config is the decoded settings file.
type Config struct {
	Lint lint.Config
	// GroupNames is how the targets name groups in AWS: naming.GroupNamesPrefix
	// (the default) or naming.GroupNamesExact.
	GroupNames string
	// EnvironmentGroupNames is the pattern that names an environment's
	// groups in AWS: {name} the role name, {environment} the environment.
	EnvironmentGroupNames string
	// Pipeline are the principals whose changes to the groups are the
	// deployment pipeline's (ARN patterns; * matches within one part):
	// sgc activity reports everyone else's.
	Pipeline []string
	// Owners gives the owner of the groups declared in the files a pattern
	// matches (path.Match, relative to the policy directory), for groups
	// that name no owner of their own; the longest matching pattern wins.
	Owners map[string]string
}

// Default returns the settings that hold without a file.
func Default() Config {
	return Config{Lint: lint.DefaultConfig(), GroupNames: naming.GroupNamesPrefix, EnvironmentGroupNames: naming.EnvironmentGroupNames}
}

type fileSchema struct {
	Lint     *lintSchema     `hcl:"lint,block"`
	Build    *buildSchema    `hcl:"build,block"`
	Activity *activitySchema `hcl:"activity,block"`
	Owners   *ownersSchema   `hcl:"owners,block"`
}

type activitySchema struct {
	Pipeline []string `hcl:"pipeline"`
}

type ownersSchema struct {
	Files map[string]string `hcl:"files"`
}

type buildSchema struct {
	GroupNames            *string `hcl:"group_names,optional"`
	EnvironmentGroupNames *string `hcl:"environment_group_names,optional"`
}

type lintSchema struct {
	Severity           map[string]string `hcl:"severity,optional"`
	WideCIDRPrefix     *int              `hcl:"wide_cidr_prefix,optional"`
	ExpiringWithin     *string           `hcl:"expiring_within,optional"`
	UnusedFor          *string           `hcl:"unused_for,optional"`
	Quota              *int              `hcl:"quota,optional"`
	AdminPorts         []int             `hcl:"admin_ports,optional"`
	VagueWords         []string          `hcl:"vague_words,optional"`
	MinPurposeWords    *int              `hcl:"min_purpose_words,optional"`
	WidePortRange      *int              `hcl:"wide_port_range,optional"`
	DefaultMaxEntries  *int              `hcl:"default_max_entries,optional"`
	GroupsPerInterface *int              `hcl:"groups_per_interface,optional"`
	Remain             hcl.Body          `hcl:",remain"`
}

// Limits on the settings file, checked before it is parsed: the HCL
// parser recurses once per level of nesting, so a file of nested brackets
// would exhaust the stack, and a settings file has no use for either.
const (
	MaxSize  = limits.ConfigFile  // bytes
	MaxDepth = limits.ConfigDepth // brackets, braces and parentheses open at once
)

// Parse reads a settings file. Problems are diagnostics at their position;
// the settings returned are the defaults with whatever could be read.
func Parse(filename string, src []byte) (Config, diag.List) {
	cfg := Default()
	var diags diag.List
	f, parseDiags := hclfile.Parse(filename, src, InvalidConfig, MaxSize, MaxDepth)
	diags = append(diags, parseDiags...)
	if f == nil {
		return cfg, diags
	}
	var fs fileSchema
	hdiags := gohcl.DecodeBody(f.Body, nil, &fs)
	diags = append(diags, hclfile.Diagnostics(hdiags, InvalidConfig)...)
	if a := fs.Activity; a != nil {
		for _, p := range a.Pipeline {
			if _, err := path.Match(p, ""); err != nil || !strings.HasPrefix(p, "arn:") {
				diags.Errorf(blockAttr(f, "activity", "pipeline"), InvalidConfig, "pipeline %q is not an ARN pattern", p).
					WithDetail("A pattern is an ARN in which * matches within one part, such as arn:aws:iam::111111111111:role/deploy-*.")
				continue
			}
			cfg.Pipeline = append(cfg.Pipeline, p)
		}
	}
	if o := fs.Owners; o != nil {
		for pattern, owner := range o.Files {
			if _, err := path.Match(pattern, ""); err != nil || !ghcomment.ValidOwner(owner) {
				diags.Errorf(blockAttr(f, "owners", "files"), InvalidConfig, "owners: %q = %q: want a file pattern and a GitHub user or org/team", pattern, owner)
				continue
			}
			if cfg.Owners == nil {
				cfg.Owners = map[string]string{}
			}
			cfg.Owners[pattern] = owner
		}
	}
	if b := fs.Build; b != nil && b.EnvironmentGroupNames != nil {
		if why := naming.CheckEnvironmentGroupNames(*b.EnvironmentGroupNames); why != "" {
			diags.Errorf(buildAttr(f, "environment_group_names"), InvalidConfig, "environment_group_names = %q: %s", *b.EnvironmentGroupNames, why).
				WithDetail("The default is %q: web in staging is web-staging.", naming.EnvironmentGroupNames)
		} else {
			cfg.EnvironmentGroupNames = *b.EnvironmentGroupNames
		}
	}
	if b := fs.Build; b != nil && b.GroupNames != nil {
		switch v := *b.GroupNames; v {
		case naming.GroupNamesPrefix, naming.GroupNamesExact:
			cfg.GroupNames = v
		default:
			diags.Errorf(buildAttr(f, "group_names"), InvalidConfig, "group_names = %q is not a naming", v).
				WithDetail("%q (the default) lets AWS or the tool make each group's name unique, so a group can be replaced without downtime; %q gives each group its role name exactly, and a replacement must then delete the group first.", naming.GroupNamesPrefix, naming.GroupNamesExact)
		}
	}
	if fs.Lint == nil {
		return cfg, diags
	}
	l := fs.Lint
	if l.Remain != nil {
		// Anything left over is unknown: name it, with a suggestion. A block
		// where a setting belongs (severity { ... } for severity = { ... })
		// is an error too, never silently ignored.
		attrs, rest := l.Remain.JustAttributes()
		for _, d := range hclfile.Diagnostics(rest, InvalidConfig) {
			for _, known := range knownSettings {
				if strings.Contains(d.Summary, fmt.Sprintf("%q block", known)) {
					d.Summary = fmt.Sprintf("%s is a setting, not a block", known)
					d.WithSuggestion("Write %s = { ... }, with an equals sign.", known)
				}
			}
			diags = append(diags, d)
		}
		for name, a := range attrs {
			d := diags.Errorf(hclfile.Range(a.NameRange), InvalidConfig, "unknown setting %q in lint", name)
			if s := diag.Suggest(name, knownSettings); s != "" {
				d.WithSuggestion("Did you mean %q?", s)
			} else {
				d.WithDetail("The settings are: %s.", strings.Join(knownSettings, ", "))
			}
		}
	}
	at := func(name string) source.Range {
		if attrs, _ := f.Body.(*hclsyntax.Body); attrs != nil {
			for _, b := range attrs.Blocks {
				if a, ok := b.Body.Attributes[name]; ok {
					return hclfile.Range(a.Expr.Range())
				}
			}
		}
		return source.Range{Start: source.Pos{Filename: filename, Line: 1, Column: 1}}
	}
	positive := func(name string, v *int, dst *int, min, max int) {
		if v == nil {
			return
		}
		if *v < min || *v > max {
			diags.Errorf(at(name), InvalidConfig, "%s = %d is out of range", name, *v).WithDetail("It must lie in %d-%d.", min, max)
			return
		}
		*dst = *v
	}
	positive("wide_cidr_prefix", l.WideCIDRPrefix, &cfg.Lint.WideCIDRPrefix, 1, 32)
	positive("quota", l.Quota, &cfg.Lint.Quota, 1, 1000)
	positive("min_purpose_words", l.MinPurposeWords, &cfg.Lint.MinPurposeWords, 0, 50)
	positive("wide_port_range", l.WidePortRange, &cfg.Lint.WidePortRange, 1, 65535)
	positive("default_max_entries", l.DefaultMaxEntries, &cfg.Lint.DefaultMaxEntries, 1, 1000)
	positive("groups_per_interface", l.GroupsPerInterface, &cfg.Lint.GroupsPerInterface, 1, 16)
	if q, g := cfg.Lint.Quota, cfg.Lint.GroupsPerInterface; q*g > lint.MaxRulesTimesGroups {
		name := "groups_per_interface"
		if l.GroupsPerInterface == nil {
			name = "quota"
		}
		diags.Errorf(at(name), InvalidConfig, "quota %d times groups_per_interface %d is %d; AWS allows at most %d", q, g, q*g, lint.MaxRulesTimesGroups).
			WithDetail("AWS bounds the rules-per-group quota times the groups-per-interface quota: raising one lowers what the other can be. Set both as the account has them (Service Quotas, Amazon VPC).")
	}
	duration := func(name string, v *string, dst *time.Duration) {
		if v == nil {
			return
		}
		d, err := ParseDuration(*v)
		if err != nil {
			diags.Errorf(at(name), InvalidConfig, "%s: %v", name, err)
			return
		}
		*dst = d
	}
	duration("expiring_within", l.ExpiringWithin, &cfg.Lint.ExpiringWithin)
	duration("unused_for", l.UnusedFor, &cfg.Lint.UnusedFor)
	if l.AdminPorts != nil {
		for _, p := range l.AdminPorts {
			if p < 0 || p > 65535 {
				diags.Errorf(at("admin_ports"), InvalidConfig, "admin port %d is out of range", p)
			}
		}
		cfg.Lint.AdminPorts = l.AdminPorts
	}
	if l.VagueWords != nil {
		cfg.Lint.VagueWords = l.VagueWords
	}
	for key, value := range l.Severity {
		c := lint.Lookup(key)
		if c == nil {
			var ids []string
			for _, c := range lint.Checks {
				ids = append(ids, c.ID, c.Name)
			}
			d := diags.Errorf(at("severity"), InvalidConfig, "severity: %q is not a check", key)
			if s := diag.Suggest(key, ids); s != "" {
				d.WithSuggestion("Did you mean %q?", s)
			}
			continue
		}
		if value == "off" {
			cfg.Lint.Severity[c.ID] = diag.Invalid
			continue
		}
		s, ok := diag.ParseSeverity(value)
		if !ok {
			diags.Errorf(at("severity"), InvalidConfig, "severity of %s: %q is not one of error, warning, info, off", key, value)
			continue
		}
		cfg.Lint.Severity[c.ID] = s
	}
	return cfg, diags
}

// buildAttr is where the build block's setting name is written.
func buildAttr(f *hcl.File, name string) source.Range { return blockAttr(f, "build", name) }

// blockAttr is where the attribute name of the block of type block is.
func blockAttr(f *hcl.File, block, name string) source.Range {
	if body, _ := f.Body.(*hclsyntax.Body); body != nil {
		for _, b := range body.Blocks {
			if a, ok := b.Body.Attributes[name]; ok && b.Type == block {
				return hclfile.Range(a.Expr.Range())
			}
		}
	}
	return source.Range{Start: source.Pos{Filename: f.Body.MissingItemRange().Filename, Line: 1, Column: 1}}
}

var knownSettings = []string{"severity", "wide_cidr_prefix", "expiring_within", "quota", "admin_ports",
	"vague_words", "min_purpose_words", "wide_port_range", "default_max_entries", "groups_per_interface", "unused_for"}

// MaxDuration is the longest window a setting or flag may give: a
// century, far past any expiry worth planning, and far short of where a
// time.Duration overflows (292 years).
const MaxDuration = limits.Duration

// ParseDuration reads a number of days or weeks ("30d", "2w") or a Go
// duration ("336h"), at most MaxDuration.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("%q: want a number of days or weeks, such as 30d or 2w", s)
			}
			if v > int(MaxDuration/unit) {
				return 0, fmt.Errorf("%q: at most %dd (100 years)", s, MaxDuration/(24*time.Hour))
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want a number of days or weeks, such as 30d or 2w", s)
	}
	if d > MaxDuration {
		return 0, fmt.Errorf("%q: at most %dd (100 years)", s, MaxDuration/(24*time.Hour))
	}
	return d, nil
}
