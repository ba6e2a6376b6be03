// Package naming makes names from content: the words of a name, and
// names made unique by a suffix hashed from what they name. The targets
// name resources with it and the diagrams name nodes with it, so a name
// changes only when what it names does.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
)

// Words splits a name into lower-case words at every character that is not
// a letter or digit, for targets to join in their own style.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Hash returns 8 hexadecimal digits hashed from s: the suffix that keeps
// apart names whose readable forms are the same.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// Unique makes names unique. names[i] is the readable name of the thing
// identified by key(i) (keys are distinct). Where readable names collide,
// each colliding name gets a suffix hashed from its key, so the result
// depends on content only, never on order. maxLen bounds the result; a
// longer name is cut and given the suffix too. Keys are asked for only
// where a suffix is needed: they can be costly to build, and most names
// do not collide.
func Unique(names []string, key func(i int) string, maxLen int, join func(name, suffix string) string) []string {
	count := make(map[string]int, len(names))
	for _, n := range names {
		count[n]++
	}
	out := make([]string, len(names))
	for i, n := range names {
		if count[n] == 1 && len(n) <= maxLen {
			out[i] = n
			continue
		}
		suffix := Hash(key(i))
		room := maxLen - len(join("", suffix))
		if len(n) > room {
			n = n[:room]
		}
		out[i] = join(n, suffix)
	}
	return out
}

// The ways groups are named in AWS (sgc.hcl's build { group_names }),
// here so that the settings and the targets share one value.
const (
	// GroupNamesPrefix makes each group's AWS name unique from its role
	// name, so a replacement can create the new group first.
	GroupNamesPrefix = "prefix"
	// GroupNamesExact gives each group its role name as its AWS name.
	GroupNamesExact = "exact"
)

// EnvironmentGroupNames names an environment's groups in AWS when sgc.hcl
// does not (build { environment_group_names = "..." }): the role name, a
// hyphen, the environment.
const EnvironmentGroupNames = "{name}-{environment}"

// CheckEnvironmentGroupNames says what is wrong with a naming pattern of
// environments' groups, or "": it must hold {name} and {environment}
// (without either, two groups or two environments would share a name) and
// no other placeholder.
func CheckEnvironmentGroupNames(p string) string {
	if !strings.Contains(p, "{name}") || !strings.Contains(p, "{environment}") {
		return "the pattern must hold both {name} and {environment}"
	}
	rest := strings.NewReplacer("{name}", "", "{environment}", "").Replace(p)
	if strings.ContainsAny(rest, "{}") {
		return "the placeholders are {name} and {environment}"
	}
	return ""
}

// EnvironmentGroupName is a group's AWS name in an environment.
func EnvironmentGroupName(pattern, name, env string) string {
	return strings.NewReplacer("{name}", name, "{environment}", env).Replace(pattern)
}
