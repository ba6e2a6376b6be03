package diag

import (
	"sort"
)

// Suggest returns the candidate closest to name, or "" when none is close
// enough to be a plausible typo. Like HCL's nameSuggestion it uses edit
// distance, here counting a swap of neighbouring letters as one edit; the
// threshold grows with the name so that long role names such as
// "game-server-production" still find "game-servers-production", while
// short names do not suggest unrelated ones: a suggestion may never need
// as many edits as the name has letters.
//
// Suggest is for small fixed lists (keywords, settings); a policy's names
// go through a Suggester, which bounds the work.
func Suggest(name string, candidates []string) string {
	return NewSuggester(candidates, nil).Suggest(name)
}

// Suggester suggests names from one fixed set of candidates, within a
// budget of work: a policy with thousands of unknown names and thousands
// of declared ones would otherwise cost unknown × declared × length².
// Candidates are kept by length, so a name is compared only with those
// whose length allows a close match, and each comparison computes only the
// band of the distance table that can stay under the threshold.
type Suggester struct {
	byLen  map[int][]string // sorted: ties go to the alphabetically first
	budget *int             // table cells left to compute, shared; nil: no bound
	rows   [3][]int         // the distance table's rows, reused
}

// NewSuggester returns a Suggester over candidates that computes at most
// *budget cells of distance tables, taking them from *budget, which
// Suggesters may share (nil: no bound). Once the budget is spent it
// suggests nothing.
func NewSuggester(candidates []string, budget *int) *Suggester {
	s := &Suggester{byLen: map[int][]string{}, budget: budget}
	for _, c := range candidates {
		s.byLen[len(c)] = append(s.byLen[len(c)], c)
	}
	for _, l := range s.byLen {
		sort.Strings(l)
	}
	return s
}

// Suggest returns the candidate closest to name, or "".
func (s *Suggester) Suggest(name string) string {
	limit := max(2, len(name)/5)
	if limit >= len(name) {
		limit = len(name) - 1
	}
	best, bestDist := "", limit+1
	// Nearer lengths first, so that the threshold tightens early. A name
	// whose length differs by delta is at least delta edits away, so the
	// search ends there; ties go to the alphabetically first name.
	for delta := 0; delta <= bestDist && delta <= limit; delta++ {
		for _, l := range []int{len(name) - delta, len(name) + delta} {
			if delta == 0 && l != len(name) {
				continue
			}
			for _, c := range s.byLen[l] {
				if c == name {
					continue
				}
				if s.budget != nil && *s.budget <= 0 {
					return ""
				}
				// One past bestDist, so that a tie is told from a worse match.
				d := s.distance(name, c, bestDist+1)
				if d < bestDist || (d == bestDist && d <= limit && c < best) {
					best, bestDist = c, d
				}
			}
		}
	}
	return best
}

// distance is the package's distance with the Suggester's rows and budget.
func (s *Suggester) distance(a, b string, limit int) int {
	if cap(s.rows[0]) < len(b)+2 {
		for i := range s.rows {
			s.rows[i] = make([]int, len(b)+2)
		}
	}
	return distanceIn(a, b, limit, s.budget, s.rows[0][:len(b)+2], s.rows[1][:len(b)+2], s.rows[2][:len(b)+2])
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent bytes. It
// gives up, returning limit, once the distance must reach limit; only the
// cells within limit of the diagonal are computed, each one taken from
// *budget (when budget is not nil).
func distance(a, b string, limit int, budget *int) int {
	return distanceIn(a, b, limit, budget, make([]int, len(b)+2), make([]int, len(b)+2), make([]int, len(b)+2))
}

// distanceIn is distance computed in the rows given, each len(b)+2 long.
func distanceIn(a, b string, limit int, budget *int, prev2, prev, cur []int) int {
	n, m := len(a), len(b)
	if d := n - m; d >= limit || -d >= limit {
		return limit
	}
	inf := limit
	for j := 0; j <= m+1; j++ {
		prev[j] = min(j, inf)
	}
	for i := 1; i <= n; i++ {
		lo, hi := max(1, i-limit), min(m, i+limit)
		if lo-1 == 0 {
			cur[0] = min(i, inf)
		} else {
			cur[lo-1] = inf
		}
		cur[hi+1] = inf
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = min(v, inf)
			rowMin = min(rowMin, cur[j])
		}
		if budget != nil {
			*budget -= hi - lo + 1
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[m], limit)
}
