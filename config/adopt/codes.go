package adopt

// Diagnostic codes of the adoption mapping. Codes are stable: add new
// ones at the end, never change or reuse old ones.
const (
	// InvalidAdopt: any problem with a *.adopt.hcl file: HCL it cannot
	// read, a value AWS would not have given (an id, a name, a
	// description, a tag), a live group or rule adopted twice; as a
	// warning, an entry for a group or rule the policy does not have.
	// Example: `group "web" { id = "sg-0123456789abcdef0" }` beside
	// `group "db" { id = "sg-0123456789abcdef0" }`.
	InvalidAdopt = "InvalidAdopt"
)
