package compiler

import (
	"fmt"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// suggest finds a declared name of the wanted kinds close to name. The
// candidates of each set of kinds are gathered once, and all suggestions
// of a compilation share one budget of work (limits.Suggestions names'
// worth): past it, unknown names are still reported, without a guess.
func (c *compiler) suggest(name string, want []model.Kind) string {
	if c.suggested >= limits.Suggestions {
		return ""
	}
	c.suggested++
	key := fmt.Sprint(want)
	s := c.suggesters[key]
	if s == nil {
		var candidates []string
		for n, sym := range c.symbols {
			if !sym.bad && kindIn(sym.kind, want) {
				candidates = append(candidates, n)
			}
		}
		if c.suggestBudget == nil {
			budget := suggestionWork
			c.suggestBudget = &budget
		}
		s = diag.NewSuggester(candidates, c.suggestBudget)
		c.suggesters[key] = s
	}
	return s.Suggest(name)
}

// suggestionWork bounds the distance-table cells computed for suggestions
// in one compilation: a fraction of a second.
const suggestionWork = 20_000_000

// lookup resolves a name used at id. want names the kinds acceptable there;
// it returns nil (after reporting) when the name is unknown, of the wrong
// kind, or declared by a bad statement.
func (c *compiler) lookup(id *ast.Ident, want ...model.Kind) *symbol {
	sym, ok := c.symbols[id.Name]
	if !ok && c.speculative {
		c.missed = true
		return nil
	}
	if !ok {
		d := c.diags.Errorf(id.Range(), UnknownName, "unknown name %q", id.Name)
		switch strings.ToLower(id.Name) {
		case "any", "anywhere", "all-addresses", "world":
			d.WithSuggestion("internet is every address (0.0.0.0/0 and ::/0); there is no name for every group: write a flow for each, or a guarantee with never \"*\".")
		default:
			if s := c.suggest(id.Name, want); s != "" {
				d.WithSuggestion("Did you mean %q?", s)
			}
		}
		return nil
	}
	if sym.bad {
		return nil
	}
	if !kindIn(sym.kind, want) {
		var names []string
		for _, k := range want {
			names = append(names, k.String())
		}
		c.diags.Errorf(id.Range(), WrongKind, "%q is a %s, not a %s", id.Name, sym.kind, orList(names)).
			WithRelated(sym.decl.NameRange, "declared here")
		return nil
	}
	return sym
}

func kindIn(k model.Kind, ks []model.Kind) bool {
	for _, w := range ks {
		if k == w {
			return true
		}
	}
	return false
}

func orList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

var endpointKinds = []model.Kind{model.KindGroup, model.KindNetwork, model.KindPrefixList, model.KindExternal}

// flow resolves and checks one flow and adds it to the program.
// peerSide is the end of a flow its rules reference: the destination of a
// flow from a group, else the source. (Of a group-to-group flow, each half
// references the other group; either end is a group.)
func peerSide(f *model.Flow) model.Endpoint {
	if _, ok := f.From.(*model.Group); ok {
		return f.To
	}
	return f.From
}

// referenceKind says what a flow's rules reference when they reference a
// group or a prefix list ("a security group", "a prefix list"), or "".
func referenceKind(f *model.Flow) string {
	switch peerSide(f).(type) {
	case *model.Group, *model.External:
		return "a security group"
	case *model.PrefixList:
		return "a prefix list"
	}
	return ""
}

func (c *compiler) flow(f *ast.Flow) {
	from := c.lookup(f.From, endpointKinds...)
	to := c.lookup(f.To, endpointKinds...)
	ports, services, ok := c.ports(f.Ports)
	c.checkDescription(f.Purpose, "purpose")
	if from == nil || to == nil || !ok {
		return
	}
	if from.kind != model.KindGroup && to.kind != model.KindGroup {
		c.diags.Errorf(source.Range{Start: f.From.Pos, End: f.To.EndPos}, NonGroupFlow,
			"flow from %s %q to %s %q has no group of this policy on either side", from.kind, f.From.Name, to.kind, f.To.Name).
			WithDetail("A flow becomes rules on this policy's security groups, so at least one side must be a group declared with \"group\".")
		return
	}
	if e, ok := to.entity.(*model.External); ok && e.Via == model.ViaTransitGateway {
		c.diags.Errorf(f.To.Range(), EgressAcrossTransitGateway, "flow from %s to %s would be an outbound rule referencing a group across a transit gateway, which AWS refuses", f.From.Name, f.To.Name).
			WithDetail("AWS references security groups across a transit gateway or Cloud WAN in inbound rules only.").
			WithSuggestion("Declare the addresses of %s as a network (its subnets' CIDR blocks) or a prefix list, and write the flow to that.", f.To.Name)
		return
	}
	fl := &model.Flow{
		From: from.entity, To: to.entity,
		Ports:       ports,
		Services:    services,
		Purpose:     f.Purpose.Value,
		Range:       f.Range(),
		FromSpan:    source.SpanOf(f.From.Range()),
		ToSpan:      source.SpanOf(f.To.Range()),
		PortsSpan:   source.SpanOf(f.Ports.Range()),
		PurposeSpan: source.SpanOf(f.Purpose.Range()),
	}
	for _, w := range f.Waivers {
		mw := model.Waiver{Until: w.Until.Time, Reason: w.Reason.Value, Range: w.Range(),
			Expired: !c.opts.Now.Before(w.Until.Time)}
		for _, id := range w.IDs {
			mw.IDs = append(mw.IDs, id.Name)
		}
		fl.Waivers = append(fl.Waivers, mw)
	}
	if f.Until != nil {
		fl.Until = f.Until.Time
		fl.UntilSpan = source.SpanOf(f.Until.Range())
		switch {
		case !c.opts.Now.Before(fl.Until):
			fl.Status = model.Expired
			c.diags.Warnf(f.Until.Range(), ExpiredFlow, "flow expired on %s", f.Until.Text).
				WithDetail("The access it granted has ended: builds leave it out. Delete the flow, or give it a new date if the access is still needed.")
		case fl.Until.Sub(c.opts.Now) <= c.opts.ExpiringWithin:
			fl.Status = model.Expiring
		}
	}
	c.checkFamilies(fl)
	if kind := referenceKind(fl); kind != "" && strings.ContainsRune(fl.Purpose, '&') {
		c.checkReferencePurpose(f.Purpose, kind)
	}
	c.prog.Flows = append(c.prog.Flows, fl)
}
