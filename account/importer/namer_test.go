package importer

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestNamerIsFirstFree holds the namer to the rule it had before it kept
// a suffix per base name: a taken name gets the smallest free suffix from
// 2, whatever names were asked for before, suffixed ones among them.
func TestNamerIsFirstFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := &namer{used: map[string]bool{}}
	ref := map[string]bool{}
	for i := range 3000 {
		want := []string{"net", "web", "db"}[rng.IntN(3)]
		if rng.IntN(4) == 0 {
			want = fmt.Sprintf("%s-%d", want, 2+rng.IntN(40)) // a name that looks like a suffixed one
		}
		cand := BaseName(want, "")
		base := cand
		for j := 2; ref[cand]; j++ {
			cand = fmt.Sprintf("%s-%d", base, j)
		}
		ref[cand] = true
		if got := n.name(want, ""); got != cand {
			t.Fatalf("name %d (%q): %q, the first free name is %q", i, want, got, cand)
		}
	}
}

// TestNamerIsLinear names 10,000 networks that all want one name, as an
// account's blocks do: each tries about one suffix, where trying every
// suffix from 2 was quadratic (50 million tries).
func TestNamerIsLinear(t *testing.T) {
	n := &namer{used: map[string]bool{}}
	for range 10000 {
		n.name("net", "")
	}
	if n.tried > 10000 {
		t.Errorf("%d suffixes tried that were taken, for 10,000 names", n.tried)
	}
}

// BenchmarkNamerSameBase names 10,000 networks that all want one name, as
// an account's blocks do: linear, where trying every suffix from 2 was
// quadratic.
func BenchmarkNamerSameBase(b *testing.B) {
	for b.Loop() {
		n := &namer{used: map[string]bool{}}
		for range 10000 {
			n.name("net", "")
		}
	}
}
