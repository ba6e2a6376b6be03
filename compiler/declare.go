package compiler

import (
	"net/netip"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/ghcomment"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
)

func (c *compiler) declareInternet() {
	n := &model.Network{
		Decl:        model.Decl{Name: Internet},
		CIDRs:       []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")},
		Description: "Every IPv4 and IPv6 address",
		Predeclared: true,
	}
	c.symbols[Internet] = &symbol{kind: model.KindNetwork, decl: &n.Decl, entity: n}
	c.prog.Networks = append(c.prog.Networks, n)
}

func declOf(name *ast.Ident, s ast.Stmt) model.Decl {
	return model.Decl{Name: name.Name, NameRange: name.Range(), Range: s.Range()}
}

// declare records one declaration and checks what can be checked without
// looking at other declarations.
func (c *compiler) declare(s ast.Stmt) {
	var (
		name   *ast.Ident
		kind   model.Kind
		entity model.Endpoint
		bad    bool
	)
	switch s := s.(type) {
	case *ast.GroupDecl:
		g := &model.Group{Decl: declOf(s.Name, s), Description: s.Description.Value, InternetFacing: s.InternetFacing != nil, Role: s.Role}
		for _, f := range s.Formerly {
			g.Formerly = append(g.Formerly, f.Name)
		}
		c.formerly = append(c.formerly, s)
		g.AlsoIn = c.alsoIn(s)
		if o := s.Owner; o != nil {
			if ghcomment.ValidOwner(o.Text) {
				g.Owner = o.Text
			} else {
				c.diags.Errorf(o.Range(), InvalidOwner, "owner %q is neither a GitHub user nor an org/team", o.Text).
					WithDetail("An owner approves changes to the group's access in pull requests: a GitHub user (alice) or a team (acme/platform).")
			}
		}
		if lb := s.LoadBalancer; lb != nil {
			if lb.Text == model.NetworkLoadBalancer {
				g.LoadBalancer = lb.Text
			} else {
				d := c.diags.Errorf(lb.Range(), InvalidLoadBalancer, "load-balancer %q: sgc knows network load balancers", lb.Text).
					WithDetail("Mark the group of a Network Load Balancer with load-balancer network: its security groups can only be changed among groups, never to none. An Application Load Balancer's group needs no mark.")
				if strings.HasPrefix(model.NetworkLoadBalancer, lb.Text) || diag.Suggest(lb.Text, []string{model.NetworkLoadBalancer}) != "" {
					d.WithSuggestion("Did you mean %q?", model.NetworkLoadBalancer)
				}
			}
		}
		c.checkGroupName(s.Name)
		c.checkDescription(s.Description, "group description")
		name, kind, entity = s.Name, model.KindGroup, g
	case *ast.NetworkDecl:
		n := &model.Network{Decl: declOf(s.Name, s), Description: s.Description.Value}
		for _, a := range s.Addresses {
			if p := c.cidr(a); p.IsValid() {
				n.CIDRs = append(n.CIDRs, p)
			}
		}
		n.CIDRs = sortPrefixes(n.CIDRs)
		c.checkNote(s.Description, "network description")
		name, kind, entity = s.Name, model.KindNetwork, n
	case *ast.PrefixListDecl:
		l := &model.PrefixList{Decl: declOf(s.Name, s), ID: s.ID.Text, Description: s.Description.Value}
		if name, ok := strings.CutPrefix(s.ID.Text, awsform.ManagedPrefixListPrefix); ok {
			c.managedPrefixList(l, name, s.ID)
		} else {
			c.checkID(s.ID, "pl", "prefix list")
		}
		if m := s.MaxEntries; m != nil {
			if m.Value < 1 || m.Value > 1000 {
				c.diags.Errorf(m.Range(), InvalidMaxEntries, "max-entries %s is out of range", m.Text).
					WithDetail("A managed prefix list holds from 1 to 1000 entries.")
			}
			l.MaxEntries = m.Value
		}
		c.checkNote(s.Description, "prefix list description")
		name, kind, entity = s.Name, model.KindPrefixList, l
	case *ast.ExternalDecl:
		e := &model.External{Decl: declOf(s.Name, s), Description: s.Description.Value}
		c.external(e, s)
		c.checkNote(s.Description, "external description")
		name, kind, entity = s.Name, model.KindExternal, e
	case *ast.ServiceDecl:
		name, kind, entity = s.Name, model.KindService, &model.Service{Decl: declOf(s.Name, s)}
	case *ast.InterfaceDecl:
		c.interfaces = append(c.interfaces, s)
		return
	case *ast.BadStmt:
		if s.Name == nil {
			return
		}
		name, bad = s.Name, true
	default:
		return
	}
	if prev, ok := c.symbols[name.Name]; ok {
		d := c.diags.Errorf(name.Range(), DuplicateName, "%q is already declared", name.Name)
		if prev.node == nil {
			d.WithDetail("%q is predeclared: it stands for every IPv4 and IPv6 address (0.0.0.0/0 and ::/0).", name.Name)
		} else {
			d.WithRelated(prev.decl.NameRange, "first declared here")
		}
		return
	}
	sym := &symbol{kind: kind, entity: entity, node: s, bad: bad}
	if bad {
		sym.decl = &model.Decl{Name: name.Name, NameRange: name.Range(), Range: s.Range()}
		c.symbols[name.Name] = sym
		return
	}
	sym.decl = entity.Declared()
	c.symbols[name.Name] = sym
	switch e := entity.(type) {
	case *model.Group:
		c.prog.Groups = append(c.prog.Groups, e)
	case *model.Network:
		c.prog.Networks = append(c.prog.Networks, e)
	case *model.PrefixList:
		c.prog.PrefixLists = append(c.prog.PrefixLists, e)
	case *model.External:
		c.prog.Externals = append(c.prog.Externals, e)
	case *model.Service:
		c.prog.Services = append(c.prog.Services, e)
	}
}

func (c *compiler) checkGroupName(id *ast.Ident) {
	lower := strings.ToLower(id.Name)
	switch {
	case lower == "default":
		c.diags.Errorf(id.Range(), InvalidGroupName, "a security group cannot be named %q", id.Name).
			WithDetail("AWS reserves \"default\" for the VPC's default group, which a policy cannot create. Name the group after what it contains.")
	case strings.HasPrefix(lower, "sg-"):
		c.diags.Errorf(id.Range(), InvalidGroupName, "a security group name cannot start with %q", id.Name[:3]).
			WithDetail("AWS refuses group names that start with \"sg-\": they would read like group ids.")
	case len(id.Name) > 255:
		c.diags.Errorf(id.Range(), InvalidGroupName, "group name is %d characters long; AWS allows at most 255", len(id.Name))
	}
}

// external reads an external's id, account and way of reach. The id may
// carry the account that owns the group, as AWS writes a group of another
// account ("123456789012/sg-..."); the account clause says it for an
// external without an id.
func (c *compiler) external(e *model.External, s *ast.ExternalDecl) {
	if s.ID != nil {
		id := *s.ID
		if account, group, ok := strings.Cut(id.Text, "/"); ok {
			acct := ast.Word{Extent: id.Extent, Text: account}
			acct.EndPos.Offset, acct.EndPos.Column = id.Pos.Offset+len(account), id.Pos.Column+len(account)
			if c.checkAccount(&acct) {
				e.Account = account
			}
			id.Text = group
			id.Pos.Offset, id.Pos.Column = id.Pos.Offset+len(account)+1, id.Pos.Column+len(account)+1
		}
		e.ID = id.Text
		c.checkID(&id, "sg", "security group")
	}
	if s.Account != nil && c.checkAccount(s.Account) {
		if e.Account != "" && e.Account != s.Account.Text {
			c.diags.Errorf(s.Account.Range(), InvalidExternal, "external %s is in account %s by its id and in account %s by its account clause", e.Name, e.Account, s.Account.Text).
				WithSuggestion("Say the account once: in the id (ACCOUNT/sg-...) or in the account clause.")
		}
		e.Account = s.Account.Text
	}
	if s.Via != nil {
		switch s.Via.Text {
		case model.ViaPeering, model.ViaTransitGateway:
			e.Via = s.Via.Text
		default:
			d := c.diags.Errorf(s.Via.Range(), InvalidExternal, "external %s cannot be reached via %q", e.Name, s.Via.Text).
				WithDetail("AWS references a group of another VPC across a VPC peering connection (via peering) or a transit gateway or Cloud WAN (via transit-gateway).")
			if m := diag.Suggest(s.Via.Text, []string{model.ViaPeering, model.ViaTransitGateway}); m != "" {
				d.WithSuggestion("Did you mean %q?", m)
			}
		}
	}
}

// checkAccount reports whether w is an AWS account id, and says so when
// it is not.
func (c *compiler) checkAccount(w *ast.Word) bool {
	if awsform.AccountID.MatchString(w.Text) {
		return true
	}
	c.diags.Errorf(w.Range(), MalformedID, "malformed account id %q", w.Text).
		WithDetail("An AWS account id is 12 digits, such as 123456789012.")
	return false
}

// managedPrefixList makes l the AWS-managed list name (written
// aws:NAME), whose id each deployment looks up by its AWS name and whose
// weight AWS counts against the quota.
func (c *compiler) managedPrefixList(l *model.PrefixList, name string, w *ast.Word) {
	m, ok := awsform.FindManagedPrefixList(name)
	if !ok {
		d := c.diags.Errorf(w.Range(), UnknownManagedPrefixList, "AWS manages no prefix list %q", w.Text).
			WithDetail("The AWS-managed lists are %s.", "aws:"+strings.Join(awsform.ManagedPrefixListNames(), ", aws:"))
		if s := suggestManaged(name); s != "" {
			d.WithSuggestion("Did you mean %q?", awsform.ManagedPrefixListPrefix+s)
		}
		return
	}
	l.Managed, l.AWSName, l.Weight = m.Name, m.AWSName, m.Weight
}

// suggestManaged is the AWS-managed list a mistyped name most likely
// meant: a near spelling, or the one list whose name it begins
// (aws:cloudfront for aws:cloudfront.origin-facing).
func suggestManaged(name string) string {
	names := awsform.ManagedPrefixListNames()
	if s := diag.Suggest(name, names); s != "" {
		return s
	}
	var starts []string
	for _, n := range names {
		if strings.HasPrefix(n, name) {
			starts = append(starts, n)
		}
	}
	if len(starts) == 1 {
		return starts[0]
	}
	return ""
}

func (c *compiler) checkID(w *ast.Word, prefix, what string) {
	form := awsform.GroupID
	if prefix == "pl" {
		form = awsform.PrefixListID
	}
	if form.MatchString(w.Text) {
		return
	}
	c.diags.Errorf(w.Range(), MalformedID, "malformed %s id %q", what, w.Text).
		WithDetail("A %s id is %q followed by 8 or 17 lower-case hexadecimal digits, such as %s-0123456789abcdef0.", what, prefix+"-", prefix)
}

// alsoIn reads the other VPCs a group serves: vpc- ids, or names whose ids
// are inputs, each once.
func (c *compiler) alsoIn(s *ast.GroupDecl) []model.VPC {
	var out []model.VPC
	seen := map[string]bool{}
	for _, w := range s.AlsoIn {
		var v model.VPC
		switch {
		case strings.HasPrefix(w.Text, "vpc-"):
			if !awsform.VPCID.MatchString(w.Text) {
				c.diags.Errorf(w.Range(), MalformedID, "malformed VPC id %q", w.Text).
					WithDetail("A VPC id is \"vpc-\" followed by 8 or 17 lower-case hexadecimal digits, such as vpc-0123456789abcdef0.")
				continue
			}
			v.ID = w.Text
		case ast.ValidName(w.Text):
			v.Input = w.Text
		default:
			c.diags.Errorf(w.Range(), InvalidAlsoIn, "%q is neither a VPC id nor a name", w.Text).
				WithDetail("also-in lists VPCs by id (vpc-...) or by a name whose id the deployment gives (an input).")
			continue
		}
		if seen[v.Key()] {
			c.diags.Errorf(w.Range(), InvalidAlsoIn, "group %s is in VPC %s twice", s.Name.Name, v.Key())
			continue
		}
		seen[v.Key()] = true
		out = append(out, v)
	}
	return out
}

// resolveInterfaces resolves the groups of each interface, once every
// group is declared. Interfaces have names of their own, apart from the
// names flows use: two interfaces may not share one, a group may be in an
// interface once.
func (c *compiler) resolveInterfaces() {
	seen := map[string]*ast.Ident{}
	for _, s := range c.interfaces {
		if first, ok := seen[s.Name.Name]; ok {
			c.diags.Errorf(s.Name.Range(), DuplicateName, "interface %q is already declared", s.Name.Name).
				WithRelated(first.Range(), "first declared here")
			continue
		}
		seen[s.Name.Name] = s.Name
		c.checkNote(s.Description, "interface description")
		in := &model.Interface{Decl: declOf(s.Name, s), Description: s.Description.Value}
		member := map[*model.Group]bool{}
		for _, id := range s.Groups {
			sym := c.lookup(id, model.KindGroup)
			if sym == nil {
				continue
			}
			g := sym.entity.(*model.Group)
			if member[g] {
				c.diags.Errorf(id.Range(), DuplicateName, "group %s is in interface %s twice", g.Name, s.Name.Name)
				continue
			}
			member[g] = true
			in.Groups = append(in.Groups, g)
		}
		c.prog.Interfaces = append(c.prog.Interfaces, in)
	}
}

// checkFormerly checks the groups' former names, once every name is
// declared: a former name is no name of the policy now (else two things
// would answer to it in the state, the account and drift), belongs to one
// group, and is not the group's own.
func (c *compiler) checkFormerly() {
	claimed := map[string]*ast.Ident{}
	for _, s := range c.formerly {
		for _, f := range s.Formerly {
			switch first, taken := claimed[f.Name]; {
			case f.Name == s.Name.Name:
				c.diags.Errorf(f.Range(), InvalidFormerName, "group %s cannot formerly have been called %s: that is its name", s.Name.Name, f.Name)
			case c.symbols[f.Name] != nil:
				c.diags.Errorf(f.Range(), InvalidFormerName, "%s is declared, so it cannot be a former name of group %s", f.Name, s.Name.Name).
					WithDetail("A former name says which AWS group and addresses the group takes over; a name in use belongs to something else.").
					WithRelated(c.symbols[f.Name].decl.NameRange, "declared here")
			case taken:
				c.diags.Errorf(f.Range(), InvalidFormerName, "%s is a former name of two groups", f.Name).
					WithRelated(first.Range(), "named a former name here first")
			default:
				claimed[f.Name] = f
				c.checkGroupName(f)
			}
		}
	}
}
