package parser

// Diagnostic codes reported by the parser. Codes are stable: add new ones,
// never change or reuse old ones.
const (
	// SyntaxError: the statement does not have the shape of any statement.
	// Example: `web -> db tcp/5432 "reason"` (missing `because`).
	SyntaxError = "SyntaxError"
	// InvalidCharacter: a character that has no place in the language, or bytes that are not UTF-8.
	// Example: `web -> db tcp/5432 because "x" ;`
	InvalidCharacter = "InvalidCharacter"
	// UnterminatedString: a string with no closing quote on its line.
	// Example: `group web "Web servers`
	UnterminatedString = "UnterminatedString"
	// InvalidEscape: a backslash escape other than \" and \\.
	// Example: `group web "Web\tservers"`
	InvalidEscape = "InvalidEscape"
	// InvalidName: a name that is not a letter followed by letters, digits, "-", "_" or ".", or a reserved word.
	// Example: `group 2web "Web servers"`, `service tcp tcp/80`
	InvalidName = "InvalidName"
	// InvalidAddress: a word where an IPv4 or IPv6 address or CIDR block must stand.
	// Example: `network office 10.0.0/8 "Office"`
	InvalidAddress = "InvalidAddress"
	// InvalidDate: a date that is not a real YYYY-MM-DD day.
	// Example: `... until 2026-02-30`
	InvalidDate = "InvalidDate"
	// InvalidPort: a port term that is not one of the port forms.
	// Example: `web -> db tcp:5432 because "x"`
	InvalidPort = "InvalidPort"
	// InvalidWaiver: a waiver directive without a reason or an end date,
	// malformed, or not on the line before a flow.
	// Example: `# sgc:waive SG101 until 2027-01-31` (no because "...").
	InvalidWaiver = "InvalidWaiver"
	// InvalidNumber: a word where a decimal number must stand.
	// Example: `prefix-list s3 pl-63a5400a max-entries ten "S3"`
	InvalidNumber = "InvalidNumber"
	// FileTooLarge: a file larger than the parser reads (2 GiB; sgc's
	// commands stop at a far smaller policy size before parsing).
	// Example: a 3 GiB intent file given to parser.ParseFile.
	FileTooLarge = "FileTooLarge"
)
