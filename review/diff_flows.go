package review

import (
	"fmt"
	"sort"

	"github.com/sgc-dev/sgc/compiler/model"
)

func pair(f *model.Flow) string { return f.From.Declared().Name + " -> " + f.To.Declared().Name }

func compareFlows(old, new []*model.Flow) []FlowChange {
	used := map[*model.Flow]bool{}
	var out []FlowChange
	match := func(key func(*model.Flow) string) {
		byKey := map[string][]*model.Flow{}
		for _, f := range new {
			if !used[f] {
				byKey[key(f)] = append(byKey[key(f)], f)
			}
		}
		for _, o := range old {
			if used[o] {
				continue
			}
			cands := byKey[key(o)]
			if len(cands) == 0 {
				continue
			}
			n := cands[0]
			byKey[key(o)] = cands[1:]
			used[o], used[n] = true, true
			if details := flowDetails(o, n); len(details) > 0 {
				out = append(out, FlowChange{Kind: "changed", Old: o, New: n, Details: details})
			}
		}
	}
	// Exactly equal flows first, then the same purpose, then the same ports.
	match(func(f *model.Flow) string {
		return pair(f) + "|" + model.PortsString(f.Ports) + "|" + f.Purpose + "|" + f.Until.String()
	})
	match(func(f *model.Flow) string { return pair(f) + "|" + f.Purpose })
	match(func(f *model.Flow) string { return pair(f) + "|" + model.PortsString(f.Ports) })
	for _, o := range old {
		if !used[o] {
			out = append(out, FlowChange{Kind: "removed", Old: o})
		}
	}
	for _, n := range new {
		if !used[n] {
			out = append(out, FlowChange{Kind: "added", New: n})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return changeKey(out[i]) < changeKey(out[j]) })
	return out
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
