package model

import (
	"strings"
	"testing"
)

// TestGlob: stars match any run, letters either case, runs of stars
// collapse (a pattern of a million stars costs what one does).
func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "anything", true},
		{"*", "", true},
		{"*-db-*", "orders-db-prod", true},
		{"*-db-*", "Orders-DB-eu", true},
		{"*-DB", "cache-db", true},
		{"web", "WEB", true},
		{"web", "web2", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxcyyb", false},
		{"a**b", "ab", true},
		{strings.Repeat("*", 1000000), "x", true},
		{"*-prod", "web-production", false},
	} {
		if got := GlobMatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("GlobMatch(%.20q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
	if g := CompileGlob(strings.Repeat("*", 1000000)); len(g.parts) != 2 {
		t.Errorf("a million stars compile to %d parts, want 2", len(g.parts))
	}
}
