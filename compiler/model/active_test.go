package model

import (
	"slices"
	"testing"
)

// TestActiveFlows holds Active and ActiveFlows to the flows that are not
// expired, in model order, and Active to stopping when its loop does.
func TestActiveFlows(t *testing.T) {
	a, b, c, d := &Flow{Purpose: "a"}, &Flow{Purpose: "b", Status: Expired}, &Flow{Purpose: "c", Status: Expiring}, &Flow{Purpose: "d"}
	p := &Program{Flows: []*Flow{a, b, c, d}}
	want := []*Flow{a, c, d}
	if got := p.ActiveFlows(); !slices.Equal(got, want) {
		t.Errorf("ActiveFlows = %v, want %v", got, want)
	}
	if got := slices.Collect(p.Active()); !slices.Equal(got, want) {
		t.Errorf("Active = %v, want %v", got, want)
	}
	var first []*Flow
	for f := range p.Active() {
		first = append(first, f)
		if len(first) == 2 {
			break
		}
	}
	if !slices.Equal(first, want[:2]) {
		t.Errorf("Active, stopped after two = %v, want %v", first, want[:2])
	}
}
