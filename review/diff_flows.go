package review

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
)

func pair(f *model.Flow) string { return f.From.Declared().Name + " -> " + f.To.Declared().Name }

// endpointKey identifies an endpoint by what it stands for in AWS: a
// network by its blocks, a prefix list or an external group by its id.
// Renaming one leaves its key, so a flow whose ends were only renamed is
// the same flow.
func endpointKey(e model.Endpoint) string {
	switch e := e.(type) {
	case *model.Network:
		var b strings.Builder
		b.WriteString("net:")
		for _, c := range e.CIDRs {
			b.WriteString(c.String() + ",")
		}
		return b.String()
	case *model.PrefixList:
		return "pl:" + e.ID
	case *model.External:
		if e.ID != "" {
			return "sg:" + e.ID
		}
	}
	return e.Kind().String() + ":" + e.Declared().Name
}

// renamedKey is endpointKey of an old policy's endpoint, with a renamed
// group keyed by its new name.
func renamedKey(e model.Endpoint, rename map[string]string) string {
	if g, ok := e.(*model.Group); ok && rename[g.Name] != "" {
		return "group:" + rename[g.Name]
	}
	return endpointKey(e)
}

// valuePair is a flow's two ends by endpointKey.
func valuePair(f *model.Flow) string { return endpointKey(f.From) + " -> " + endpointKey(f.To) }

// compareFlows matches the flows of two policies and says what changed.
// A flow active in old and expired in new is "expired", not removed; flows
// expired in both are no change.
func compareFlows(old, new []*model.Flow, rename map[string]string) []FlowChange {
	usedOld, usedNew := make([]bool, len(old)), make([]bool, len(new))
	var out []FlowChange
	// What the keys are made of is taken once a flow, not once a pass:
	// the names of both ends, what they stand for, the ports and expiry.
	// (What the names stand for is taken only for the flows the names
	// leave unmatched.)
	type parts struct{ names, values, ports, until string }
	partsOf := func(fs []*model.Flow) []parts {
		ps := make([]parts, len(fs))
		for i, f := range fs {
			ps[i] = parts{names: pair(f), ports: model.PortsString(f.Ports)}
			if !f.Until.IsZero() {
				ps[i].until = f.Until.String()
			}
		}
		return ps
	}
	oldParts, newParts := partsOf(old), partsOf(new)
	values := func() {
		for i, f := range new {
			if !usedNew[i] {
				newParts[i].values = valuePair(f)
			}
		}
		// A renamed group's old flows are keyed by the name it has now.
		for j, f := range old {
			if !usedOld[j] {
				oldParts[j].values = renamedKey(f.From, rename) + " -> " + renamedKey(f.To, rename)
			}
		}
	}
	// A key is compared field by field, so no field can run into the next.
	type key struct{ ends, ports, purpose, until string }
	// match pairs flows whose keys are equal.
	match := func(keyOf func(p parts, f *model.Flow) key) {
		byKey := map[key][]int{}
		for i, f := range new {
			if !usedNew[i] {
				k := keyOf(newParts[i], f)
				byKey[k] = append(byKey[k], i)
			}
		}
		for j, o := range old {
			if usedOld[j] {
				continue
			}
			k := keyOf(oldParts[j], o)
			cands := byKey[k]
			if len(cands) == 0 {
				continue
			}
			i := cands[0]
			n := new[i]
			byKey[k] = cands[1:]
			usedOld[j], usedNew[i] = true, true
			switch {
			case o.Status == model.Expired && n.Status == model.Expired:
			case n.Status == model.Expired:
				out = append(out, FlowChange{Kind: "expired", Old: o, New: n, Details: []string{"expired on " + n.Until.Format("2006-01-02")}})
			default:
				if details := flowDetails(o, n); len(details) > 0 {
					out = append(out, FlowChange{Kind: "changed", Old: o, New: n, Details: details})
				}
			}
		}
	}
	// Exactly equal flows first, then the same purpose, then the same
	// ports; by names, then by what the names stand for (a renamed network).
	for k, ends := range []func(parts) string{
		func(p parts) string { return p.names },
		func(p parts) string { return p.values },
	} {
		if k == 1 {
			values()
		}
		match(func(p parts, f *model.Flow) key { return key{ends(p), p.ports, f.Purpose, p.until} })
		match(func(p parts, f *model.Flow) key { return key{ends: ends(p), purpose: f.Purpose} })
		match(func(p parts, f *model.Flow) key { return key{ends: ends(p), ports: p.ports} })
	}
	for j, o := range old {
		if !usedOld[j] && o.Status != model.Expired {
			out = append(out, FlowChange{Kind: "removed", Old: o})
		}
	}
	for i, n := range new {
		if !usedNew[i] && n.Status != model.Expired {
			out = append(out, FlowChange{Kind: "added", New: n})
		}
	}
	// Each change's key is made once, not in every comparison: a diff of
	// two unrelated large policies has 100,000 changes to sort.
	keys := make([]string, len(out))
	for i, c := range out {
		keys[i] = changeKey(c)
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return keys[order[i]] < keys[order[j]] })
	sorted := make([]FlowChange, len(out))
	for i, k := range order {
		sorted[i] = out[k]
	}
	return sorted
}

func changeKey(c FlowChange) string {
	f := c.New
	if f == nil {
		f = c.Old
	}
	return pair(f) + "|" + model.PortsString(f.Ports) + "|" + c.Kind
}

func flowDetails(o, n *model.Flow) []string {
	var d []string
	for _, end := range []struct {
		what   string
		oe, ne model.Endpoint
	}{{"source", o.From, n.From}, {"destination", o.To, n.To}} {
		if op, np := end.oe.Declared().Name, end.ne.Declared().Name; op != np {
			why := "the same addresses"
			if g, ok := end.ne.(*model.Group); ok {
				why = "the group is replaced"
				if slices.Contains(g.Formerly, op) {
					why = "formerly: the same AWS group"
				}
			}
			d = append(d, fmt.Sprintf("%s renamed %s → %s (%s)", end.what, op, np, why))
		}
	}
	if op, np := model.PortsString(o.Ports), model.PortsString(n.Ports); op != np {
		d = append(d, fmt.Sprintf("ports %s → %s", op, np))
	}
	if o.Purpose != n.Purpose {
		d = append(d, fmt.Sprintf("purpose %q → %q", o.Purpose, n.Purpose))
	}
	switch {
	case o.Until.Equal(n.Until):
	case !o.Temporary():
		d = append(d, "made temporary: until "+n.Until.Format("2006-01-02"))
	case !n.Temporary():
		d = append(d, "made permanent (was until "+o.Until.Format("2006-01-02")+")")
	case n.Until.After(o.Until):
		d = append(d, fmt.Sprintf("expiry extended %s → %s", o.Until.Format("2006-01-02"), n.Until.Format("2006-01-02")))
	default:
		d = append(d, fmt.Sprintf("expiry shortened %s → %s", o.Until.Format("2006-01-02"), n.Until.Format("2006-01-02")))
	}
	return d
}
