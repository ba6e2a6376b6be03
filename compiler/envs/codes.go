package envs

// Diagnostic codes reported about environments. Codes are stable: add new
// ones, never change or reuse old ones.
const (
	// UnknownEnvironment: an `in` clause names an environment that is not
	// declared, or the policy declares none.
	// Example: `group bastion "Bastion hosts" in stagng`
	UnknownEnvironment = "UnknownEnvironment"
	// DuplicateEnvironment: an environment declared twice.
	// Example: `environment staging "Staging"` on two lines.
	DuplicateEnvironment = "DuplicateEnvironment"
	// InvalidEnvironment: an environment declaration with a malformed
	// account or region, an `in` clause of its own, or a name another
	// declaration of the policy has.
	// Example: `environment staging "Staging" account 1111 region eu-west-1`
	InvalidEnvironment = "InvalidEnvironment"
	// NotInEnvironment: a statement holds in an environment in which a
	// name it uses is not declared.
	// Example: `partner -> web tcp/443 because "callbacks"` with `network partner ... in production`
	NotInEnvironment = "NotInEnvironment"
	// InvalidIsolation: a never between environments with ports, except
	// or an environment on one side only.
	// Example: `never staging -> web because "..."`
	InvalidIsolation = "InvalidIsolation"
	// EnvironmentsNotIsolated: a rule of one environment whose peer is an
	// address, prefix list or external group of another, against `never
	// ENV -> ENV`.
	// Example: `vpc -> web tcp/443 ...` in staging where staging's vpc is 10.0.0.0/8 and production's 10.2.0.0/16.
	EnvironmentsNotIsolated = "EnvironmentsNotIsolated"
)
