package load

// Diagnostic codes reported by the loader. Codes are stable: add new ones
// at the end, never change or reuse old ones.
const (
	// UnreadIntentFiles (a warning): a directory given as the policy has
	// subdirectories with intent files, which are not part of it.
	// Example: `sgc build policy/` where policy/prod/p.intent exists (give
	// policy/... to read the tree as one policy).
	UnreadIntentFiles = "UnreadIntentFiles"

	// EmptyPolicy: a build of a policy that declares no group. Applied
	// over a deployment, its output would delete every group; build
	// --allow-empty builds it anyway.
	// Example: `sgc build policy/` where policy/ holds only networks.
	EmptyPolicy = "EmptyPolicy"
)
