package cloudformation

import "strings"

// Text from a policy reaches a template as data, never as a directive.
// CloudFormation substitutes "${...}" only inside Fn::Sub and resolves
// "{{resolve:...}}" dynamic references anywhere; the compiler refuses the
// latter. "${...}" outside Fn::Sub is taken literally by CloudFormation,
// but cfn-lint reads it as a forgotten Fn::Sub (E1029) and fails the
// template, and Fn::Sub with its "${!...}" escape and no variable draws
// W1020. So a property value holding "${" is written as an Fn::Join of
// parts split between "$" and "{": CloudFormation joins them into the text
// as written, and no part looks like a substitution.

// literal returns s as a property value that CloudFormation deploys
// exactly as written.
func literal(s string) any {
	if !strings.Contains(s, "${") {
		return s
	}
	segs := strings.Split(s, "${")
	parts := make([]any, len(segs))
	for i, seg := range segs {
		if i > 0 {
			seg = "{" + seg
		}
		if i < len(segs)-1 {
			seg += "$"
		}
		parts[i] = seg
	}
	return obj().set("Fn::Join", []any{"", parts})
}

// inert returns s for places that take no intrinsic functions (parameter
// descriptions, metadata), which people read and AWS does not deploy:
// "${" becomes "$ {" so no tool takes it for a substitution.
func inert(s string) string { return strings.ReplaceAll(s, "${", "$ {") }
