package cloudformation

// Diagnostic codes of the target. Codes are stable: add new ones at the
// end, never change or reuse old ones.
const (
	// TemplateLimit: the template exceeds a hard CloudFormation limit.
	// Example: a policy of more than 500 groups and rules built without
	// --split.
	TemplateLimit = "TemplateLimit"
	// TemplateSize (a warning): the template is too big to pass inline and
	// must be uploaded to S3 to deploy.
	// Example: a single template over 51,200 bytes (a few hundred rules).
	TemplateSize = "TemplateSize"
	// UnknownFormat is no longer reported: an unknown --format is bad
	// usage, refused before the build (emit.Target.Check), and a target
	// asked for one anyway says UnsupportedOption. Kept so that the code
	// never comes to mean something else.
	// Example: none since 2026-11 (`--format toml` is exit 2).
	UnknownFormat = "UnknownFormat"
	// DescriptionKept (a note): a group whose description the policy
	// changed keeps the AWS description the previous build gave it, and
	// carries the new one in its Description tag.
	// Example: `group db "DB"` built, then edited to `group db "Databases"`
	// and built into the same directory.
	DescriptionKept = "DescriptionKept"
	// ScopesNotWritten (a warning): with --split, the never statements'
	// Network Access Analyzer scopes are not written (reported as
	// TemplateLimit before 2026-12).
	// Example: `never internet -> db because "..."` built with --split.
	ScopesNotWritten = "ScopesNotWritten"
	// PlaceholderOverQuota: a group whose IPv4 outbound rules, with the
	// placeholder egress rule the template gives every group (so that AWS
	// adds no allow-all egress), exceed the rules-per-group quota: AWS
	// refuses the stack (RulesPerSecurityGroupLimitExceeded).
	// Example: a group with 60 outbound IPv4 rules under the default quota.
	PlaceholderOverQuota = "PlaceholderOverQuota"
	// CrossAccountEgress: a flow from a group to an external of another
	// account, an outbound rule a template cannot write:
	// AWS::EC2::SecurityGroupEgress has no property for the account of the
	// group it references.
	// Example: `api -> mon tcp/443 because "..."` where
	// `external mon 123456789012/sg-0123456789abcdef0 "..."`.
	CrossAccountEgress = "CrossAccountEgress"
)
