package compiler

import (
	"strings"

	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/source"
)

var descriptionChar = awsform.DescriptionChar

// FindDynamicReference returns the index in s of a CloudFormation dynamic
// reference ("{{resolve:"), or -1. CloudFormation resolves such text in
// any string property, so a description carrying one would put a secret
// into a description anyone with ec2:DescribeSecurityGroups can read.
func FindDynamicReference(s string) int { return strings.Index(s, "{{resolve:") }

// checkDescription applies AWS's description rules and points at the first
// offending character.
func (c *compiler) checkDescription(s *ast.String, what string) {
	if strings.TrimSpace(s.Value) == "" {
		c.diags.Errorf(s.Range(), InvalidDescription, "empty %s", what).
			WithDetail("Every group and rule carries a description into AWS; say what the group holds or why the flow exists.")
		return
	}
	for i, r := range s.Value {
		if !descriptionChar(r) {
			at := stringPos(s, i)
			width := len(string(r))
			if r == '\\' || r == '"' {
				width = 2 // the escape as written
			}
			c.diags.Errorf(source.Range{Start: at, End: at.Advance(width)}, InvalidDescription,
				"character %q is not allowed in a %s", string(r), what).
				WithDetail("AWS accepts only %s in descriptions, at most %d characters.", descriptionChars, maxDescription)
			return
		}
	}
	if i := FindDynamicReference(s.Value); i >= 0 {
		at := stringPos(s, i)
		c.diags.Errorf(source.Range{Start: at, End: at.Advance(len("{{resolve:"))}, DynamicReference,
			"%s contains a CloudFormation dynamic reference", what).
			WithDetail("CloudFormation replaces {{resolve:...}} with the value it names (an SSM parameter, a secret) wherever it appears, so the %s deployed to AWS would carry it, readable by anyone allowed to describe security groups.", what).
			WithSuggestion("Write the text without \"{{resolve:\" (for example \"{ {resolve:\"), or leave the reference out.")
		return
	}
	if n := len(s.Value); n > maxDescription {
		c.diags.Errorf(s.Range(), InvalidDescription, "%s is %d characters long; AWS allows at most %d", what, n, maxDescription)
	}
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
