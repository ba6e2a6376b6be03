// Package markdown writes text into Markdown as text: reports that quote
// a policy or an AWS account (doc, diff, drift) escape every piece of
// input with it, so none becomes markup, a link or a table cell.
package markdown

import (
	"strings"
	"unicode"
)

// Text makes s plain text in Markdown: it cannot start a heading, list
// or quote, open a link, image, code span, emphasis or raw HTML (<img
// onerror>, javascript: links), or split a table cell. Every ASCII
// punctuation mark that CommonMark or GitHub gives a meaning inline is
// backslash-escaped, which CommonMark defines for all of them; line breaks
// and other control characters become spaces.
func Text(s string) string {
	if plain(s) {
		return s
	}
	return escape(s)
}

// Characters Text escapes: inline anywhere, and block at the start.
const (
	inline = "\\`*_[]<|&~$"
	block  = "#+-=>:"
)

// inert[c] holds for the ASCII bytes that Text writes as they are
// wherever they stand: printable, and no punctuation it escapes.
var inert = func() (t [256]bool) {
	for c := ' '; c <= '~'; c++ {
		t[c] = !strings.ContainsRune(inline, c)
	}
	return t
}()

// plain reports whether escape would return s unchanged because every
// byte is inert and the first can start no block (heading, list, quote,
// definition, ordered list): most purposes, names and ports a report
// quotes. Text then returns s itself instead of copying it rune by rune,
// which was a quarter of a 50,000-flow document's time. FuzzText holds
// the two to the same result.
func plain(s string) bool {
	if s == "" {
		return true
	}
	if strings.IndexByte(block, s[0]) >= 0 {
		return false
	}
	digits := 0
	for digits < len(s) && '0' <= s[digits] && s[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') {
		return false
	}
	for i := digits; i < len(s); i++ {
		if !inert[s[i]] {
			return false
		}
	}
	return true
}

// escape is Text without its shortcut.
func escape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\n' || r == '\r' || unicode.IsControl(r) || isBidi(r):
			b.WriteByte(' ')
			continue
		case strings.ContainsRune(inline, r):
			b.WriteByte('\\')
		case i == 0 && strings.ContainsRune(block, r):
			b.WriteByte('\\') // would start a heading, list, quote or definition
		}
		b.WriteRune(r)
	}
	out := b.String()
	// "1. x" and "1) x" at the start would be an ordered list.
	if n := strings.IndexFunc(out, func(r rune) bool { return r < '0' || r > '9' }); n > 0 && (out[n] == '.' || out[n] == ')') {
		out = out[:n] + `\` + out[n:]
	}
	return out
}

// Code puts s in a code span that nothing in s can end: the fence is one
// backtick longer than the longest run of backticks in s. Line breaks
// become spaces, and table cell separators are escaped (GitHub splits
// cells even inside code).
func Code(s string) string {
	longest, run := 0, 0
	var b strings.Builder
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
		switch {
		case r == '\n' || r == '\r' || unicode.IsControl(r) || isBidi(r):
			b.WriteByte(' ')
		case r == '|':
			b.WriteString(`\|`)
		default:
			b.WriteRune(r)
		}
	}
	fence := strings.Repeat("`", longest+1)
	body := b.String()
	if strings.HasPrefix(body, "`") || strings.HasSuffix(body, "`") {
		body = " " + body + " "
	}
	return fence + body + fence
}

// isBidi reports whether r reorders the text around it when displayed
// ("Trojan Source"): such characters are never shown raw.
func isBidi(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}
