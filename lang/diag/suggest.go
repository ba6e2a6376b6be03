package diag

import (
	"sort"

	"github.com/agext/levenshtein"
)

// Suggest returns the candidate closest to name, or "" when none is close
// enough to be a plausible typo. Like HCL's nameSuggestion it uses edit
// distance; the threshold grows with the name so that long role names such
// as "game-server-production" still find "game-servers-production", while
// short names do not suggest unrelated ones.
func Suggest(name string, candidates []string) string {
	limit := 2
	if l := len(name) / 5; l > limit {
		limit = l
	}
	best, bestDist := "", limit+1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted) // ties go to the alphabetically first, whatever the input order
	for _, c := range sorted {
		if c == name {
			continue
		}
		if d := levenshtein.Distance(name, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
