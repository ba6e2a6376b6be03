package diag

import (
	"math/rand"
	"sort"
	"testing"
)

// fullDistance is the whole-table distance the banded one replaces.
func fullDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func checkDistance(t *testing.T, a, b string, limit int) {
	want := min(fullDistance(a, b), limit)
	if got := distance(a, b, limit, nil); got != want {
		t.Fatalf("distance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
	}
}

// TestBandedDistance holds the banded distance to the full table.
func TestBandedDistance(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		a, b := randWord(r), randWord(r)
		if r.Intn(2) == 0 { // near misses are what matters
			b = mutate(r, a)
		}
		checkDistance(t, a, b, 1+r.Intn(8))
	}
}

func FuzzBandedDistance(f *testing.F) {
	f.Add("game-servers-production", "game-server-production", 4)
	f.Add("ab", "ba", 2)
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if len(a) > 64 || len(b) > 64 || limit < 1 || limit > 20 {
			return
		}
		checkDistance(t, a, b, limit)
	})
}

func randWord(r *rand.Rand) string {
	b := make([]byte, r.Intn(12))
	for i := range b {
		b[i] = "abcd-"[r.Intn(5)]
	}
	return string(b)
}

func mutate(r *rand.Rand, s string) string {
	b := []byte(s)
	for k := r.Intn(4); k > 0; k-- {
		switch i := r.Intn(len(b) + 1); r.Intn(4) {
		case 0:
			b = append(b[:i], append([]byte{"abcd"[r.Intn(4)]}, b[i:]...)...)
		case 1:
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		case 2:
			if i < len(b) {
				b[i] = "abcd"[r.Intn(4)]
			}
		case 3:
			if i+1 < len(b) {
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
	}
	return string(b)
}

// suggestReference is the whole-list search the Suggester replaces.
func suggestReference(name string, candidates []string) string {
	limit := max(2, len(name)/5)
	if limit >= len(name) {
		limit = len(name) - 1
	}
	best, bestDist := "", limit+1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if c == name {
			continue
		}
		if d := fullDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// TestSuggesterAgrees holds the Suggester to the whole-list search.
func TestSuggesterAgrees(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 3000; i++ {
		var cands []string
		for k := r.Intn(20); k > 0; k-- {
			cands = append(cands, randWord(r))
		}
		name := randWord(r)
		if len(cands) > 0 && r.Intn(2) == 0 {
			name = mutate(r, cands[r.Intn(len(cands))])
		}
		if got, want := NewSuggester(cands, nil).Suggest(name), suggestReference(name, cands); got != want {
			t.Fatalf("Suggest(%q, %q) = %q, want %q", name, cands, got, want)
		}
	}
}
