// Package awsform holds the forms AWS gives its identifiers and the
// alphabet of its descriptions: one place for each rule, which the
// compiler, the export reader, import, drift and the targets all call.
package awsform

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// The forms of the ids sgc reads and writes: a prefix, then 8 or 17
// lower-case hexadecimal digits.
const (
	GroupIDSource      = `^sg-([0-9a-f]{8}|[0-9a-f]{17})$`
	PrefixListIDSource = `^pl-([0-9a-f]{8}|[0-9a-f]{17})$`
	VPCIDSource        = `^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`
	RuleIDSource       = `^sgr-([0-9a-f]{8}|[0-9a-f]{17})$`
	InterfaceIDSource  = `^eni-([0-9a-f]{8}|[0-9a-f]{17})$`
)

// The ids' forms. Each is compiled when first matched: most commands
// match few of them, and compiling all eight cost every command a share of
// its start-up.
var (
	GroupID      = newForm(GroupIDSource)
	PrefixListID = newForm(PrefixListIDSource)
	VPCID        = newForm(VPCIDSource)
	RuleID       = newForm(RuleIDSource)
	InterfaceID  = newForm(InterfaceIDSource)
	AccountID    = newForm(`^[0-9]{12}$`)
	// Region is a Region's code: us-east-1, eu-central-2, us-gov-west-1.
	Region = newForm(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
	// StackName is a CloudFormation stack's name: a letter, then letters,
	// digits and hyphens, at most 128 in all.
	StackName = newForm(`^[A-Za-z][-A-Za-z0-9]{0,127}$`)
)

// A Form is a regular expression compiled on first use.
type Form struct {
	re func() *regexp.Regexp
}

func newForm(source string) *Form {
	return &Form{re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(source) })}
}

// MatchString reports whether s has the form.
func (f *Form) MatchString(s string) bool { return f.re().MatchString(s) }

// AWS's constraint on security group and rule descriptions.
const (
	// MaxDescription is the longest description AWS accepts, in bytes.
	MaxDescription = 255
	// DescriptionChars says in words what DescriptionChar accepts.
	DescriptionChars = "a-z A-Z 0-9, space and ._-:/()#,@[]+=&;{}!$*"
)

// ReferenceDescriptionChars says in words what ReferenceDescriptionChar
// accepts: AWS documents a narrower set, without "&", for the descriptions
// of rules that reference a security group (UserIdGroupPair) or a prefix
// list (PrefixListId) than for groups and rules on address blocks.
const ReferenceDescriptionChars = "a-z A-Z 0-9, space and ._-:/()#,@[]+=;{}!$*"

// ReferenceDescriptionChar reports whether AWS accepts r in the
// description of a rule that references a group or a prefix list.
func ReferenceDescriptionChar(r rune) bool { return r != '&' && DescriptionChar(r) }

// DescriptionChar reports whether AWS accepts r in a security group's
// description or the description of a rule on an address block.
func DescriptionChar(r rune) bool {
	return r < utf8.RuneSelf && descriptionASCII[r]
}

// descriptionPunctuation is what DescriptionChar accepts besides letters
// and digits.
const descriptionPunctuation = " ._-:/()#,@[]+=&;{}!$*"

// descriptionASCII is DescriptionChar as a table: every description and
// purpose of a policy is checked a character at a time (a tenth of a
// large policy's compile when it searched the punctuation).
var descriptionASCII = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.ContainsRune(descriptionPunctuation, rune(c))
	}
	return t
}()

// FindDynamicReference returns the index in s of a CloudFormation dynamic
// reference ("{{resolve:"), or -1. CloudFormation resolves such text in
// any string property, so a description carrying one would put a secret
// into a description anyone with ec2:DescribeSecurityGroups can read.
func FindDynamicReference(s string) int { return strings.Index(s, "{{resolve:") }

// DescriptionTag is the tag in which a group carries the description its
// policy gives it when its AWS description is an earlier one: AWS changes
// a description only by replacing the group, which CloudFormation cannot
// do safely, so the CloudFormation target keeps the old one (and drift
// reads the tag).
const DescriptionTag = "Description"

// Text says why AWS would refuse s as a security group's name or
// description, or the description of a rule (with ok the alphabet of the
// field: DescriptionChar, or ReferenceDescriptionChar for a rule that
// references a group or prefix list), or "" when it accepts it. A
// CloudFormation dynamic reference is refused too: CloudFormation would
// resolve it and publish the secret. what names the field in the reason.
func Text(s, what string, ok func(rune) bool) string {
	if len(s) > MaxDescription {
		return fmt.Sprintf("the %s is %d bytes; AWS accepts at most %d", what, len(s), MaxDescription)
	}
	if !utf8.ValidString(s) {
		return fmt.Sprintf("the %s is not UTF-8", what)
	}
	if FindDynamicReference(s) >= 0 {
		return fmt.Sprintf("the %s holds a CloudFormation dynamic reference ({{resolve:), which CloudFormation would resolve and publish", what)
	}
	for _, r := range s {
		if !ok(r) {
			return fmt.Sprintf("the %s holds %q, which AWS does not accept there", what, r)
		}
	}
	return ""
}

// GroupName says why AWS would refuse s as the name of a security group
// in a VPC, or "" when it accepts it: the description's alphabet, at
// least one character, not beginning "sg-".
func GroupName(s string) string {
	if s == "" {
		return "the group name is empty"
	}
	if strings.HasPrefix(strings.ToLower(s), "sg-") {
		return fmt.Sprintf("the group name %q begins with sg-, which AWS reserves for ids", s)
	}
	return Text(s, "group name", DescriptionChar)
}

// Tag says why AWS would refuse, or sgc would not write, the tag k = v on
// a group it manages, or "": a key of 1 to 128 characters and a value of
// at most 256, printable, not in AWS's reserved "aws:" space, and none of
// the keys sgc writes itself (Name, Description, sgc:*).
func Tag(k, v string) string {
	switch {
	case k == "" || len(k) > 128 || len(v) > 256:
		return fmt.Sprintf("tag %.40q: keys are 1 to 128 characters, values at most 256", k)
	case !utf8.ValidString(k) || !utf8.ValidString(v):
		return fmt.Sprintf("tag %.40q is not UTF-8", k)
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return fmt.Sprintf("tag %q: AWS reserves the aws: prefix", k)
	case k == "Name" || k == DescriptionTag || strings.HasPrefix(k, "sgc:"):
		return fmt.Sprintf("tag %q is sgc's own", k)
	}
	for _, r := range k + v {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return fmt.Sprintf("tag %.40q holds the control character %q", k, r)
		}
	}
	if FindDynamicReference(k+v) >= 0 {
		return fmt.Sprintf("tag %.40q holds a CloudFormation dynamic reference ({{resolve:)", k)
	}
	return ""
}
