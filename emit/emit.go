// Package emit holds what the code generators share: the Target type they
// each provide, the files they produce, content-derived resource naming,
// and the writer that puts files on disk without ever clobbering a file
// sgc did not generate. It imports no target; the list of targets lives in
// the CLI.
package emit

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/naming"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Target is one kind of output, such as a Terraform module.
type Target struct {
	Name string // the --target value: "terraform"
	Doc  string // one line for help output
	// Style is how the target names resources.
	Style
	// Emit generates the output files for a program that compiled without
	// errors. It reports what it cannot express as diagnostics.
	Emit func(p *model.Program, opts Options) ([]File, diag.List)
	// Resources lists the resources Emit writes for p, with their
	// addresses and contents as a plan compares them.
	Resources func(p *model.Program, opts Options) []Resource
	// Formats are the --format values the target takes, its default first.
	Formats []string
	// Splits reports whether the target takes --split.
	Splits bool
	// ReadInputs reads the values a deployment gave the output's inputs
	// (a tfvars file, a parameters file), by the external each is for.
	ReadInputs func(name string, data []byte, p *model.Program) (map[*model.External]string, error)
	// AdoptFile is the file of an output that says what it adopts
	// (import blocks, resources to import); "" for none.
	AdoptFile string
	// Earlier reads, from the files the target wrote into an output
	// directory before, what its next build there must keep (see
	// Options.Earlier); nil for a target that keeps nothing.
	Earlier func(previous []File) Earlier
	// EarlierReads reports whether Earlier reads the file name, so that
	// files it passes over (the rule stacks of a big split output) are not
	// read from disk at all; nil reads every file. sameNaming reports
	// whether the earlier build named resources by the target's present
	// Naming (its manifest says so).
	EarlierReads func(name string, sameNaming bool) bool
	// Naming is the version of the target's resource names, recorded in
	// the output directory's manifest (0: none recorded). A target that
	// moves resources named by an older naming needs an earlier build's
	// addresses only when that build was of another naming.
	Naming int
	// EarlierMax is the largest file of its own output Earlier reads from
	// an output directory (0: maxPreviousFile). A file is read only once
	// its SHA-256 is the one the target's manifest recorded, so it is one
	// the target wrote, as large as the target writes them.
	EarlierMax int64
}

// Style is how a target names resources.
type Style struct {
	// Join makes a resource name of words, and Sep is what it puts
	// between two joined parts: RuleNamer builds names from parts.
	Join func(words []string) string
	Sep  string
	// Ident is the resource name of a declared name (a group's role
	// name): a function of that name alone, distinct for distinct names,
	// so that adding a name never renames another's resources.
	Ident func(name string) string
}

// Options are the settings shared by every target.
type Options struct {
	// Format selects a target's output format where it has several
	// ("yaml" or "json" for CloudFormation); "" is the target's default.
	Format string
	// SourceLines puts the flow's line number, not just its file, into each
	// rule's source tag. Off by default: line numbers move whenever a line is
	// added above, and every moved tag would show as a change in a plan.
	SourceLines bool
	// Split asks a target that has size limits to spread its output over
	// several files (CloudFormation stacks).
	Split bool
	// Adopt ties groups and rules to live ones, which the output adopts
	// (keeping their AWS names and descriptions) instead of creating.
	Adopt *model.Adoption
	// GroupNames is how groups are named in AWS: NamePrefix ("" too) or
	// NameExact.
	GroupNames string
	// Earlier is what the previous build into the output directory gave
	// AWS (Previous), which a target that cannot change it safely keeps.
	Earlier Earlier
	// Quota is the account's rules-per-group quota (0: DefaultQuota), and
	// DefaultMaxEntries what a prefix list without max-entries counts
	// against it (0: 1), for a target that adds rules of its own.
	Quota, DefaultMaxEntries int
}

// DefaultQuota is AWS's default rules-per-group-and-direction quota.
const DefaultQuota = 60

// Earlier is what a build gave AWS, read back from its output.
type Earlier struct {
	// Descriptions holds, by role name, the AWS description of each group.
	// AWS cannot change a group's description, only replace the group, and
	// CloudFormation cannot replace a group without an outage or a refusal
	// (it deletes the old group's rules before the instances that use it
	// move, and refuses an export change while another stack imports the
	// id): so CloudFormation keeps the description a group already has,
	// and puts the edited one in its Description tag.
	Descriptions map[string]string
	// Addresses holds, by a target's own key of what AWS identifies a
	// resource by, the address the build gave it. CloudFormation has no
	// moved blocks: a resource whose logical ID changes is created anew
	// before the old one is deleted, which AWS refuses for a rule that
	// already exists, so a resource AWS would see as unchanged keeps the
	// ID an earlier sgc gave it.
	Addresses map[string]string
}

// The ways to name groups in AWS (the group_names setting of sgc.hcl).
//
// AWS cannot rename a group or change its description: either replaces
// the group. A group still attached to an instance, a network interface or
// a load balancer cannot be deleted, so the only replacement that works
// on a live account creates the new group first, moves everything over,
// and deletes the old one last; and two groups of one VPC cannot share a
// name, so during the swap the new group needs a name of its own.
const (
	// NamePrefix gives each group a unique AWS name that starts with its
	// role name (Terraform's name_prefix; CloudFormation names it after
	// the stack and logical ID), and the role name as the Name tag. A
	// replacement creates the new group before deleting the old one.
	NamePrefix = naming.GroupNamesPrefix
	// NameExact gives each group its role name as its AWS name. A
	// replacement must delete the old group first, which fails while the
	// group is in use: build and diff warn about each one.
	NameExact = naming.GroupNamesExact
)

// NamingNote is the note every build with exact group names gives, in a
// target that replaces groups (Terraform): that setting makes every group
// replacement an outage or a failed deploy, and sgc diff names each one
// before it happens.
func NamingNote(opts Options) diag.List {
	var diags diag.List
	if opts.Exact() {
		diags.Warnf(source.Range{}, ExactNames, "groups are named exactly (group_names = %q): a group whose name or description changes cannot be replaced while it is in use", NameExact).
			WithDetail("AWS keeps one group per name in a VPC, so the new group cannot be created before the old one is deleted, and the old one cannot be deleted while an instance, network interface or load balancer uses it. `sgc diff` names every replacement a change makes; with group_names = %q (the default) a replacement creates the new group first.", NamePrefix)
	}
	return diags
}

// Exact reports whether groups take their role names exactly.
func (o Options) Exact() bool { return o.GroupNames == NameExact }

// Check reports an option the target cannot honour (an unknown --format,
// --split where it does not split) as an error for the user: the CLI
// refuses it as bad usage before anything is built.
func (t *Target) Check(opts Options) error {
	if opts.Format != "" {
		ok := false
		for _, f := range t.Formats {
			ok = ok || f == opts.Format
		}
		if !ok {
			return fmt.Errorf("--format %q: the %s target writes %s", opts.Format, t.Name, strings.Join(t.Formats, " or "))
		}
	}
	if opts.Split && !t.Splits {
		return fmt.Errorf("--split: the %s target has no size limit to split for", t.Name)
	}
	return nil
}

// File is one generated file.
type File struct {
	Path string // relative to the output directory, with forward slashes
	Data []byte
	// NoNotice marks a file whose format has no room for the generated-
	// file notice (a JSON array another tool reads). WriteDir replaces such
	// a file only when this target's manifest lists it.
	NoNotice bool
}

// Marker is the text that identifies a generated file, in the Go
// convention ("Code generated ... DO NOT EDIT.").
const Marker = fsutil.Marker

// maxHeaderNames bounds the length of the file list in a header: a
// policy of thousands of files is named by its count, so that headers stay
// one short line that every reader (and IsGenerated) handles.
const maxHeaderNames = 200

// Header returns the generated-file notice naming the policy's files, by
// base name so that the output does not depend on where sgc was run from.
// A long list, or a name with a character that could end a comment or a
// line in some output format, is replaced by the number of files.
func Header(p *model.Program) string {
	names := SourceNames(p)
	list := strings.Join(names, ", ")
	if len(list) > maxHeaderNames || !headerSafe(list) {
		list = fmt.Sprintf("%d intent files", len(names))
	}
	return fmt.Sprintf("%s from %s. DO NOT EDIT.", Marker, list)
}

// headerSafe reports whether s can stand in a comment of every output
// format: letters, digits, spaces and a few punctuation marks, none of
// which ends a comment (HCL and YAML end theirs at a line break, Markdown
// at "-->") or starts a template directive.
func headerSafe(s string) bool {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" ._+@,()=-", r)) {
			return false
		}
	}
	return !strings.Contains(s, "--")
}

// SourceNames returns the base names of the policy's files, sorted.
func SourceNames(p *model.Program) []string {
	names := make([]string, len(p.Files))
	for i, f := range p.Files {
		names[i] = filepath.Base(f)
	}
	sort.Strings(names)
	return names
}

// SourceOf returns where a flow was written: "file" or "file:line".
// Every rule of a build carries it, so it is joined without fmt.
func SourceOf(f *model.Flow, withLine bool) string {
	name := filepath.Base(f.Range.Start.Filename)
	if withLine {
		return name + ":" + strconv.Itoa(f.Range.Start.Line)
	}
	return name
}

// SourceLen is len(SourceOf(f, withLine)), without making the string:
// a split build bounds every rule's size by it.
func SourceLen(f *model.Flow, withLine bool) int {
	n := len(filepath.Base(f.Range.Start.Filename))
	if withLine {
		n += 1 + decimalLen(f.Range.Start.Line)
	}
	return n
}

// decimalLen is the length of strconv.Itoa(i).
func decimalLen(i int) int {
	n := 1
	if i < 0 {
		n++
	}
	for i <= -10 || i >= 10 {
		i /= 10
		n++
	}
	return n
}
