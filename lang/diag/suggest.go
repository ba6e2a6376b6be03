package diag

import "sort"

// Suggest returns the candidate closest to name, or "" when none is close
// enough to be a plausible typo. Like HCL's nameSuggestion it uses edit
// distance, here counting a swap of neighbouring letters as one edit; the
// threshold grows with the name so that long role names such as
// "game-server-production" still find "game-servers-production", while
// short names do not suggest unrelated ones: a suggestion may never need
// as many edits as the name has letters.
func Suggest(name string, candidates []string) string {
	limit := 2
	if l := len(name) / 5; l > limit {
		limit = l
	}
	if limit >= len(name) {
		limit = len(name) - 1
	}
	best, bestDist := "", limit+1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted) // ties go to the alphabetically first, whatever the input order
	for _, c := range sorted {
		if c == name {
			continue
		}
		if d := distance(name, c, bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent bytes. It
// gives up early, returning max, once the distance must reach max.
func distance(a, b string, max int) int {
	if d := len(a) - len(b); d >= max || -d >= max {
		return max
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= max {
			return max
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
