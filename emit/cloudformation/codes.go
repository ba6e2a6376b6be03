package cloudformation

// Diagnostic codes of the target.
const (
	// TemplateLimit: the template exceeds a hard CloudFormation limit.
	TemplateLimit = "TemplateLimit"
	// TemplateSize (a warning): the template is too big to pass inline and
	// must be uploaded to S3 to deploy.
	TemplateSize = "TemplateSize"
	// UnknownFormat is no longer reported: an unknown --format is bad
	// usage, refused before the build (emit.Target.Check), and a target
	// asked for one anyway says UnsupportedOption. Kept so that the code
	// never comes to mean something else.
	UnknownFormat = "UnknownFormat"
	// DescriptionKept (a note): a group whose description the policy
	// changed keeps the AWS description the previous build gave it, and
	// carries the new one in its Description tag.
	DescriptionKept = "DescriptionKept"
	// ScopesNotWritten (a warning): with --split, the never statements'
	// Network Access Analyzer scopes are not written (reported as
	// TemplateLimit before 2026-12).
	ScopesNotWritten = "ScopesNotWritten"
	// PlaceholderOverQuota: a group whose IPv4 outbound rules, with the
	// placeholder egress rule the template gives every group (so that AWS
	// adds no allow-all egress), exceed the rules-per-group quota: AWS
	// refuses the stack (RulesPerSecurityGroupLimitExceeded).
	PlaceholderOverQuota = "PlaceholderOverQuota"
)
