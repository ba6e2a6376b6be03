package ast

import "strings"

// MaxDraftName bounds the names sgc makes for things named outside the
// language (import's drafts): an AWS group name may be 255 characters,
// which makes an unreadable policy; longer names are shortened to a slug.
const MaxDraftName = 64

// BaseName is the name the language gives a thing called want outside it
// (an AWS group name), before any suffix that keeps names apart: want
// itself when it is a valid name, else a slug of it, else the slug after
// prefix ("group", "ext", ...). import drafts with it, and drift uses it
// to find the live group of a declaration import renamed.
func BaseName(want, prefix string) string {
	cand := want
	if !usableName(cand) {
		cand = Slug(cand)
		if !usableName(cand) {
			cand = strings.TrimRight(prefix+"-"+cand, "-")
		}
	}
	return cand
}

// Slug writes s in lower-case letters, digits and single dashes, at most
// 48 characters whatever the length of s.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 48 {
			break // bounded whatever the input's length
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// usableName reports whether cand can name a group sgc drafts: a valid,
// unreserved name AWS would take for a group.
func usableName(cand string) bool {
	lower := strings.ToLower(cand)
	return len(cand) <= MaxDraftName && ValidName(cand) && !Reserved[cand] && cand != "internet" &&
		!strings.HasPrefix(lower, "sg-") && lower != "default"
}
