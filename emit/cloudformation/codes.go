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
)
