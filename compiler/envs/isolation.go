package envs

import (
	"net/netip"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
)

// Isolation proves every `never A -> B` between environments on the
// compiled programs (progs by environment name): no rule of A may have a
// peer that is B's and not A's (an address block overlapping one of B's
// own networks, a prefix list or an external group only B declares), nor
// a rule of B one of A's. It holds both ways: the mistake it catches is a
// statement copied from one environment into the other, whichever way it
// points. The predeclared internet is no environment's.
func (p *Policy) Isolation(progs map[string]*model.Program) diag.List {
	var diags diag.List
	for _, n := range p.isolation {
		a, b := progs[n.From.Name.Name], progs[n.To.Name.Name]
		if a == nil || b == nil {
			continue // an environment that did not compile says so itself
		}
		for _, pair := range [][2]*model.Program{{a, b}, {b, a}} {
			own, other := pair[0], pair[1]
			theirs := p.only(other.Environment.Name, own.Environment.Name)
			seen := map[string]bool{} // a flow's two halves, or its blocks, are one finding
			for _, r := range own.Rules {
				what := theirs.peer(r.Peer)
				f := r.Flow
				if what == "" || seen[f.Range.String()] {
					continue
				}
				seen[f.Range.String()] = true
				diags.Errorf(f.Range, EnvironmentsNotIsolated, "%s's rule on %s %s %s, which is %s's",
					own.Environment.Name, r.Group.RoleName(), towards(r.Direction), what, other.Environment.Name).
					WithRelated(n.Range(), "the guarantee").
					WithDetail("The guarantee keeps %s and %s apart: no rule of one may name an address, prefix list or group of the other. Reason: %s", n.From.Name.Name, n.To.Name.Name, n.Reason.Value)
			}
		}
	}
	return diags
}

func towards(d model.Direction) string {
	if d == model.Ingress {
		return "from"
	}
	return "to"
}

// theirs is what one environment declares that another does not.
type theirs struct {
	cidrs     []netip.Prefix
	names     map[netip.Prefix]string
	lists     map[string]string
	externals map[string]string
}

// only collects what the statements that hold in other and not in own
// declare: address blocks, prefix lists and externals by id. A statement
// that holds in both is shared, whatever it says; the same id declared by
// a statement of each is the copy-paste mistake.
func (p *Policy) only(other, own string) theirs {
	t := theirs{names: map[netip.Prefix]string{}, lists: map[string]string{}, externals: map[string]string{}}
	for _, f := range p.files {
		for _, s := range f.Stmts {
			if !s.Base().HoldsIn(other) || s.Base().HoldsIn(own) {
				continue
			}
			switch s := s.(type) {
			case *ast.NetworkDecl:
				for _, a := range s.Addresses {
					if c := a.Prefix.Masked(); c.IsValid() {
						t.cidrs = append(t.cidrs, c)
						t.names[c] = s.Name.Name
					}
				}
			case *ast.PrefixListDecl:
				t.lists[s.ID.Text] = s.Name.Name
			case *ast.ExternalDecl:
				if s.ID != nil {
					id := s.ID.Text
					if i := strings.LastIndexByte(id, '/'); i >= 0 {
						id = id[i+1:] // ACCOUNT/sg-...
					}
					t.externals[id] = s.Name.Name
				}
			}
		}
	}
	return t
}

// peer describes how a rule's peer is the other environment's, or "".
func (t theirs) peer(p model.Peer) string {
	switch p.Kind {
	case model.PeerCIDR:
		if n, ok := p.Via.(*model.Network); ok && n.Predeclared {
			return ""
		}
		for _, c := range t.cidrs {
			if c.Overlaps(p.CIDR) {
				return p.CIDR.String() + " (overlapping " + t.names[c] + " " + c.String() + ")"
			}
		}
	case model.PeerPrefixList:
		if n, ok := t.lists[p.PrefixList.ID]; ok {
			return "prefix list " + n + " " + p.PrefixList.ID
		}
	case model.PeerExternal:
		if n, ok := t.externals[p.External.ID]; ok && p.External.ID != "" {
			return "group " + n + " " + p.External.ID
		}
	}
	return ""
}
