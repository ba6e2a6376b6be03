package emit

// Diagnostic codes shared by the targets. Codes are stable: add new ones
// at the end, never change or reuse old ones.
const (
	// ExactNames (a warning, Terraform): groups are named exactly
	// (sgc.hcl build { group_names = "exact" }), so a group that had to
	// be replaced could not be while in use.
	// Example: `build { group_names = "exact" }` in sgc.hcl.
	ExactNames = "ExactNames"

	// UnsupportedOption: a target cannot honour an option given to it;
	// the CLI refuses such options as bad usage before building.
	// Example: `sgc build -t terraform --split`.
	UnsupportedOption = "UnsupportedOption"
)
