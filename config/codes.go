package config

// Diagnostic codes of the settings file. Codes are stable: add new ones at
// the end, never change or reuse old ones.
const (
	// InvalidConfig: any problem with sgc.hcl: HCL it cannot read, a
	// setting it does not know, a value out of range, a file too large or
	// nested too deep.
	// Example: `lint { sevrity = {} }` (unknown setting "sevrity").
	InvalidConfig = "InvalidConfig"
)
