package importer

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/lang/ast"
)

// drafter names what a draft declares besides its groups (externals,
// prefix lists, networks), each once, and gathers the flows' ports.
type drafter struct {
	d     *Draft
	label string
	names *namer

	externals     map[string]string // group id -> external name
	externalDecls []ast.Stmt
	prefixLists   map[string]string // list id -> name
	plDecls       []ast.Stmt
	networks      map[string]string // sorted CIDR set -> name
	netDecls      []ast.Stmt
	ports         map[flowKey][]model.Port
	order         []flowKey // flows in the order first seen

	known     *model.Program    // the policy pasted into, or nil
	managed   map[string]string // group id -> the draft's name for it
	decls     []ast.Stmt        // the groups' declarations
	halves    []*half           // group-to-group halves, to merge
	cidrSets  map[cidrKey][]string
	cidrOrder []cidrKey
	ruleIDs   map[string]string   // a live rule's identity -> its sgr- id
	liveNames map[string]string   // the export's group ids -> names
	alsoIn    map[string][]string // group id -> the other VPCs it is associated with
}

// externalOf names the group id outside the managed groups. foreign is
// the account that owns it when that is not the account of the group
// whose rule references it: the external's id then carries it
// ("ACCOUNT/sg-..."), as AWS and the Terraform provider write it.
func (dr *drafter) externalOf(id, groupName, owner, foreign string) string {
	if n, ok := dr.externals[id]; ok {
		return n
	}
	want := groupName
	if want == "" || want == "default" {
		want = "ext-" + strings.TrimPrefix(id, "sg-")
		if groupName == "default" {
			want = "default-group-" + strings.TrimPrefix(id, "sg-")
		}
	}
	n := dr.names.name(want, "ext")
	dr.externals[id] = n
	desc := "Group " + id
	if owner != "" {
		desc += " of account " + owner
	}
	if awsform.GroupID.MatchString(id) {
		ref := id
		if foreign != "" && awsform.AccountID.MatchString(foreign) {
			ref = foreign + "/" + id
		}
		dr.externalDecls = append(dr.externalDecls, externalDecl(n, ref, clean(desc)))
	} else {
		dr.externalDecls = append(dr.externalDecls, comment(fmt.Sprintf("%q is not a well-formed group id: its id is an input of the generated code", id)),
			externalDecl(n, "", clean(desc)))
		dr.d.Warnings = append(dr.d.Warnings, fmt.Sprintf("%s: group id %q is not well-formed; external %s takes it as an input", dr.label, id, n))
	}
	return n
}

// prefixListOf names a prefix list.
func (dr *drafter) prefixListOf(id, desc string) string {
	if n, ok := dr.prefixLists[id]; ok {
		return n
	}
	want := slug(desc)
	if want == "" {
		want = "list-" + strings.TrimPrefix(id, "pl-")
	}
	n := dr.names.name(want, "list")
	dr.prefixLists[id] = n
	dr.plDecls = append(dr.plDecls, prefixListDecl(n, id, orDefault(clean(desc), "Prefix list "+id)))
	return n
}

// networkOf names a set of address blocks: "internet" for the whole of
// both families, a declared network otherwise.
func (dr *drafter) networkOf(cidrs []string, desc string) string {
	sort.Strings(cidrs)
	cidrs = slices.Compact(cidrs)
	key := strings.Join(cidrs, ",")
	if key == "0.0.0.0/0,::/0" {
		return "internet"
	}
	if n, ok := dr.networks[key]; ok {
		return n
	}
	want := slug(desc)
	switch {
	case key == "0.0.0.0/0":
		want = "anywhere-ipv4"
	case key == "::/0":
		want = "anywhere-ipv6"
	case want == "":
		want = "net-" + slug(cidrs[0])
		if len(cidrs) > 1 {
			want += fmt.Sprintf("-and-%d-more", len(cidrs)-1)
		}
	}
	n := dr.names.name(want, "net")
	dr.networks[key] = n
	dr.netDecls = append(dr.netDecls, networkDecl(n, cidrs, orDefault(clean(desc), "Imported addresses")))
	return n
}

// addFlow adds port to the flow k, keeping the order flows first appear.
func (dr *drafter) addFlow(k flowKey, port model.Port) {
	if _, ok := dr.ports[k]; !ok {
		dr.order = append(dr.order, k)
	}
	dr.ports[k] = append(dr.ports[k], port)
}

// purposeOf is a rule's description as a purpose: the cleaned text, or the
// purpose the linter asks a person to justify.
func purposeOf(desc string) string {
	if c := clean(desc); c != "" {
		return c
	}
	return UndescribedPurpose
}

// knowNames makes the drafter name what the policy p declares as p does:
// networks by their exact set of blocks, prefix lists and externals by id.
func (dr *drafter) knowNames(p *model.Program) {
	for _, n := range p.Networks {
		if n.Predeclared {
			continue
		}
		cidrs := make([]string, len(n.CIDRs))
		for i, c := range n.CIDRs {
			cidrs[i] = c.String()
		}
		sort.Strings(cidrs)
		dr.networks[strings.Join(cidrs, ",")] = n.Name
	}
	for _, l := range p.PrefixLists {
		dr.prefixLists[l.ID] = l.Name
	}
	for _, x := range p.Externals {
		if x.ID != "" {
			dr.externals[x.ID] = x.Name
		}
	}
}

// knownNames lists every name p declares, which a draft to be pasted into
// it must not declare again.
func knownNames(p *model.Program) []string {
	var out []string
	for _, g := range p.Groups {
		out = append(out, g.Name)
	}
	for _, n := range p.Networks {
		out = append(out, n.Name)
	}
	for _, l := range p.PrefixLists {
		out = append(out, l.Name)
	}
	for _, x := range p.Externals {
		out = append(out, x.Name)
	}
	for _, s := range p.Services {
		out = append(out, s.Name)
	}
	return out
}
