package compiler

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/source"
)

// textChar reports whether r may stand in text that never reaches AWS (the
// descriptions of networks, prefix lists and externals, which only the
// generated code's comments and sgc's reports carry): anything printable.
// Control characters and bidirectional overrides would let the text
// rewrite a terminal or hide what a reviewer reads.
func textChar(r rune) bool {
	return unicode.IsPrint(r) && !unicode.Is(unicode.Bidi_Control, r)
}

// FindDynamicReference returns the index in s of a CloudFormation dynamic
// reference ("{{resolve:"), or -1 (awsform.FindDynamicReference).
func FindDynamicReference(s string) int { return awsform.FindDynamicReference(s) }

// checkDescription applies AWS's description rules and points at the first
// offending character.
func (c *compiler) checkDescription(s *ast.String, what string) {
	c.checkText(s, what, descriptionAlphabet, "AWS accepts only "+descriptionChars+" in descriptions", maxDescription)
}

// checkNote checks a description that never reaches AWS.
func (c *compiler) checkNote(s *ast.String, what string) {
	c.checkText(s, what, noteAlphabet, "Descriptions hold printable text; control characters and bidirectional overrides could hide what a reviewer reads", 0)
}

// alphabet is a character set as checkText reads it: ok, and ok of each
// ASCII character in a table. Every purpose and description is checked a
// character at a time, and a call per character was a fifteenth of a
// large policy's compile.
type alphabet struct {
	ok    func(rune) bool
	ascii [utf8.RuneSelf]bool
}

func newAlphabet(ok func(rune) bool) *alphabet {
	a := &alphabet{ok: ok}
	for c := range a.ascii {
		a.ascii[c] = ok(rune(c))
	}
	return a
}

// The alphabets of descriptions AWS takes, of the purposes of rules that
// reference a group or a prefix list, and of text that never reaches AWS.
var (
	descriptionAlphabet = newAlphabet(awsform.DescriptionChar)
	referenceAlphabet   = newAlphabet(awsform.ReferenceDescriptionChar)
	noteAlphabet        = newAlphabet(textChar)
)

// checkText checks a description against a character set (a, described
// by why) and a length (0: none), and points at the first offending
// character.
func (c *compiler) checkText(s *ast.String, what string, a *alphabet, why string, maxLen int) {
	if strings.TrimSpace(s.Value) == "" {
		c.diags.Errorf(s.Range(), InvalidDescription, "empty %s", what).
			WithDetail("Every group and rule carries a description into AWS; say what the group holds or why the flow exists.")
		return
	}
	for i, r := range s.Value {
		if r < utf8.RuneSelf && a.ascii[r] || r >= utf8.RuneSelf && a.ok(r) {
			continue
		}
		at := stringPos(s, i)
		width := len(string(r))
		if r == '\\' || r == '"' {
			width = 2 // the escape as written
		}
		c.diags.Errorf(source.Range{Start: at, End: at.Advance(width)}, InvalidDescription,
			"character %q is not allowed in %s %s", string(r), article(what), what).
			WithDetail("%s.", why)
		return
	}
	if i := FindDynamicReference(s.Value); i >= 0 {
		at := stringPos(s, i)
		c.diags.Errorf(source.Range{Start: at, End: at.Advance(len("{{resolve:"))}, DynamicReference,
			"%s contains a CloudFormation dynamic reference", what).
			WithDetail("CloudFormation replaces {{resolve:...}} with the value it names (an SSM parameter, a secret) wherever it appears, so the %s deployed to AWS would carry it, readable by anyone allowed to describe security groups.", what).
			WithSuggestion("Write the text without \"{{resolve:\" (for example \"{ {resolve:\"), or leave the reference out.")
		return
	}
	if n := len(s.Value); maxLen > 0 && n > maxLen {
		c.diags.Errorf(s.Range(), InvalidDescription, "%s is %d characters long; AWS allows at most %d", what, n, maxLen)
	}
}

// checkReferencePurpose holds the purpose of a flow that becomes rules
// referencing a group or a prefix list to the narrower set AWS documents
// for those rules' descriptions.
func (c *compiler) checkReferencePurpose(s *ast.String, kind string) {
	c.checkText(s, "purpose", referenceAlphabet,
		fmt.Sprintf("The flow becomes rules that reference %s, and AWS accepts only %s in their descriptions (\"&\" only in rules on address blocks)", kind, awsform.ReferenceDescriptionChars),
		maxDescription)
}

// article is "a" or "an", as what needs.
func article(what string) string {
	if strings.ContainsRune("aeiou", rune(what[0])) {
		return "an"
	}
	return "a"
}

// stringPos maps byte i of a string's value to its position in the source,
// stepping over the quote and escapes.
func stringPos(s *ast.String, i int) source.Pos {
	raw := s.Raw[1 : len(s.Raw)-1]
	r, v := 0, 0
	for r < len(raw) && v < i {
		if raw[r] == '\\' {
			r++
		}
		r++
		v++
	}
	return s.Pos.Advance(1 + r)
}

// AWS's constraint on descriptions, from the one place that holds it.
const (
	maxDescription   = awsform.MaxDescription
	descriptionChars = awsform.DescriptionChars
)
